import { type Static, type TLiteral, Type } from '@sinclair/typebox';
import { Id } from '../../platform/schema.ts';
import { ACTIONS } from './actions.service.ts';
import { REPORT_REASONS } from './reports.service.ts';

// Null first: with type coercion on, a null tried against an integer first would become 0.
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([Type.Null(), t]);
const literals = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Union(values.map((v) => Type.Literal(v)) as unknown as TLiteral<T[number]>[], {
    description: description ?? values.join(', '),
  });
const DateStr = Type.String({ format: 'date-time' });

export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 64 }) });
export const MemberParams = Type.Object({
  slug: Type.String({ maxLength: 64 }),
  username: Type.String({ maxLength: 32 }),
});
export const IdParams = Type.Object({ id: Id() });
export const SlugIdParams = Type.Object({ slug: Type.String({ maxLength: 64 }), id: Id() });
export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
});
export const AppealsQuery = Type.Object({
  status: Type.Optional(literals(['open', 'decided'] as const)),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
});

// --- guidelines ---
const Rule = Type.Object({ number: Type.Integer(), text: Type.String() });
const GuidelineVersion = {
  version: Type.Integer(),
  body: Type.String(),
  rules: Type.Array(Rule, {
    description: 'The numbered list items of the text: what reports and actions cite',
  }),
  createdAt: DateStr,
};
export const Guidelines = Type.Object({
  ...GuidelineVersion,
  me: Nullable(Type.Object({ acceptedVersion: Type.Integer(), reacceptRequired: Type.Boolean() })),
});
export const GuidelineVersions = Type.Object({ items: Type.Array(Type.Object(GuidelineVersion)) });
export const AcceptBody = Type.Object({
  version: Type.Integer({ minimum: 1, description: 'The version read' }),
});
export const Acceptance = Type.Object({ acceptedVersion: Type.Integer(), reacceptRequired: Type.Boolean() });

// --- reports, queue, actions, appeals ---
export const ReportBody = Type.Object({
  targetType: literals(
    ['thread', 'comment', 'user', 'message'] as const,
    'message: reserved for direct messages',
  ),
  targetId: Id(),
  reason: literals(REPORT_REASONS),
  ruleNumber: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 999, description: 'A rule of the current guidelines' }),
  ),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
  community: Type.Optional(
    Type.String({ maxLength: 64, description: 'For a profile: the community where it happened (its queue)' }),
  ),
});
export type ReportBody = Static<typeof ReportBody>;
export const ReportCreated = Type.Object({
  id: Type.Integer(),
  itemId: Type.Integer(),
  weight: Type.Number(),
});

const Person = Nullable(
  Type.Object({ id: Type.Integer(), username: Type.String(), displayName: Type.String() }),
);
const CitedRule = Nullable(
  Type.Object({ number: Type.Integer(), version: Nullable(Type.Integer()), text: Nullable(Type.String()) }),
);
const Suggestion = Type.Object({
  action: Type.String(),
  durationHours: Nullable(Type.Integer()),
  priorSteps: Type.Integer(),
});
export const QueueItem = Type.Object({
  id: Type.Integer(),
  queue: Type.String({ description: 'community or site' }),
  community: Nullable(Type.String()),
  status: Type.String(),
  held: Type.Boolean({ description: 'The content waits for approval (invisible to others until then)' }),
  score: Type.Number({ description: "Sum of the reports' weights (reporters' trust)" }),
  reportCount: Type.Integer(),
  reasons: Type.Record(Type.String(), Type.Integer()),
  target: Type.Object({
    type: Type.String(),
    id: Type.Integer(),
    threadId: Nullable(Type.Integer()),
    title: Nullable(Type.String()),
    body: Nullable(Type.String()),
    deleted: Type.Boolean(),
    pending: Type.Boolean(),
    locked: Type.Boolean(),
  }),
  author: Person,
  reports: Type.Array(
    Type.Object({
      id: Type.Integer(),
      source: Type.String(),
      reason: Type.String(),
      rule: CitedRule,
      note: Type.String(),
      weight: Type.Number(),
      reporter: Person,
      createdAt: DateStr,
    }),
  ),
  authorRecord: Nullable(
    Type.Object({
      counts: Type.Record(Type.String(), Type.Integer()),
      activeSanction: Nullable(Type.Object({ kind: Type.String(), expiresAt: Nullable(DateStr) })),
      suggested: Suggestion,
    }),
  ),
  createdAt: DateStr,
  updatedAt: DateStr,
  resolution: Nullable(Type.String()),
  resolvedBy: Person,
  resolvedAt: Nullable(DateStr),
});
export const Queue = Type.Object({ items: Type.Array(QueueItem), nextCursor: Nullable(Type.String()) });

