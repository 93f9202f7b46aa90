import { sql, type Transaction } from 'kysely';
import { dialectOf, greatest, least } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import { bucketsOfDay, weekOfDay } from './periods.ts';

/** Writes to the analytics rollups. Every rollup write is an additive upsert, so batches can be merged. */
export type Q = Db | Transaction<DB>;

type Row = Record<string, number | string | null>;

/** Largest number of bound values per statement we send (SQLite allows 32766, PostgreSQL 65535). */
const MAX_PARAMS = 8000;

/**
 * Adds `counters` of each row into `table`, inserting rows that do not exist yet:
 * `insert … on conflict (keys) do update set c = table.c + excluded.c`. Rows must have
 * distinct keys within one call (PostgreSQL refuses to update one row twice per statement);
 * `mergeRows` makes them so.
 */
export async function bump(db: Q, table: keyof DB, keys: string[], counters: string[], rows: Row[]) {
  if (rows.length === 0) return;
  const cols = [...keys, ...counters];
  const per = Math.max(1, Math.floor(MAX_PARAMS / cols.length));
  const updates = sql.join(
    counters.map((c) => sql`${sql.ref(c)} = ${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`),
  );
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values = sql.join(chunk.map((r) => sql`(${sql.join(cols.map((c) => r[c] ?? 0))})`));
    await sql`insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}) values ${values}
      on conflict (${sql.join(keys.map((k) => sql.ref(k)))}) do update set ${updates}`.execute(db);
  }
}

/** Sums rows with the same key (for `bump`). */
export function mergeRows(keys: string[], counters: string[], rows: Row[]): Row[] {
  const out = new Map<string, Row>();
  for (const r of rows) {
    const k = keys.map((c) => r[c]).join('|');
    const prev = out.get(k);
    if (!prev) out.set(k, { ...r });
    else for (const c of counters) prev[c] = Number(prev[c] ?? 0) + Number(r[c] ?? 0);
  }
  return [...out.values()];
}

export const DAY_COUNTERS = [
  'threads',
  'comments',
  'reactions',
  'new_members',
  'left_members',
  'sentiment_n',
  'sentiment_sum',
  'positive',
  'negative',
  'mod_actions',
  'reports',
] as const;
export type DayCounter = (typeof DAY_COUNTERS)[number];

export const bumpDay = (db: Q, communityId: number, day: number, add: Partial<Record<DayCounter, number>>) =>
  bump(db, 'analytics_days', ['community_id', 'day'], Object.keys(add), [
    { community_id: communityId, day, ...add },
  ]);

export const MEMBER_COUNTERS = [
  'threads',
  'comments',
  'reactions',
  'replies_received',
  'read_ms',
  'views',
] as const;
export type MemberCounter = (typeof MEMBER_COUNTERS)[number];
const MEMBER_KEYS = ['community_id', 'grain', 'bucket', 'user_id'];

/** Expands per-day member rows into the day, week and month rollups and adds them. */
export async function bumpMembers(
  db: Q,
  rows: { community_id: number; user_id: number; day: number; add: Partial<Record<MemberCounter, number>> }[],
) {
  if (rows.length === 0) return;
  const counters = [...new Set(rows.flatMap((r) => Object.keys(r.add)))];
  const expanded: Row[] = [];
  for (const r of rows) {
    for (const [grain, bucket] of bucketsOfDay(r.day)) {
      expanded.push({ community_id: r.community_id, grain, bucket, user_id: r.user_id, ...r.add });
    }
  }
  await bump(
    db,
    'analytics_member_activity',
    MEMBER_KEYS,
    counters,
    mergeRows(MEMBER_KEYS, counters, expanded),
  );
}

/** The member's analytics row (join date for cohorts), created from the membership if missing. */
export async function ensureMember(db: Q, communityId: number, userId: number, fallbackJoinedAt: number) {
  const m = await db
    .selectFrom('memberships')
    .select(['joined_at', 'created_at'])
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const joinedAt = m?.joined_at ?? m?.created_at ?? fallbackJoinedAt;
  await db
    .insertInto('analytics_members')
    .values({
      community_id: communityId,
      user_id: userId,
      joined_at: joinedAt,
      join_week: weekOfDay(Math.floor(joinedAt / 86_400_000)),
      first_contribution_at: null,
      left_at: null,
    })
    .onConflict((oc) => oc.columns(['community_id', 'user_id']).doNothing())
    .execute();
}

