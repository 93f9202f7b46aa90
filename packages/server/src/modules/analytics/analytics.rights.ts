import { iso } from '../../platform/clock.ts';
import {
  declareUserColumns,
  registerErasureStep,
  registerExportSection,
} from '../../platform/data-rights.ts';
import { clearCache, lockCommunities } from './analytics.queries.ts';
import { isoDay } from './periods.ts';

/** What analytics holds about a member, for erasure and export (platform/data-rights.ts). */
declareUserColumns([
  { table: 'analytics_reading', column: 'user_id', action: 'delete' },
  { table: 'analytics_member_activity', column: 'user_id', action: 'delete' },
  { table: 'analytics_members', column: 'user_id', action: 'delete' },
  { table: 'analytics_replies', column: 'to_user_id', action: 'delete' },
  { table: 'analytics_replies', column: 'from_user_id', action: 'delete' },
  {
    table: 'analytics_threads',
    column: 'author_id',
    action: 'tombstone',
    note: 'the thread stays, anonymised',
  },
]);

// First of all erasure's work (PostgreSQL): the analytics lock of every community the member has
// rollups in, so the deletes below cannot deadlock with a rebuild or a handler there.
registerErasureStep({
  name: 'analytics.lock',
  order: 0,
  run: async (trx, ctx) => {
    const ids = new Set<number>();
    for (const [table, column] of [
      ['analytics_members', 'user_id'],
      ['analytics_member_activity', 'user_id'],
      ['analytics_reading', 'user_id'],
      ['analytics_replies', 'to_user_id'],
      ['analytics_replies', 'from_user_id'],
    ] as const) {
      const rows = await trx
        .selectFrom(table)
        .select('community_id')
        .distinct()
        .where(column, '=', ctx.userId)
        .execute();
      for (const r of rows) ids.add(r.community_id);
    }
    await lockCommunities(trx, ids);
  },
});

// Cached dashboard facts hold counts and user ids of every community the member was active in:
// dropped, recomputed from the rollups (which erasure cleans) on the next dashboard request.
registerErasureStep({ name: 'analytics.cache', order: 50, run: (trx) => clearCache(trx) });

registerExportSection('analytics', async (db, userId) => {
  const activity = await db
    .selectFrom('analytics_member_activity')
    .innerJoin('communities', 'communities.id', 'analytics_member_activity.community_id')
    .select([
      'communities.slug',
      'analytics_member_activity.bucket',
      'analytics_member_activity.threads',
      'analytics_member_activity.comments',
      'analytics_member_activity.reactions',
      'analytics_member_activity.replies_received',
      'analytics_member_activity.read_ms',
      'analytics_member_activity.views',
    ])
    .where('analytics_member_activity.user_id', '=', userId)
    .where('analytics_member_activity.grain', '=', 'd')
    .orderBy('analytics_member_activity.bucket')
    .execute();
  const batches = await db
    .selectFrom('analytics_reading')
    .select(['events'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  return {
    note: 'Reading is stored as yours only while you consent; contributions are counted either way.',
    dailyActivity: activity.map((a) => ({
      community: a.slug,
      day: isoDay(a.bucket),
      threads: a.threads,
      comments: a.comments,
      reactions: a.reactions,
      repliesReceived: a.replies_received,
      readMs: Number(a.read_ms),
      views: a.views,
    })),
    readingEvents: batches.flatMap((b) =>
      (JSON.parse(b.events) as [number, number, number][]).map(([threadId, ms, at]) => ({
        threadId,
        kind: ms > 0 ? 'read' : 'view',
        ms,
        at: iso(at),
      })),
    ),
  };
});
