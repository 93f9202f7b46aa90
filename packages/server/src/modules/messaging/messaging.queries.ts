import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

type Q = Db | Transaction<DB>;

export const findUsersByUsernames = (db: Q, names: string[]) =>
  names.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('users')
        .select(['id', 'username', 'display_name', 'is_admin'])
        .where('username', 'in', names)
        .execute();

export const findUsersByIds = (db: Q, ids: number[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute();

export const findUserByUsername = (db: Q, username: string) =>
  db
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('username', '=', username)
    .executeTakeFirst();

export const allowFromOf = async (db: Q, userId: number) =>
  (
    await db
      .selectFrom('messaging_settings')
      .select('allow_from')
      .where('user_id', '=', userId)
      .executeTakeFirst()
  )?.allow_from;

export const upsertAllowFrom = (db: Q, userId: number, allowFrom: string) =>
  db
    .insertInto('messaging_settings')
    .values({ user_id: userId, allow_from: allowFrom })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ allow_from: allowFrom }))
    .execute();

/** Pairs (blocker, blocked) among these users, both directions. */
export const blocksAmong = (db: Q, a: number, others: number[]) =>
  others.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('blocks')
        .select(['blocker_id', 'blocked_id'])
        .where((eb) =>
          eb.or([
            eb.and([eb('blocker_id', '=', a), eb('blocked_id', 'in', others)]),
            eb.and([eb('blocked_id', '=', a), eb('blocker_id', 'in', others)]),
          ]),
        )
        .execute();

