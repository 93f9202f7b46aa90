import { iso, isoOrNull } from '../../platform/clock.ts';
import {
  declareUserColumns,
  registerErasureStep,
  registerExportSection,
} from '../../platform/data-rights.ts';

/** What notifications hold about a member, for erasure and export (platform/data-rights.ts). */
declareUserColumns([
  { table: 'notifications', column: 'user_id', action: 'delete' },
  {
    table: 'notifications',
    column: 'actor_id',
    action: 'null',
    note: "others' notifications of what they did stay, unattributed (deleted with their content when they chose that)",
  },
  { table: 'notification_prefs', column: 'user_id', action: 'delete' },
  { table: 'notification_settings', column: 'user_id', action: 'delete' },
  { table: 'community_watches', column: 'user_id', action: 'delete' },
  { table: 'unsubscribe_tokens', column: 'user_id', action: 'delete' },
]);

/** A member who chose to delete their content also takes back the notifications it caused. */
registerErasureStep({
  name: 'notifications.caused',
  order: 15,
  async run(trx, ctx) {
    if (ctx.content === 'delete')
      await trx.deleteFrom('notifications').where('actor_id', '=', ctx.userId).execute();
  },
});

registerExportSection('notifications', async (db, userId) => {
  const items = await db
    .selectFrom('notifications')
    .select(['id', 'type', 'thread_id', 'target_type', 'target_id', 'actor_count', 'created_at', 'read_at'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  const prefs = await db
    .selectFrom('notification_prefs')
    .select(['type', 'channel'])
    .where('user_id', '=', userId)
    .execute();
  const settings = await db
    .selectFrom('notification_settings')
    .select(['digest', 'last_digest_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const watches = await db
    .selectFrom('community_watches')
    .innerJoin('communities', 'communities.id', 'community_watches.community_id')
    .select(['communities.slug', 'community_watches.created_at'])
    .where('community_watches.user_id', '=', userId)
    .execute();
  return {
    notifications: items.map((n) => ({
      id: n.id,
      type: n.type,
      threadId: n.thread_id,
      target: n.target_type ? { type: n.target_type, id: n.target_id } : null,
      actorCount: n.actor_count,
      createdAt: iso(n.created_at),
      readAt: isoOrNull(n.read_at),
    })),
    preferences: Object.fromEntries(prefs.map((p) => [p.type, p.channel])),
    digest: settings?.digest ?? null,
    lastDigestAt: isoOrNull(settings?.last_digest_at),
    watchedCommunities: watches.map((w) => ({ community: w.slug, since: iso(w.created_at) })),
  };
});