export async function markJoined(db: Q, communityId: number, userId: number, at: number) {
  await db
    .insertInto('analytics_members')
    .values({
      community_id: communityId,
      user_id: userId,
      joined_at: at,
      join_week: weekOfDay(Math.floor(at / 86_400_000)),
      first_contribution_at: null,
      left_at: null,
    })
    // A member who comes back keeps their first join date (their cohort) and is no longer "left".
    .onConflict((oc) => oc.columns(['community_id', 'user_id']).doUpdateSet({ left_at: null }))
    .execute();
}

export const markLeft = (db: Q, communityId: number, userId: number, at: number) =>
  db
    .updateTable('analytics_members')
    .set({ left_at: at })
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .execute();

export async function markContribution(db: Q, communityId: number, userId: number, at: number) {
  await ensureMember(db, communityId, userId, at);
  const lo = least(dialectOf(db));
  await db
    .updateTable('analytics_members')
    .set({ first_contribution_at: sql`coalesce(${lo}(first_contribution_at, ${at}), ${at})` })
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .execute();
}

/** The thread's analytics row, created from the threads table if missing (threads older than analytics). */
export async function ensureThread(db: Q, threadId: number) {
  await sql`insert into analytics_threads (thread_id, community_id, author_id, created_at)
    select id, community_id, author_id, created_at from threads where id = ${threadId}
    on conflict (thread_id) do nothing`.execute(db);
}

/** A reply (comment) lands in its thread: counts, deepest level, first response by someone else. */
export async function recordReply(
  db: Q,
  r: { threadId: number; depth: number; at: number; byOther: boolean; newReplier: boolean },
) {
  await ensureThread(db, r.threadId);
  const d = dialectOf(db);
  await db
    .updateTable('analytics_threads')
    .set({
      replies: sql`replies + 1`,
      repliers: sql`repliers + ${r.newReplier ? 1 : 0}`,
      max_depth: sql`${greatest(d)}(max_depth, ${r.depth})`,
      ...(r.byOther && {
        first_response_at: sql`coalesce(${least(d)}(first_response_at, ${r.at}), ${r.at})`,
      }),
    })
    .where('thread_id', '=', r.threadId)
    .execute();
}

/** Whether this is the author's first comment in the thread that is not the thread's own author. */
export async function isNewReplier(db: Q, threadId: number, authorId: number, commentId: number) {
  const earlier = await db
    .selectFrom('comments')
    .select('id')
    .where('thread_id', '=', threadId)
    .where('author_id', '=', authorId)
    .where('id', '<', commentId)
    .limit(1)
    .executeTakeFirst();
  return !earlier;
}

export const bumpThreadReactions = async (db: Q, threadId: number, n: number) => {
  await ensureThread(db, threadId);
  await db
    .updateTable('analytics_threads')
    .set({ reactions: sql`reactions + ${n}` })
    .where('thread_id', '=', threadId)
    .execute();
};

export const markThreadDeleted = (db: Q, threadId: number) =>
  db.updateTable('analytics_threads').set({ deleted: 1 }).where('thread_id', '=', threadId).execute();

export const findCommentText = (db: Q, id: number) =>
  db
    .selectFrom('comments')
    .select(['body', 'thread_id', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();

export const findThreadText = (db: Q, id: number) =>
  db.selectFrom('threads').select(['title', 'body', 'created_at']).where('id', '=', id).executeTakeFirst();

/** Forgets a member's reading as theirs (consent withdrawn): raw events become anonymous counts. */
export async function forgetMemberReading(db: Q, userId: number) {
  await db.updateTable('analytics_reading').set({ user_id: null }).where('user_id', '=', userId).execute();
  await db
    .updateTable('analytics_member_activity')
    .set({ read_ms: 0, views: 0 })
    .where('user_id', '=', userId)
    .execute();
  await deleteEmptyMemberRows(db, 'user_id', userId);
}

/** Rows left with no activity at all (after a consent withdrawal) are removed. */
export async function deleteEmptyMemberRows(db: Q, column: 'user_id' | 'community_id', value: number) {
  await db
    .deleteFrom('analytics_member_activity')
    .where(column, '=', value)
    .where('threads', '=', 0)
    .where('comments', '=', 0)
    .where('reactions', '=', 0)
    .where('replies_received', '=', 0)
    .where('read_ms', '=', 0)
    .where('views', '=', 0)
    .execute();
}