const ActFields = {
  action: literals(ACTIONS),
  reason: Type.Optional(
    Type.String({ maxLength: 2000, description: 'Shown to the member; required to remove or sanction' }),
  ),
  ruleNumber: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
  durationHours: Type.Optional(
    Nullable(
      Type.Integer({
        minimum: 1,
        maximum: 24 * 3650,
        description: 'mute/ban/suspend; none: permanent (mute: the ladder)',
      }),
    ),
  ),
};
export const ActBody = Type.Object(ActFields);
export const ActOnTargetBody = Type.Object({
  ...ActFields,
  targetType: literals(['thread', 'comment', 'user'] as const),
  targetId: Id(),
});
export const ActResult = Type.Object({
  actionIds: Type.Array(Type.Integer()),
  itemId: Nullable(Type.Integer()),
  resolution: Type.String(),
});
export const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) });
export const AppealBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) });
export const DecisionBody = Type.Object({
  decision: literals(['uphold', 'overturn'] as const),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});
export const AppealResult = Type.Object({ id: Type.Integer(), status: Type.String() });
const ActionSummary = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  reason: Type.String(),
  moderator: Nullable(Type.String()),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.Integer()),
  createdAt: DateStr,
  expiresAt: Nullable(DateStr),
});
export const AppealList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      status: Type.String(),
      body: Type.String(),
      member: Nullable(Type.String()),
      createdAt: DateStr,
      action: ActionSummary,
      decidedBy: Nullable(Type.String()),
      decisionNote: Type.String(),
      decidedAt: Nullable(DateStr),
      canDecide: Type.Boolean(),
    }),
  ),
  nextCursor: Nullable(Type.String()),
});
const TargetRef = Nullable(Type.Object({ type: Type.String(), id: Nullable(Type.Integer()) }));
export const Modlog = Type.Object({
  moderatorsShown: Type.Boolean(),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      action: Type.String(),
      createdAt: DateStr,
      expiresAt: Nullable(DateStr),
      revoked: Type.Boolean(),
      reason: Type.String(),
      rule: CitedRule,
      target: TargetRef,
      member: Nullable(Type.String()),
      moderator: Nullable(Type.String()),
    }),
  ),
  nextCursor: Nullable(Type.String()),
});
export const MyModeration = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      action: Type.String(),
      community: Nullable(Type.String()),
      reason: Type.String(),
      rule: CitedRule,
      target: TargetRef,
      createdAt: DateStr,
      expiresAt: Nullable(DateStr),
      active: Type.Boolean(),
      revoked: Type.Boolean(),
      appeal: Nullable(Type.Object({ id: Type.Integer(), status: Nullable(Type.String()) })),
    }),
  ),
  nextCursor: Nullable(Type.String()),
});
export const MemberRecord = Type.Object({
  username: Type.String(),
  activeSanction: Nullable(
    Type.Object({ id: Type.Integer(), kind: Type.String(), expiresAt: Nullable(DateStr) }),
  ),
  suggested: Suggestion,
  history: Type.Array(
    Type.Object({
      id: Type.Integer(),
      action: Type.String(),
      reason: Type.String(),
      rule: CitedRule,
      moderator: Nullable(Type.String()),
      createdAt: DateStr,
      expiresAt: Nullable(DateStr),
      revoked: Type.Boolean(),
    }),
  ),
});

