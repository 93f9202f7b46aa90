import { type Static, Type } from '@sinclair/typebox';
import { Id } from '../../platform/schema.ts';
import { REPORT_REASONS } from '../moderation/reports.service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Person = Type.Object({ id: Type.Integer(), username: Type.String(), displayName: Type.String() });
const Username = Type.String({ pattern: '^[A-Za-z0-9_]{3,30}$' });

/** "Small groups": up to this many members, the sender included. */
export const MAX_GROUP = 8;
export const ALLOW_FROM = ['everyone', 'communities', 'nobody'] as const;
export type AllowFrom = (typeof ALLOW_FROM)[number];

export const Message = Type.Object({
  id: Type.Integer(),
  conversationId: Type.Integer(),
  sender: Person,
  body: Type.String(),
  bodyHtml: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Message = Static<typeof Message>;

export const Conversation = Type.Object({
  id: Type.Integer(),
  kind: Type.Union([Type.Literal('direct'), Type.Literal('group')]),
  title: Nullable(Type.String()),
  members: Type.Array(Person),
  lastMessage: Nullable(Message),
  unreadCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  lastMessageAt: Nullable(Type.String({ format: 'date-time' })),
});
export type Conversation = Static<typeof Conversation>;

export const ConversationList = Type.Object({
  items: Type.Array(Conversation),
  nextCursor: Nullable(Type.String()),
});
export const MessageList = Type.Object({ items: Type.Array(Message), nextCursor: Nullable(Type.String()) });

export const Body = Type.String({ minLength: 1, maxLength: 10_000 });
export const CreateConversationBody = Type.Object({
  usernames: Type.Array(Username, {
    minItems: 1,
    maxItems: MAX_GROUP - 1,
    description: 'Who to write to: one member for a direct conversation, more for a group',
  }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  body: Body,
});
export type CreateConversationBody = Static<typeof CreateConversationBody>;
export const Created = Type.Object({ conversation: Conversation, message: Message });

export const SendBody = Type.Object({ body: Body });
export const ListQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 30 }),
});
export const IdParams = Type.Object({ id: Id() });
export const UsernameParams = Type.Object({ username: Type.String({ maxLength: 64 }) });

export const ReportMessageBody = Type.Object({
  reason: Type.Union(REPORT_REASONS.map((r) => Type.Literal(r))),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
});
export const ReportCreated = Type.Object({ id: Type.Integer(), itemId: Type.Integer() });

export const Settings = Type.Object({
  allowFrom: Type.Union(
    ALLOW_FROM.map((a) => Type.Literal(a)),
    {
      description: 'Who may start a conversation with me: everyone, members of a community I am in, nobody',
    },
  ),
});
export const BlockList = Type.Object({
  items: Type.Array(Type.Object({ ...Person.properties, blockedAt: Type.String({ format: 'date-time' }) })),
});
export const Ok = Type.Object({ ok: Type.Boolean() });
