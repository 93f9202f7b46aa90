import { type Static, Type } from '@sinclair/typebox';
import type { BadgeTier } from '../../db/schema.ts';
import { invalid } from '../../platform/errors.ts';

/**
 * Badges are declarative: a rule object (kind, threshold) evaluated against a member's stats by
 * the badge job. `manual` badges are only ever granted by moderators (any badge can also be
 * granted or revoked by hand).
 */
export const COUNT_KINDS = [
  'threads',
  'comments',
  'accepted_answers',
  'helpful_notes',
  'events_attended',
  'points',
  'streak',
  'welcomed',
] as const;
export type CountKind = (typeof COUNT_KINDS)[number];

export type BadgeRule =
  | { kind: 'manual' }
  | { kind: 'guidelines' }
  | { kind: CountKind; threshold: number }
  | { kind: 'reacted_replies'; threshold: number; minReactors: number };
export const RULE_KINDS = ['manual', 'guidelines', 'reacted_replies', ...COUNT_KINDS] as const;

/**
 * A rule as sent (one flat object: a union of objects would let the validator strip fields
 * while trying the wrong branch); `toRule` checks the combination.
 */
export const BadgeRuleBody = Type.Object(
  {
    kind: Type.Union(RULE_KINDS.map((k) => Type.Literal(k))),
    threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    minReactors: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export function toRule(body: Static<typeof BadgeRuleBody>, field = 'body.rule'): BadgeRule {
  if (body.kind === 'manual' || body.kind === 'guidelines') return { kind: body.kind };
  if (body.threshold === undefined) invalid(`${field}.threshold`, `is required for "${body.kind}"`);
  if (body.kind === 'reacted_replies') {
    if (body.minReactors === undefined) invalid(`${field}.minReactors`, 'is required for "reacted_replies"');
    return { kind: body.kind, threshold: body.threshold, minReactors: body.minReactors };
  }
  return { kind: body.kind, threshold: body.threshold };
}
export const TIERS = ['bronze', 'silver', 'gold'] as const;

/**
 * What the rules measure, per member and community:
 * - threads, comments: live, visible ones they wrote;
 * - reacted_replies(k): their comments with reactions (not downvotes) from at least k distinct other members;
 * - accepted_answers, helpful_notes, events_attended: awards in the ledger (so none from their own content);
 * - points: points earned; streak: the current streak in days;
 * - welcomed: distinct newcomers they replied to within 14 days of the newcomer joining;
 * - guidelines: they accepted the community's guidelines.
 */
export interface StatSource {
  count(kind: CountKind): Promise<number>;
  reactedReplies(minReactors: number): Promise<number>;
  acceptedGuidelines(): Promise<boolean>;
}

export async function meets(rule: BadgeRule, stats: StatSource): Promise<boolean> {
  switch (rule.kind) {
    case 'manual':
      return false;
    case 'guidelines':
      return stats.acceptedGuidelines();
    case 'reacted_replies':
      return (await stats.reactedReplies(rule.minReactors)) >= rule.threshold;
    default:
      return (await stats.count(rule.kind)) >= rule.threshold;
  }
}

export interface BadgeDef {
  slug: string;
  name: string;
  description: string;
  tier: BadgeTier;
  rule: BadgeRule;
}

/** The set every community starts with (added on `communities.created`, and lazily for older ones). */
export const DEFAULT_BADGES: readonly BadgeDef[] = [
  {
    slug: 'read-the-guidelines',
    name: 'Read the guidelines',
    description: 'Read and accepted the community guidelines.',
    tier: 'bronze',
    rule: { kind: 'guidelines' },
  },
  {
    slug: 'first-thread',
    name: 'First thread',
    description: 'Started a first thread.',
    tier: 'bronze',
    rule: { kind: 'threads', threshold: 1 },
  },
  {
    slug: 'first-comment',
    name: 'First comment',
    description: 'Wrote a first comment.',
    tier: 'bronze',
    rule: { kind: 'comments', threshold: 1 },
  },
  {
    slug: 'good-reply',
    name: 'Good reply',
    description: 'A reply that got reactions from 3 different members.',
    tier: 'bronze',
    rule: { kind: 'reacted_replies', threshold: 1, minReactors: 3 },
  },
  {
    slug: 'well-received',
    name: 'Well received',
    description: '10 replies that each got reactions from 5 different members.',
    tier: 'gold',
    rule: { kind: 'reacted_replies', threshold: 10, minReactors: 5 },
  },
  {
    slug: 'conversation-starter',
    name: 'Conversation starter',
    description: 'Started 10 threads.',
    tier: 'silver',
    rule: { kind: 'threads', threshold: 10 },
  },
  {
    slug: 'problem-solver',
    name: 'Problem solver',
    description: 'Wrote an answer its asker accepted.',
    tier: 'bronze',
    rule: { kind: 'accepted_answers', threshold: 1 },
  },
  {
    slug: 'context-giver',
    name: 'Context giver',
    description: 'Wrote a context note that readers rated helpful.',
    tier: 'silver',
    rule: { kind: 'helpful_notes', threshold: 1 },
  },
  {
    slug: 'showed-up',
    name: 'Showed up',
    description: 'Attended a community event.',
    tier: 'bronze',
    rule: { kind: 'events_attended', threshold: 1 },
  },
  {
    slug: 'week-streak',
    name: 'Week streak',
    description: 'Came by or contributed 7 days in a row.',
    tier: 'bronze',
    rule: { kind: 'streak', threshold: 7 },
  },
  {
    slug: 'month-streak',
    name: '30-day streak',
    description: 'Came by or contributed 30 days in a row.',
    tier: 'gold',
    rule: { kind: 'streak', threshold: 30 },
  },
  {
    slug: 'welcomer',
    name: 'Welcomer',
    description: 'Replied to 10 newcomers in their first two weeks.',
    tier: 'silver',
    rule: { kind: 'welcomed', threshold: 10 },
  },
  {
    slug: 'centurion',
    name: 'Centurion',
    description: 'Earned 100 points.',
    tier: 'silver',
    rule: { kind: 'points', threshold: 100 },
  },
  {
    slug: 'community-hero',
    name: 'Community hero',
    description: 'Granted by the moderators for going above and beyond.',
    tier: 'gold',
    rule: { kind: 'manual' },
  },
];
