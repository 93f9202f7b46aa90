import { type RawBuilder, sql, type Transaction } from 'kysely';
import { dialectOf, greatest, least } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import { type Clock, DAY, HOUR } from '../../platform/clock.ts';
import type { Events } from '../../platform/events.ts';
import './content.events.ts';

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
 * The content.hot_ranks job: refreshes community activity, then every stored rank
 * (hot, active, scaled, controversy) of the threads young enough for them to change;
 * older ones still ranked above 0 drop to 0, even if the job did not run for a while
 * (Lemmy instead leaves such ranks frozen). log() is base 10 on SQLite and PostgreSQL alike.
 */
export async function refreshHotRanks(db: Db, now: number): Promise<number> {
  // One transaction: a reader sees the new community activity together with the scaled ranks
  // divided by it, never one without the other (the home feed relies on a stored scaled rank
  // being at least the thread's scaled rank at any later time: feed README).
  return db.transaction().execute(async (trx) => {
    await refreshCommunityActivity(trx, now);
    // active_at is at most 2 days after creation, so nothing older than 7 + 2 days can rank.
    const horizon = now - HOT_WINDOW_MS - ACTIVE_BUMP_MS;
    const recent = await updateRanks(trx, now, sql`created_at > ${horizon}`);
    // The condition repeats the partial index threads_ranked's predicate, so both databases use it.
    const stale = await sql`update threads set hot_rank = 0, hot_rank_active = 0, scaled_rank = 0
      where created_at <= ${horizon} and (hot_rank > 0 or hot_rank_active > 0 or scaled_rank > 0)`.execute(
      trx,
    );
    return recent + Number(stale.numAffectedRows ?? 0);
  });
}

// ---------------------------------------------------------------------------
// Issue 4: active, scaled and controversial ranks, stored and indexed like hot_rank.
// Same source (LemmyNet/lemmy crates/db_schema/replaceable_schema/utils.sql and the
// post aggregates trigger), checked against it:
//   controversy_rank = (up + down) ^ (min(up, down) / max(up, down)) when both > 0, else 0
//   scaled_rank      = hot_rank / log10(2 + community interactions in the last month),
//                      interactions = sum(comments + upvotes + downvotes) of its threads
//                      published in the last month (r.community_aggregates_interactions)
//   hot_rank_active  = hot_rank timed from newest_comment_time_necro: the newest reply by
//                      someone other than the author, counted only while the thread is
//                      younger than 2 days (Lemmy ignores later replies: no necro-bumping)
// ---------------------------------------------------------------------------

/** Replies bump "active" only while the thread is younger than this (Lemmy: '2 days'). */
export const ACTIVE_BUMP_MS = 2 * DAY;
/** Window of the community interactions behind the scaled rank (Lemmy: '1 month'). */
export const INTERACTIONS_WINDOW_MS = 30 * DAY;

export function controversyRank(up: number, down: number): number {
  if (up <= 0 || down <= 0) return 0;
  return (up + down) ** (Math.min(up, down) / Math.max(up, down));
}

export function scaledRank(hot: number, interactionsMonth: number): number {
  return hot / Math.log10(2 + interactionsMonth);
}

/** The stored column each sort of GET /communities/{slug}/threads pages over (descending, then id). */
export const SORT_COLUMNS = {
  hot: 'hot_rank',
  new: 'created_at',
  top: 'score',
  active: 'hot_rank_active',
  scaled: 'scaled_rank',
  controversial: 'controversy_rank',
  most_comments: 'comment_count',
} as const;
export type ThreadSort = keyof typeof SORT_COLUMNS;

type Q = Db | Transaction<DB>;

/** Lemmy's hot rank as SQL over a timestamp column, at `now`. */
function hotSql(db: Q, at: RawBuilder<unknown>, now: number) {
  return sql`case when ${now} - ${at} >= 0 and ${now} - ${at} < ${HOT_WINDOW_MS}
    then log(${greatest(dialectOf(db as Db))}(2, score + 2)) / power((${now} - ${at}) * 1.0 / ${HOUR} + 2, ${GRAVITY})
    else 0 end`;
}

