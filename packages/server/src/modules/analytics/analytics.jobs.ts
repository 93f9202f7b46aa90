import type { Db } from '../../db/index.ts';
import { type Clock, DAY, HOUR, MINUTE } from '../../platform/clock.ts';
import { dropOldSalts } from '../../platform/consent.ts';
import type { Jobs } from '../../platform/jobs.ts';
import { members } from './members.service.ts';
import { DEFAULT_BUCKETS, periodSummary, series, windowOf } from './metrics.service.ts';
import { dayOf, type PeriodName } from './periods.ts';

/**
 * Periodic privacy housekeeping:
 * - `analytics.drop_salts` (hourly): deletes the daily salts of days before yesterday, so
 *   anonymous keys of those days can never be recomputed or linked;
 * - `analytics.retention` (hourly): deletes raw reading (batches) older than the retention period
 *   (rollups stay) and the per-day distinct-reader keys once their day is over;
 * - `analytics.warm_dashboards` (every 10 minutes): fills the dashboard cache of communities
 *   whose dashboard was opened in the last week, for today's default periods, so the first
 *   view of a new day (or after a rebuild) does not compute the facts while a manager waits.
 */
export function registerAnalyticsJobs(jobs: Jobs, deps: { db: Db; clock: Clock }, retentionDays: number) {
  jobs.every('analytics.drop_salts', HOUR, () => dropOldSalts(deps.db, deps.clock.now()));
  jobs.every('analytics.retention', HOUR, () => applyRetention(deps.db, deps.clock.now(), retentionDays));
  jobs.every('analytics.warm_dashboards', 10 * MINUTE, () => warmDashboards(deps.db, deps.clock.now()));
}

/** A dashboard opened within this many days is kept warm. */
const WARM_DAYS = 7;

/**
 * Computes what today's dashboard (every period, default series, members) would compute, for
 * the communities whose dashboard was opened lately: their champions are cached per end day, so a
 * champions row of the last WARM_DAYS days marks one. Facts already cached are only read.
 */
export async function warmDashboards(db: Db, now: number) {
  const rows = await db
    .selectFrom('analytics_cache')
    .select('community_id')
    .distinct()
    .where('kind', '=', 'champions')
    .where('key', '>=', dayOf(now) - WARM_DAYS)
    .execute();
  for (const { community_id: id } of rows) {
    for (const period of ['day', 'week', 'month'] satisfies PeriodName[]) {
      const w = windowOf({ period }, now);
      await periodSummary(db, id, w);
      await periodSummary(db, id, windowOf({ period }, now, -1));
      await series(db, id, w, DEFAULT_BUCKETS[period]);
    }
    await members(db, id, windowOf({ period: 'week' }, now));
  }
  return { communities: rows.length };
}

export async function applyRetention(db: Db, now: number, retentionDays: number) {
  const cutoff = now - retentionDays * DAY;
  const old = await db
    .selectFrom('analytics_reading')
    .select((eb) => eb.fn.sum<number>('n').as('n'))
    .where('created_at', '<', cutoff)
    .executeTakeFirst();
  await db.deleteFrom('analytics_reading').where('created_at', '<', cutoff).execute();
  // Distinct-reader keys only deduplicate within their day (late reports: one day back).
  const visitors = await db
    .deleteFrom('analytics_visitors')
    .where('day', '<', dayOf(now) - 1)
    .executeTakeFirst();
  return { events: Number(old?.n ?? 0), visitorKeys: Number(visitors.numDeletedRows) };
}
