import type { Db } from '../../db/index.ts';
import { type Clock, DAY, HOUR } from '../../platform/clock.ts';
import { dropOldSalts } from '../../platform/consent.ts';
import type { Jobs } from '../../platform/jobs.ts';
import { dayOf } from './periods.ts';

/**
 * Periodic privacy housekeeping:
 * - `analytics.drop_salts` (hourly): deletes the daily salts of days before yesterday, so
 *   anonymous keys of those days can never be recomputed or linked;
 * - `analytics.retention` (hourly): deletes raw reading (batches) older than the retention period
 *   (rollups stay) and the per-day distinct-reader keys once their day is over.
 */
export function registerAnalyticsJobs(jobs: Jobs, deps: { db: Db; clock: Clock }, retentionDays: number) {
  jobs.every('analytics.drop_salts', HOUR, () => dropOldSalts(deps.db, deps.clock.now()));
  jobs.every('analytics.retention', HOUR, () => applyRetention(deps.db, deps.clock.now(), retentionDays));
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
