import { type Static, Type } from '@sinclair/typebox';
import { ThreadSummary } from '../content/content.schema.ts';

const DateStr = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const UsernameParams = Type.Object({ username: Type.String({ maxLength: 64 }) });
export const TagParams = Type.Object({ name: Type.String({ maxLength: 64 }) });
export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 64 }) });

export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type PageQuery = Static<typeof PageQuery>;

export const FollowState = Type.Object({ following: Type.Boolean() });
export const MuteState = Type.Object({ muted: Type.Boolean() });

export const UserEntry = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  avatarUrl: Nullable(Type.String()),
  since: DateStr,
});
export const TagEntry = Type.Object({ name: Type.String(), since: DateStr });
export const CommunityEntry = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  since: DateStr,
});
export const UserList = Type.Object({ items: Type.Array(UserEntry), nextCursor: Nullable(Type.String()) });
export const TagList = Type.Object({ items: Type.Array(TagEntry), nextCursor: Nullable(Type.String()) });
export const CommunityEntryList = Type.Object({
  items: Type.Array(CommunityEntry),
  nextCursor: Nullable(Type.String()),
});

export const FeedItem = Type.Object({
  ...ThreadSummary.properties,
  reasons: Type.Array(Type.String(), {
    description: 'Why the thread is here beyond "from your community": interests, follows, engagement',
  }),
});
export const Feed = Type.Object({
  items: Type.Array(FeedItem),
  nextCursor: Nullable(Type.String()),
  asOf: Type.String({
    format: 'date-time',
    description: 'The snapshot time every page of this feed ranks at',
  }),
});
export type FeedItem = Static<typeof FeedItem>;

export const DiscoverQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }) });

export const CommunitySuggestion = Type.Object({
  community: Type.Object({
    id: Type.Integer(),
    slug: Type.String(),
    name: Type.String(),
    description: Type.String(),
    memberCount: Type.Integer(),
  }),
  reason: Type.String({ description: 'Short reason, e.g. "3 members you follow are here"' }),
  signals: Type.Object({
    followedMembers: Type.Integer(),
    sharedMembers: Type.Integer(),
    matchingTags: Type.Array(Type.String()),
  }),
});
export const CommunitySuggestions = Type.Object({ items: Type.Array(CommunitySuggestion) });

export const TrendingTag = Type.Object({
  name: Type.String(),
  threads: Type.Integer({ description: 'Threads with the tag in public communities this week' }),
  score: Type.Number({ description: 'Sum of the hot ranks of those threads' }),
  following: Type.Boolean(),
});
export const TrendingTags = Type.Object({ items: Type.Array(TrendingTag) });
