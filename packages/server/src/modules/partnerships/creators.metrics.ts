import Sentiment from 'sentiment';
import { DAY, HOUR } from '../../platform/clock.ts';
import { DEFAULT_SETTINGS } from '../gamification/settings.ts';

/**
 * Creator figures, computed by Hearth from what members did (never self-declared). Inputs are
 * the creator's public contributions of the last WINDOW_DAYS (private communities never count:
 * their figures would leak what outsiders may not see). Pure functions over the rows that
 * metrics.queries.ts loads, so each formula is tested directly. README.md repeats them.
 */
// The reaction-ring rule as gamification defines it by default (a site-wide view for brands).
const RING_MIN = DEFAULT_SETTINGS.ring.minEach;
const RING_WINDOW = DEFAULT_SETTINGS.ring.windowDays * DAY;

export const WINDOW_DAYS = 90;
/** Accounts younger than this (at the time they reacted or replied) are "new". Our threshold. */
export const NEW_ACCOUNT_DAYS = 7;
/** A burst: at least BURST_SIZE reactions or replies from new accounts within BURST_WINDOW. Our threshold. */
export const BURST_SIZE = 5;
export const BURST_WINDOW = HOUR;
export const GROWTH_DAYS = 30;
/** Weight of engagement from outside the creator's communities and niches in the authenticity score. */
export const OFF_NICHE_WEIGHT = 0.5;

export const EXPLANATIONS: Record<string, string> = {
  contributions: `Threads and comments the creator wrote in public communities in the last ${WINDOW_DAYS} days.`,
  engagement: `Reactions (other than downvotes) and replies the creator received from other members on those contributions.`,
  engagementRate: 'Engagement per contribution: (reactions + replies received) ÷ contributions.',
  followerRate:
    'Engagement per follower: (reactions + replies received) ÷ followers. Empty without followers.',
  followers: 'Members who follow the creator.',
  reach: `Distinct members who reacted to or replied to the creator in the last ${WINDOW_DAYS} days.`,
  sentiment:
    'Net sentiment of the replies received: (positive replies − negative replies) ÷ replies, each reply scored with the AFINN-165 word list (from −1, all negative, to +1, all positive).',
  growth: `Follower growth over ${GROWTH_DAYS} days: followers gained in that time ÷ followers before it (unfollows are not dated, so this counts current followers only).`,
  authenticity: `Share of engagement that looks genuine, 0–100. Engagement from a reaction ring (the creator and a member each reacting to the other at least ${RING_MIN} times in ${RING_WINDOW / DAY} days) counts 0; so does a burst (${BURST_SIZE} or more reactions or replies within ${BURST_WINDOW / 60_000} minutes from accounts younger than ${NEW_ACCOUNT_DAYS} days); engagement from members who never took part in the creator's communities nor follow their niche tags counts ${OFF_NICHE_WEIGHT}; the rest counts 1.`,
};

export interface EngagementRow {
  userId: number;
  at: number;
  accountCreatedAt: number;
}
export interface ReplyRow extends EngagementRow {
  body: string;
}

export interface Activity {
  threads: number;
  comments: number;
  /** Positive reactions received (downvotes excluded). */
  reactions: EngagementRow[];
  downvotes: number;
  replies: ReplyRow[];
  followers: number;
  /** Current followers who already followed GROWTH_DAYS ago. */
  followersBefore: number;
  /** Reactions the creator gave, in the last RING_WINDOW, per author of the content. */
  givenTo: Map<number, number>;
  /** Engagers who took part in the creator's communities or follow / are interested in their niche tags. */
  inNiche: Set<number>;
  topTags: string[];
}

export interface Figures {
  contributions: number;
  engagement: number;
  followers: number;
  engagementRate: number;
  followerRate: number | null;
  reach: number;
  sentiment: number | null;
  growth: number | null;
  authenticity: number | null;
  details: Record<string, unknown>;
}

const sentiment = new Sentiment();
/** AFINN-165 score of a text: > 0 positive, < 0 negative. */
export const scoreText = (text: string) => sentiment.analyze(text).score;

/** Indexes (into rows sorted by time) of engagement from new accounts that arrived in a burst. */
export function burstIndexes(rows: EngagementRow[]): Set<number> {
  const fresh = rows
    .map((r, i) => ({ ...r, i }))
    .filter((r) => r.at - r.accountCreatedAt < NEW_ACCOUNT_DAYS * DAY)
    .sort((a, b) => a.at - b.at);
  const out = new Set<number>();
  let start = 0;
  for (let end = 0; end < fresh.length; end++) {
    while (fresh[end]!.at - fresh[start]!.at > BURST_WINDOW) start++;
    if (end - start + 1 >= BURST_SIZE) for (let k = start; k <= end; k++) out.add(fresh[k]!.i);
  }
  return out;
}

/** Members in a reaction ring with the creator (gamification's rule, modules/gamification/points.ts). */
export function ringMembers(a: Activity, now: number): Set<number> {
  const received = new Map<number, number>();
  for (const r of a.reactions)
    if (r.at >= now - RING_WINDOW) received.set(r.userId, (received.get(r.userId) ?? 0) + 1);
  const ring = new Set<number>();
  for (const [userId, n] of received)
    if (n >= RING_MIN && (a.givenTo.get(userId) ?? 0) >= RING_MIN) ring.add(userId);
  return ring;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export function computeFigures(a: Activity, now: number): Figures {
  const contributions = a.threads + a.comments;
  const items: EngagementRow[] = [...a.reactions, ...a.replies];
  const engagement = items.length;
  const reach = new Set(items.map((r) => r.userId)).size;
  const ring = ringMembers(a, now);
  const burst = burstIndexes(items);
  let credible = 0;
  let ringCount = 0;
  let burstCount = 0;
  let offNiche = 0;
  items.forEach((r, i) => {
    if (ring.has(r.userId)) ringCount++;
    else if (burst.has(i)) burstCount++;
    else if (!a.inNiche.has(r.userId)) {
      offNiche++;
      credible += OFF_NICHE_WEIGHT;
    } else credible += 1;
  });
  let positive = 0;
  let negative = 0;
  for (const r of a.replies) {
    const s = scoreText(r.body);
    if (s > 0) positive++;
    else if (s < 0) negative++;
  }
  const gained = a.followers - a.followersBefore;
  return {
    contributions,
    engagement,
    followers: a.followers,
    engagementRate: contributions ? round(engagement / contributions) : 0,
    followerRate: a.followers ? round(engagement / a.followers) : null,
    reach,
    sentiment: a.replies.length ? round((positive - negative) / a.replies.length) : null,
    growth: a.followersBefore ? round(gained / a.followersBefore) : null,
    authenticity: engagement ? round((100 * credible) / engagement, 1) : null,
    details: {
      windowDays: WINDOW_DAYS,
      threads: a.threads,
      comments: a.comments,
      reactions: a.reactions.length,
      replies: a.replies.length,
      downvotes: a.downvotes,
      positiveReplies: positive,
      negativeReplies: negative,
      ringMembers: ring.size,
      ringEngagement: ringCount,
      burstEngagement: burstCount,
      offNicheEngagement: offNiche,
      followersGained: gained,
      topTags: a.topTags,
    },
  };
}
