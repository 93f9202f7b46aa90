import { type Static, Type } from '@sinclair/typebox';
import { CHANNELS, DIGESTS, TYPE_NAMES } from './notifications.types.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Notification = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  read: Type.Boolean(),
  text: Type.String({ description: 'One sentence, e.g. "ada replied to your comment in “Trail shoes”"' }),
  url: Type.String({ description: 'Path in the web app' }),
  actor: Nullable(Type.Object({ username: Type.String(), displayName: Type.String() })),
  actorCount: Type.Integer(),
  community: Nullable(Type.Object({ slug: Type.String(), name: Type.String() })),
  thread: Nullable(Type.Object({ id: Type.Integer(), title: Type.String() })),
  excerpt: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Notification = Static<typeof Notification>;

export const NotificationList = Type.Object({
  items: Type.Array(Notification),
  nextCursor: Nullable(Type.String()),
  unreadCount: Type.Integer(),
});

export const ListQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  unread: Type.Optional(Type.Boolean({ description: 'Only unread ones' })),
});

export const UnreadCount = Type.Object({ unreadCount: Type.Integer() });

export const MarkReadBody = Type.Object({
  ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), { maxItems: 200 })),
  all: Type.Optional(Type.Boolean()),
});

const ChannelT = Type.Union(CHANNELS.map((c) => Type.Literal(c)));
const DigestT = Type.Union(DIGESTS.map((d) => Type.Literal(d)));

export const Preferences = Type.Object({
  types: Type.Array(Type.Object({ type: Type.String(), label: Type.String(), channel: ChannelT })),
  digest: DigestT,
});

export const UpdatePreferencesBody = Type.Object({
  types: Type.Optional(
    Type.Partial(Type.Object(Object.fromEntries(TYPE_NAMES.map((t) => [t, ChannelT]))), {
      additionalProperties: false,
    }),
  ),
  digest: Type.Optional(DigestT),
});
export type UpdatePreferencesBody = Static<typeof UpdatePreferencesBody>;

export const TokenQuery = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) });
export const Unsubscribed = Type.Object({ type: Type.String(), label: Type.String(), done: Type.Boolean() });

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 64 }) });
export const Watching = Type.Object({ watching: Type.Boolean() });