/** Whether two members are both active in at least one community. */
export async function shareCommunity(db: Q, a: number, b: number): Promise<boolean> {
  const row = await db
    .selectFrom('memberships as ma')
    .innerJoin('memberships as mb', 'mb.community_id', 'ma.community_id')
    .select('ma.community_id')
    .where('ma.user_id', '=', a)
    .where('ma.status', '=', 'active')
    .where('mb.user_id', '=', b)
    .where('mb.status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

export const findDirect = (db: Q, key: string) =>
  db.selectFrom('conversations').selectAll().where('direct_key', '=', key).executeTakeFirst();

export const findConversation = (db: Q, id: number) =>
  db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();

export const findMember = (db: Q, conversationId: number, userId: number) =>
  db
    .selectFrom('conversation_members')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

export async function insertConversation(
  db: Q,
  c: {
    kind: 'direct' | 'group';
    directKey: string | null;
    title: string | null;
    createdBy: number;
    at: number;
  },
) {
  const row = await db
    .insertInto('conversations')
    .values({
      kind: c.kind,
      direct_key: c.directKey,
      title: c.title,
      created_by: c.createdBy,
      created_at: c.at,
      last_message_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const insertMembers = (db: Q, conversationId: number, userIds: number[], at: number) =>
  db
    .insertInto('conversation_members')
    .values(
      userIds.map((user_id) => ({
        conversation_id: conversationId,
        user_id,
        joined_at: at,
        last_read_id: 0,
        left_at: null,
      })),
    )
    .execute();

export const rejoin = (db: Q, conversationId: number, userId: number, at: number) =>
  db
    .updateTable('conversation_members')
    .set({ left_at: null, joined_at: at })
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .execute();

export const activeMembers = (db: Q, conversationIds: number[]) =>
  conversationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('conversation_members')
        .innerJoin('users', 'users.id', 'conversation_members.user_id')
        .select(['conversation_members.conversation_id', 'users.id', 'users.username', 'users.display_name'])
        .where('conversation_members.conversation_id', 'in', conversationIds)
        .where('conversation_members.left_at', 'is', null)
        .execute();

export async function insertMessage(
  db: Q,
  m: { conversationId: number; senderId: number; body: string; bodyHtml: string; at: number },
) {
  const row = await db
    .insertInto('messages')
    .values({
      conversation_id: m.conversationId,
      sender_id: m.senderId,
      body: m.body,
      body_html: m.bodyHtml,
      created_at: m.at,
      deleted_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .updateTable('conversations')
    .set({ last_message_at: m.at })
    .where('id', '=', m.conversationId)
    .execute();
  return row;
}

/** The member's conversations, latest message first (or just one, by id). */
export const listConversations = (
  db: Q,
  userId: number,
  after: [number, number] | null,
  limit: number,
  onlyId?: number,
) => {
  let q = db
    .selectFrom('conversation_members as cm')
    .innerJoin('conversations as c', 'c.id', 'cm.conversation_id')
    .select(['c.id', 'c.kind', 'c.title', 'c.created_at', 'c.last_message_at', 'cm.last_read_id'])
    .select((eb) => eb.fn.coalesce('c.last_message_at', 'c.created_at').as('sort_at'))
    .where('cm.user_id', '=', userId)
    .where('cm.left_at', 'is', null);
  if (onlyId != null) q = q.where('c.id', '=', onlyId);
  if (after) {
    const [at, id] = after;
    q = q.where((eb) => {
      const sortAt = eb.fn.coalesce('c.last_message_at', 'c.created_at');
      return eb.or([eb(sortAt, '<', at), eb.and([eb(sortAt, '=', at), eb('c.id', '<', id)])]);
    });
  }
  return q
    .orderBy((eb) => eb.fn.coalesce('c.last_message_at', 'c.created_at'), 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit + 1)
    .execute();
};

/** Messages the viewer sees: not deleted, not from members they blocked. Newest first. */
export const listMessages = (
  db: Q,
  a: { conversationId: number; viewerId: number; beforeId: number | null; limit: number },
) => {
  let q = db
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.sender_id')
    .select([
      'messages.id',
      'messages.conversation_id',
      'messages.sender_id',
      'messages.body',
      'messages.body_html',
      'messages.created_at',
      'users.username',
      'users.display_name',
    ])
    .where('messages.conversation_id', '=', a.conversationId)
    .where('messages.deleted_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('blocks')
            .select('blocks.blocker_id')
            .where('blocks.blocker_id', '=', a.viewerId)
            .whereRef('blocks.blocked_id', '=', 'messages.sender_id'),
        ),
      ),
    );
  if (a.beforeId != null) q = q.where('messages.id', '<', a.beforeId);
  return q
    .orderBy('messages.id', 'desc')
    .limit(a.limit + 1)
    .execute();
};
export type MessageRow = Awaited<ReturnType<typeof listMessages>>[number];

export const findMessage = (db: Q, id: number) =>
  db
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.sender_id')
    .select([
      'messages.id',
      'messages.conversation_id',
      'messages.sender_id',
      'messages.body',
      'messages.body_html',
      'messages.created_at',
      'messages.deleted_at',
      'users.username',
      'users.display_name',
    ])
    .where('messages.id', '=', id)
    .executeTakeFirst();

/** Unread messages per conversation for the member (not their own, not from people they blocked). */
export async function unreadCounts(db: Q, userId: number, conversationIds: number[]) {
  const out = new Map<number, number>();
  if (conversationIds.length === 0) return out;
  const rows = await db
    .selectFrom('messages')
    .innerJoin('conversation_members as cm', (j) =>
      j.onRef('cm.conversation_id', '=', 'messages.conversation_id').on('cm.user_id', '=', userId),
    )
    .select(['messages.conversation_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('messages.conversation_id', 'in', conversationIds)
    .where('messages.sender_id', '!=', userId)
    .where('messages.deleted_at', 'is', null)
    .whereRef('messages.id', '>', 'cm.last_read_id')
    .groupBy('messages.conversation_id')
    .execute();
  for (const r of rows) out.set(r.conversation_id, Number(r.n));
  return out;
}

export async function lastMessages(db: Q, conversationIds: number[]) {
  const out = new Map<number, MessageRow>();
  for (const id of conversationIds) {
    const row = await db
      .selectFrom('messages')
      .innerJoin('users', 'users.id', 'messages.sender_id')
      .select([
        'messages.id',
        'messages.conversation_id',
        'messages.sender_id',
        'messages.body',
        'messages.body_html',
        'messages.created_at',
        'users.username',
        'users.display_name',
      ])
      .where('messages.conversation_id', '=', id)
      .where('messages.deleted_at', 'is', null)
      .orderBy('messages.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row) out.set(id, row);
  }
  return out;
}

export const markConversationRead = (db: Q, conversationId: number, userId: number, upToId: number) =>
  db
    .updateTable('conversation_members')
    .set({ last_read_id: upToId })
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .execute();

export const leaveConversation = (db: Q, conversationId: number, userId: number, at: number) =>
  db
    .updateTable('conversation_members')
    .set({ left_at: at })
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .execute();

export const insertBlock = (db: Q, blockerId: number, blockedId: number, at: number) =>
  db
    .insertInto('blocks')
    .values({ blocker_id: blockerId, blocked_id: blockedId, created_at: at })
    .onConflict((oc) => oc.columns(['blocker_id', 'blocked_id']).doNothing())
    .execute();

export const deleteBlock = (db: Q, blockerId: number, blockedId: number) =>
  db.deleteFrom('blocks').where('blocker_id', '=', blockerId).where('blocked_id', '=', blockedId).execute();

export const listBlocks = (db: Q, blockerId: number) =>
  db
    .selectFrom('blocks')
    .innerJoin('users', 'users.id', 'blocks.blocked_id')
    .select(['users.id', 'users.username', 'users.display_name', 'blocks.created_at'])
    .where('blocks.blocker_id', '=', blockerId)
    .orderBy('blocks.created_at', 'desc')
    .execute();

export const latestMessageId = async (db: Q, conversationId: number) =>
  (
    await db
      .selectFrom('messages')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst()
  )?.id ?? 0;

export const insertMessageReport = (db: Q, r: DB['message_reports']) =>
  db.insertInto('message_reports').values(r).execute();
