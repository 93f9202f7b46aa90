import { sql } from 'kysely';
import { dialectOf } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import { DAY, HOUR } from '../../platform/clock.ts';

/**
 * Lemmy's hot rank (source: LemmyNet/lemmy, crates/diesel_utils replaceable_schema
 * utils.sql, function r.hot_rank):
 *
 *   log10(max(2, score + 2)) / (ageHours + 2)^1.8, and 0 after a week or for the future.
 *
 * One difference: Lemmy requires ageHours > 0; we accept 0 so a thread created
 * at this very millisecond is not ranked 0 (our clock is exact, Lemmy's trigger
 * runs a moment after insert).
 */
export const HOT_WINDOW_MS = 7 * DAY;
export const GRAVITY = 1.8;

export function hotRank(score: number, createdAt: number, now: number): number {
  const hours = (now - createdAt) / HOUR;
  if (hours < 0 || hours >= HOT_WINDOW_MS / HOUR) return 0;
  return Math.log10(Math.max(2, score + 2)) / (hours + 2) ** GRAVITY;
}

/**
 * Refreshes the stored hot rank of every thread young enough for it to change,
 * plus any older one still ranked above 0 (it drops to 0, even if the job did
 * not run for a while; Lemmy instead leaves such ranks frozen). One UPDATE on both
 * dialects: log() is base 10 on SQLite and PostgreSQL alike.
 */
export async function refreshHotRanks(db: Db, now: number): Promise<number> {
  const greatest = dialectOf(db) === 'postgres' ? sql.raw('greatest') : sql.raw('max');
  const res = await sql`
    update threads set hot_rank = case
      when ${now} - created_at >= 0 and ${now} - created_at < ${HOT_WINDOW_MS}
      then log(${greatest}(2, score + 2)) / power((${now} - created_at) * 1.0 / ${HOUR} + 2, ${GRAVITY})
      else 0 end
    where (created_at > ${now - HOT_WINDOW_MS} or hot_rank > 0) and deleted_at is null`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}
