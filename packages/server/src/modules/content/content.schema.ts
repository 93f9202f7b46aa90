import { type Static, Type } from '@sinclair/typebox';
import { Id } from '../../platform/schema.ts';

/** The fixed set of reactions; `downvote` counts against the score, every other kind for it. */
export const REACTION_KINDS = ['like', 'love', 'insightful', 'funny', 'celebrate', 'downvote'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const DateStr = Type.String({ format: 'date-time' });

export const Author = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  avatarUrl: Nullable(Type.String()),
});

export const CommunityRef = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });

const ReactionCounts = Type.Record(Type.String(), Type.Integer(), { description: 'count per reaction kind' });

/** Where imported content comes from (CC BY-SA: link to the original, author names); absent otherwise. */
export const Attribution = Type.Object({
  source: Type.String(),
  url: Type.String(),
  authorName: Type.String(),
  authorUrl: Nullable(Type.String()),
  license: Type.String(),
});

/**
 * The disclosure label of sponsored content (issue 9, partnerships module): set when a creator
 * publishes campaign content, kept through edits; null for everything else.
 */
export const Sponsored = Type.Union([
  Type.Object({
    campaignId: Type.Integer(),
    brand: Type.Object({ slug: Type.String(), name: Type.String() }),
  }),
  Type.Null(),
]);
export type Sponsored = Static<typeof Sponsored>;

const ThreadBase = {
  id: Type.Integer(),
  community: CommunityRef,
  author: Author,
  title: Type.String(),
  excerpt: Type.String(),
  tags: Type.Array(Type.String()),
  score: Type.Integer(),
  reactionCounts: ReactionCounts,
  myReaction: Nullable(Type.String()),
  commentCount: Type.Integer(),
  pinned: Type.Boolean(),
  locked: Type.Boolean(),
  deleted: Type.Boolean(),
  pending: Type.Boolean({
    description: 'Held for moderator approval: only its author and moderators see it',
  }),
  createdAt: DateStr,
  editedAt: Nullable(DateStr),
  lastCommentAt: Nullable(DateStr),
  sponsored: Sponsored,
  acceptedCommentId: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The comment marked as the accepted answer (issue 7)',
  }),
  wiki: Type.Boolean({
    description: 'A wiki: members at the trust level `unlocks.editWikiPosts` may edit it (issue 6)',
  }),
};

export const ThreadSummary = Type.Object(ThreadBase);
export type ThreadSummary = Static<typeof ThreadSummary>;

export const Thread = Type.Object({
  ...ThreadBase,
  body: Type.String(),
  bodyHtml: Type.String(),
  mentions: Type.Array(Type.String()),
  attribution: Type.Optional(Attribution),
});
export type Thread = Static<typeof Thread>;

export const ThreadList = Type.Object({
  items: Type.Array(ThreadSummary),
  pinned: Type.Array(ThreadSummary, { description: 'Pinned threads; on the first page only' }),
  nextCursor: Nullable(Type.String()),
});

/** Stored sorts (content.ranking.ts SORT_COLUMNS); active, scaled, controversial and most_comments: issue 4. */
export const Sort = Type.Union([
  Type.Literal('hot'),
  Type.Literal('new'),
  Type.Literal('top'),
  Type.Literal('active'),
  Type.Literal('scaled'),
  Type.Literal('controversial'),
  Type.Literal('most_comments'),
]);
export const Period = Type.Union([
  Type.Literal('day'),
  Type.Literal('week'),
  Type.Literal('month'),
  Type.Literal('year'),
  Type.Literal('all'),
]);

export const ListThreadsQuery = Type.Object({
  sort: Type.Optional(Sort),
  period: Type.Optional(Period),
  tag: Type.Optional(Type.String({ maxLength: 33 })),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type ListThreadsQuery = Static<typeof ListThreadsQuery>;

const Title = Type.String({ minLength: 1, maxLength: 300 });
const Body = Type.String({ minLength: 1, maxLength: 50_000 });

export const CreateThreadBody = Type.Object({
  title: Title,
  body: Body,
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 33 }), { maxItems: 10 })),
});
export type CreateThreadBody = Static<typeof CreateThreadBody>;

export const UpdateThreadBody = Type.Object({
  title: Type.Optional(Title),
  body: Type.Optional(Body),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 33 }), { maxItems: 10 })),
  pinned: Type.Optional(Type.Boolean({ description: 'moderators' })),
  locked: Type.Optional(Type.Boolean({ description: 'moderators' })),
  wiki: Type.Optional(Type.Boolean({ description: 'the author or a moderator: make it a wiki, or not' })),
});
export type UpdateThreadBody = Static<typeof UpdateThreadBody>;

export const Comment = Type.Object({
  id: Type.Integer(),
  threadId: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  depth: Type.Integer(),
  author: Author,
  body: Nullable(Type.String()),
  bodyHtml: Nullable(Type.String()),
  mentions: Type.Array(Type.String()),
  score: Type.Integer(),
  reactionCounts: ReactionCounts,
  myReaction: Nullable(Type.String()),
  deleted: Type.Boolean(),
  pending: Type.Boolean({
    description: 'Held for moderator approval: only its author and moderators see it',
  }),
  createdAt: DateStr,
  editedAt: Nullable(DateStr),
  attribution: Type.Optional(Attribution),
  sponsored: Sponsored,
});
export type Comment = Static<typeof Comment>;

export const CommentList = Type.Object({ items: Type.Array(Comment), nextCursor: Nullable(Type.String()) });
export const ListCommentsQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 600 })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});

export const CreateCommentBody = Type.Object({
  body: Body,
  parentId: Type.Optional(Type.Union([Id(), Type.Null()])),
});
export const UpdateCommentBody = Type.Object({ body: Body });

/** PUT /threads/{id}/accepted-answer (issue 7). */
export const AcceptAnswerBody = Type.Object({ commentId: Id() }, { additionalProperties: false });

export const ReactionBody = Type.Object({
  kind: Type.Union(
    REACTION_KINDS.map((k) => Type.Literal(k)),
    { description: REACTION_KINDS.join(', ') },
  ),
});
export const ReactionResult = Type.Object({
  score: Type.Integer(),
  reactionCounts: ReactionCounts,
  myReaction: Nullable(Type.String()),
});

export const Revision = Type.Object({
  id: Type.Integer(),
  title: Nullable(Type.String()),
  body: Type.String(),
  editedBy: Author,
  createdAt: DateStr,
});
export const RevisionList = Type.Object({ items: Type.Array(Revision) });

export { IdParams } from '../../platform/schema.ts';
export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 64 }) });
