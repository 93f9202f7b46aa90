import { sql } from 'kysely';
import { iso, isoOrNull } from '../../platform/clock.ts';
import {
  declareUserColumns,
  registerErasureStep,
  registerExportSection,
} from '../../platform/data-rights.ts';

/**
 * What direct messages hold about a member, for erasure and export (platform/data-rights.ts).
 * A conversation also belongs to the other people in it: their copy stays, with the erased
 * member's messages by "Deleted member" (text kept or removed as the member chose).
 */
declareUserColumns([
  { table: 'conversation_members', column: 'user_id', action: 'delete' },
  { table: 'conversations', column: 'created_by', action: 'null' },
  {
    table: 'messages',
    column: 'sender_id',
    action: 'step',
    note: 'by the tombstone; text removed on request',
  },
  { table: 'blocks', column: 'blocker_id', action: 'delete' },
  { table: 'blocks', column: 'blocked_id', action: 'delete' },
  { table: 'messaging_settings', column: 'user_id', action: 'delete' },
  {
    table: 'message_reports',
    column: 'sender_id',
    action: 'null',
    note: "moderators' copy, text removed on request",
  },
  { table: 'message_reports', column: 'reporter_id', action: 'null' },
]);

registerErasureStep({
  name: 'messaging.messages',
  order: 12,
  async run(trx, ctx) {
    // The "min:max" pair key holds their id; a kept conversation no longer needs it.
    const mine = trx
      .selectFrom('conversation_members')
      .select('conversation_id')
      .where('user_id', '=', ctx.userId);
    await trx.updateTable('conversations').set({ direct_key: null }).where('id', 'in', mine).execute();
    if (ctx.content === 'delete') {
      await trx
        .updateTable('messages')
        .set({ body: '', body_html: '', deleted_at: sql`coalesce(deleted_at, ${ctx.now})` })
        .where('sender_id', '=', ctx.userId)
        .execute();
      await trx
        .updateTable('message_reports')
        .set({ body: '' })
        .where('sender_id', '=', ctx.userId)
        .execute();
    }
    await trx
      .updateTable('messages')
      .set({ sender_id: ctx.tombstoneId })
      .where('sender_id', '=', ctx.userId)
      .execute();
  },
});

/** Their conversations (ids, titles, when) and the messages they sent; not what others wrote. */
registerExportSection('messages', async (db, userId) => {
  const conversations = await db
    .selectFrom('conversation_members')
    .innerJoin('conversations', 'conversations.id', 'conversation_members.conversation_id')
    .select([
      'conversations.id',
      'conversations.kind',
      'conversations.title',
      'conversation_members.joined_at',
      'conversation_members.left_at',
    ])
    .where('conversation_members.user_id', '=', userId)
    .orderBy('conversations.id')
    .execute();
  const sent = await db
    .selectFrom('messages')
    .select(['id', 'conversation_id', 'body', 'created_at', 'deleted_at'])
    .where('sender_id', '=', userId)
    .orderBy('id')
    .execute();
  const blocked = await db
    .selectFrom('blocks')
    .innerJoin('users', 'users.id', 'blocks.blocked_id')
    .select(['users.username', 'blocks.created_at'])
    .where('blocks.blocker_id', '=', userId)
    .execute();
  const settings = await db
    .selectFrom('messaging_settings')
    .select('allow_from')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return {
    conversations: conversations.map((c) => ({
      id: c.id,
      kind: c.kind,
      title: c.title,
      joinedAt: iso(c.joined_at),
      leftAt: isoOrNull(c.left_at),
    })),
    sent: sent.map((m) => ({
      id: m.id,
      conversationId: m.conversation_id,
      body: m.body,
      sentAt: iso(m.created_at),
      deletedAt: isoOrNull(m.deleted_at),
    })),
    blocked: blocked.map((b) => ({ username: b.username, since: iso(b.created_at) })),
    allowFrom: settings?.allow_from ?? null,
  };
});