// --- automatic moderation ---
export const WatchedWordBody = Type.Object({
  pattern: Type.String({ minLength: 1, maxLength: 200 }),
  regex: Type.Optional(
    Type.Boolean({ description: 'A regular expression (nested quantifiers are refused)' }),
  ),
  wholeWord: Type.Optional(Type.Boolean({ description: 'Match whole words only (default: true for words)' })),
  action: literals(['block', 'require_approval', 'flag', 'censor'] as const),
  replacement: Type.Optional(
    Type.String({ maxLength: 64, description: 'censor: shown instead (default ■ per letter)' }),
  ),
});
export const WatchedWord = Type.Object({
  id: Type.Integer(),
  pattern: Type.String(),
  regex: Type.Boolean(),
  wholeWord: Type.Boolean(),
  action: Type.String(),
  replacement: Nullable(Type.String()),
});
export const WatchedWords = Type.Object({ items: Type.Array(WatchedWord) });
export const TestBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 50_000 }) });
export const TestResult = Type.Object({
  blockedBy: Nullable(WatchedWord),
  requireApproval: Type.Array(WatchedWord),
  flag: Type.Array(WatchedWord),
  censored: Type.String(),
  spamScore: Type.Number(),
  links: Type.Integer(),
  images: Type.Integer(),
  mentions: Type.Integer(),
});

// --- trust levels ---
export const ReadBody = Type.Object({
  ms: Type.Integer({ minimum: 0, maximum: 600_000, description: 'Time on screen since the last report' }),
  postsRead: Type.Integer({
    minimum: 0,
    maximum: 100_000,
    description: 'Posts (thread + comments) seen so far',
  }),
});
export const ReadResult = Type.Object({ creditedMs: Type.Integer(), postsRead: Type.Integer() });
const Unlocks = Type.Object({
  maxLinksPerPost: Nullable(Type.Integer()),
  maxImagesPerPost: Nullable(Type.Integer()),
  maxMentionsPerPost: Nullable(Type.Integer()),
  maxPostsPerHour: Nullable(Type.Integer()),
  directMessages: Type.Boolean(),
  editWikiPosts: Type.Boolean(),
  writeContextNotes: Type.Boolean(),
  rateContextNotes: Type.Boolean(),
  flagWeight: Type.Number(),
});
export const MemberTrust = Type.Object({
  username: Type.String(),
  level: Type.Integer(),
  manual: Type.Boolean(),
  since: DateStr,
  unlocks: Unlocks,
  stats: Nullable(Type.Record(Type.String(), Type.Unknown())),
});
export const TrustBody = Type.Object({
  level: Nullable(
    Type.Integer({ minimum: 0, maximum: 4, description: 'null: computed from activity again' }),
  ),
});
export const MyTrust = Type.Object({
  items: Type.Array(Type.Object({ community: Type.String(), level: Type.Integer(), unlocks: Unlocks })),
  directMessages: Type.Boolean(),
});

// --- context notes ---
export const NoteCreate = Type.Object({
  targetType: literals(['thread', 'comment'] as const),
  targetId: Id(),
  body: Type.String({ minLength: 1, maxLength: 1000 }),
});
export const ContextNote = Type.Object({
  id: Type.Integer(),
  targetType: Type.String(),
  targetId: Type.Integer(),
  threadId: Type.Integer(),
  body: Type.String(),
  author: Nullable(Type.String()),
  status: Type.String({ description: 'needs_more_ratings, helpful (shown) or not_helpful' }),
  shown: Type.Boolean(),
  ratingCount: Type.Integer(),
  intercept: Nullable(Type.Number()),
  factor: Nullable(Type.Number()),
  myRating: Nullable(Type.Number()),
  canRate: Type.Boolean(),
  createdAt: DateStr,
  scoredAt: Nullable(DateStr),
});
export const ContextNotes = Type.Object({ items: Type.Array(ContextNote) });
export const NotesToRate = Type.Object({
  items: Type.Array(
    Type.Object({
      ...ContextNote.properties,
      thread: Type.Object({ id: Type.Integer(), title: Type.String() }),
    }),
  ),
  nextCursor: Nullable(Type.String()),
});
export const RateBody = Type.Object({ helpful: literals(['yes', 'somewhat', 'no'] as const) });
export const RateResult = Type.Object({ noteId: Type.Integer(), value: Type.Number() });
export const ScoreResult = Type.Object({
  notes: Type.Integer(),
  ratings: Type.Integer(),
  changed: Type.Integer(),
  loss: Type.Number(),
});