/** Recomputes every stored rank of the threads `where` selects, in one UPDATE (both dialects). */
async function updateRanks(db: Q, now: number, where: RawBuilder<unknown>): Promise<number> {
  const d = dialectOf(db as Db);
  const hot = hotSql(db, sql.ref('created_at'), now);
  const active = hotSql(db, sql`coalesce(active_at, created_at)`, now);
  const interactions = sql`coalesce((select interactions_month from community_activity a
    where a.community_id = threads.community_id), 0)`;
  const live = (v: RawBuilder<unknown>) => sql`case when deleted_at is null then ${v} else 0 end`;
  const res = await sql`update threads set
      hot_rank = ${live(hot)},
      hot_rank_active = ${live(active)},
      scaled_rank = ${live(sql`${hot} / log(2 + ${interactions})`)},
      controversy_rank = case when up_count > 0 and down_count > 0
        then power(up_count + down_count, ${least(d)}(up_count, down_count) * 1.0 / ${greatest(d)}(up_count, down_count))
        else 0 end
    where ${where}`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}

/** Interactions per community over the last month (Lemmy: r.community_aggregates_interactions). */
async function refreshCommunityActivity(db: Q, now: number) {
  // `where true` lets SQLite parse INSERT ... SELECT ... ON CONFLICT (SQLite upsert docs).
  await sql`insert into community_activity (community_id, interactions_month, refreshed_at)
    select c.id, coalesce((select sum(t.comment_count + t.up_count + t.down_count) from threads t
      where t.community_id = c.id and t.created_at >= ${now - INTERACTIONS_WINDOW_MS} and t.deleted_at is null), 0),
      ${now}
    from communities c where true
    on conflict (community_id) do update set interactions_month = excluded.interactions_month,
      refreshed_at = excluded.refreshed_at`.execute(db);
}

/** Keeps one thread's ranks current between job runs (after a reply or a reaction). */
export const refreshThreadRanks = (db: Q, threadId: number, now: number) =>
  updateRanks(db, now, sql`id = ${threadId}`);

/**
 * Event handlers keeping ranks fresh between job runs: a new thread gets its scaled and
 * active ranks, a reply by someone else within 2 days moves active_at, a reaction moves
 * controversy. Ranks are computed at the handler's run time, not the event's: an event dispatched
 * late must not overwrite a fresher rank (the job's, or the writing transaction's) with the higher
 * rank the thread had when the event happened (a list being paged would see the thread jump).
 */
export function registerRankHandlers(events: Events, clock: Clock): void {
  events.on('content.thread_created', 'content.rank_new_thread', async (e, { db }) => {
    await refreshThreadRanks(db, e.threadId, clock.now());
  });
  events.on('content.comment_created', 'content.rank_reply', async (e, { db }) => {
    if (e.authorId !== e.threadAuthorId) {
      const c = await db
        .selectFrom('comments')
        .select('created_at')
        .where('id', '=', e.commentId)
        .executeTakeFirst();
      if (c) {
        const max = greatest(dialectOf(db as unknown as Db));
        await sql`update threads set active_at = ${max}(coalesce(active_at, created_at), ${c.created_at})
          where id = ${e.threadId} and ${c.created_at} - created_at < ${ACTIVE_BUMP_MS}`.execute(db);
      }
    }
    await refreshThreadRanks(db, e.threadId, clock.now());
  });
  for (const type of ['content.reaction_added', 'content.reaction_removed'] as const) {
    events.on(type, `content.rank_${type.slice(8)}`, async (e, { db }) => {
      if (e.targetType === 'thread') await refreshThreadRanks(db, e.targetId, clock.now());
    });
  }
}
