import { sql, type Transaction } from 'kysely';
import { dialectOf, greatest, least } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import { AT_RISK, levelOf, love, RECENT_WEEKS, WEIGHTS, WINDOW_WEEKS } from './engagement.ts';
import { bucketEndDay, bucketOf, bucketStartDay, bucketsOfDay, type Grain, weekOfDay } from './periods.ts';

/** Writes to the analytics rollups. Every rollup write is an additive upsert, so batches can be merged. */
export type Q = Db | Transaction<DB>;

/** The advisory lock class of analytics writers (any constant; PostgreSQL only). */
const ANALYTICS_LOCK = 0x48_41_4e;

/**
 * Every transaction that writes a community's analytics (event handlers, ingestion, the
 * rebuild, dashboard cache fills) first takes this lock on PostgreSQL, so they run one at a
 * time per community. Without it a rebuild (deleting and re-inserting every rollup row) and a
 * handler (upserting a day row, then locking cache rows) could lock the same rows in opposite
 * orders and deadlock (a 500, seen in the authorization matrix on PostgreSQL), and a cache fill
 * could store facts computed before a concurrent handler's update. Several communities are
 * locked in ascending order. SQLite's transactions are serial already. Released at commit.
 */
export async function lockCommunities(db: Q, communityIds: Iterable<number>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  for (const id of [...new Set(communityIds)].sort((a, b) => a - b))
    await sql`select pg_advisory_xact_lock(${ANALYTICS_LOCK}, ${id})`.execute(db);
}

/**
 * For a handler of a community's event: takes the community's lock, then tells whether a
 * rebuild has already counted this event (it reads the content the event is about).
 */
export async function countedByRebuild(db: Q, communityId: number, eventId: number): Promise<boolean> {
  await lockCommunities(db, [communityId]);
  const state = await db
    .selectFrom('analytics_state')
    .select('through_event_id')
    .where('community_id', '=', communityId)
    .executeTakeFirst();
  return eventId <= Number(state?.through_event_id ?? 0);
}

type Row = Record<string, number | string | null>;

/** Largest number of bound values per statement we send (SQLite allows 32766, PostgreSQL 65535). */
const MAX_PARAMS = 8000;

/**
 * Adds `counters` of each row into `table`, inserting rows that do not exist yet:
 * `insert … on conflict (keys) do update set c = table.c + excluded.c`. Rows must have
 * distinct keys within one call (PostgreSQL refuses to update one row twice per statement);
 * `mergeRows` makes them so.
 */
export async function bump(
  db: Q,
  table: keyof DB,
  keys: string[],
  counters: string[],
  rows: Row[],
  returning: readonly string[] = [],
): Promise<Row[]> {
  if (rows.length === 0) return [];
  const cols = [...keys, ...counters];
  const per = Math.max(1, Math.floor(MAX_PARAMS / cols.length));
  const updates = sql.join(
    counters.map((c) => sql`${sql.ref(c)} = ${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`),
  );
  const back = returning.length ? sql` returning ${sql.join(returning.map((c) => sql.ref(c)))}` : sql``;
  const out: Row[] = [];
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values = sql.join(chunk.map((r) => sql`(${sql.join(cols.map((c) => r[c] ?? 0))})`));
    const r =
      await sql<Row>`insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}) values ${values}
      on conflict (${sql.join(keys.map((k) => sql.ref(k)))}) do update set ${updates}${back}`.execute(db);
    if (returning.length) out.push(...r.rows);
  }
  return out;
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

/**
 * Expands per-day member rows into the day, week and month rollups and adds them. Unless told
 * not to (a rebuild clears the community's cache itself), it then deletes the dashboard facts
 * the write changed, known from the rows the upsert returns: a row just created (every counter
 * equals what was added) changes the bucket's active members; a row whose reading just became
 * non-zero changes repeat visitors (day rows) and engagement (week rows); contributions change
 * engagement. Reading added to a member's existing reading day changes none of them.
 */
export async function bumpMembers(
  db: Q,
  rows: { community_id: number; user_id: number; day: number; add: Partial<Record<MemberCounter, number>> }[],
  opts: { invalidate: boolean } = { invalidate: true },
) {
  if (rows.length === 0) return;
  const counters = [...new Set(rows.flatMap((r) => Object.keys(r.add)))];
  const expanded: Row[] = [];
  for (const r of rows) {
    for (const [grain, bucket] of bucketsOfDay(r.day)) {
      expanded.push({ community_id: r.community_id, grain, bucket, user_id: r.user_id, ...r.add });
    }
  }
  const merged = mergeRows(MEMBER_KEYS, counters, expanded);
  if (!opts.invalidate) {
    await bump(db, 'analytics_member_activity', MEMBER_KEYS, counters, merged);
    return;
  }
  const now = await bump(db, 'analytics_member_activity', MEMBER_KEYS, counters, merged, [
    ...MEMBER_KEYS,
    ...MEMBER_COUNTERS,
  ]);
  const key = (r: Row) => `${r.community_id}|${r.grain}|${r.bucket}|${r.user_id}`;
  const added = new Map(merged.map((r) => [key(r), r]));
  const stale = new Map<number, Stale[]>();
  const changes = new Map<number, CacheChanges>();
  for (const r of now) {
    const a = added.get(key(r));
    if (!a) continue;
    const n = (x: unknown) => Number(x ?? 0);
    const created = MEMBER_COUNTERS.every((c) => n(r[c]) === n(a[c]));
    const readingStarted =
      (n(a.read_ms) > 0 || n(a.views) > 0) && n(r.read_ms) === n(a.read_ms) && n(r.views) === n(a.views);
    const contributed = n(a.threads) > 0 || n(a.comments) > 0 || n(a.reactions) > 0;
    const bucket = n(r.bucket);
    const userId = n(r.user_id);
    const cid = n(r.community_id);
    const ch = changes.get(cid) ?? { active: [], readingDays: [], weeks: [], newWeeks: [] };
    changes.set(cid, ch);
    if (created) ch.active.push([r.grain as Grain, bucket]);
    // Reading time per member (count, total, median) of the bucket: computed again when asked.
    if (n(a.read_ms) > 0) {
      const list = stale.get(cid) ?? [];
      list.push({ kind: `reading-${r.grain}`, from: bucket, to: bucket });
      stale.set(cid, list);
    }
    if (r.grain === 'd' && readingStarted) ch.readingDays.push({ userId, day: bucket });
    if (r.grain === 'w' && (created || readingStarted || contributed)) {
      const love =
        n(a.threads) * WEIGHTS.thread +
        n(a.comments) * WEIGHTS.comment +
        n(a.reactions) * WEIGHTS.reaction +
        (readingStarted ? WEIGHTS.readingWeek : 0);
      ch.weeks.push({ userId, week: bucket, love, created });
      // Members at risk only change with a member's first activity of a week.
      if (created) ch.newWeeks.push({ userId, week: bucket });
    }
  }
  for (const [communityId, list] of stale) await invalidate(db, communityId, list);
  for (const [communityId, ch] of changes) await updateCachedMembers(db, communityId, ch);
}

interface CacheChanges {
  /** Member rows just created: one more active member in that bucket. */
  active: [Grain, number][];
  /** Day rows whose (consented) reading just started. */
  readingDays: { userId: number; day: number }[];
  /** Week rows whose love changed by `love` (weighted, before recency), or just created. */
  weeks: { userId: number; week: number; love: number; created: boolean }[];
  /** Week rows just created (a member's first activity of the week). */
  newWeeks: { userId: number; week: number }[];
}

/**
 * A member's first activity in `week` changes the members at risk of the windows (end weeks)
 * containing it. In a window's quiet weeks: they are no longer at risk, which changes a cached
 * list only if they are on it (removed in place while the list stays exact: it held every
 * candidate, or more than the first ones through ties; otherwise dropped and computed again).
 * In its earlier weeks: one more active week, recounted by primary-key lookups and put in place.
 */
async function atRiskWeekAdded(db: Q, communityId: number, userId: number, week: number) {
  const { quietWeeks, lookbackWeeks, minActiveWeeks } = AT_RISK;
  const span = quietWeeks + lookbackWeeks;
  for (const c of await lockCached(db, communityId, 'at-risk', week, week + span - 1)) {
    const endWeek = c.key;
    const list = (c.data as [number, number, number][]).map(([id, a, b]) => ({ id, a, b }));
    const others = list.filter((x) => x.id !== userId);
    let next: typeof list | null;
    if (week > endWeek - quietWeeks) {
      if (others.length === list.length) continue;
      next = list.length === LISTED ? null : others;
    } else {
      const weeks = await db
        .selectFrom('analytics_member_activity')
        .select('bucket')
        .where('community_id', '=', communityId)
        .where('grain', '=', 'w')
        .where(
          'bucket',
          'in',
          Array.from({ length: span }, (_, i) => endWeek - span + 1 + i),
        )
        .where('user_id', '=', userId)
        .execute();
      const member = await db
        .selectFrom('analytics_members')
        .select('left_at')
        .where('community_id', '=', communityId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      const last = Math.max(...weeks.map((x) => Number(x.bucket)));
      const atRisk =
        member != null &&
        member.left_at == null &&
        weeks.length >= minActiveWeeks &&
        last <= endWeek - quietWeeks;
      next = atRisk ? [...others, { id: userId, a: weeks.length, b: last }] : others;
      if (!atRisk && others.length < list.length && list.length === LISTED) next = null;
      next?.sort((x, y) => y.a - x.a || y.b - x.b);
      if (next) next = topWithTies(next, LISTED);
    }
    if (next == null) await invalidate(db, communityId, [{ kind: 'at-risk', from: endWeek, to: endWeek }]);
    else
      await storeCached(
        db,
        communityId,
        'at-risk',
        endWeek,
        next.map((x) => [x.id, x.a, x.b]),
      );
  }
}

/**
 * Cached dashboard facts of one kind with keys in [from, to], parsed. Writers pass `lock`: the
 * rows are then locked on PostgreSQL (two writers must not both rewrite one row), in key order
 * (one locking order for every writer).
 */
export async function readCache(
  db: Q,
  communityId: number,
  kind: string,
  from: number,
  to: number,
  lock = false,
) {
  let q = db
    .selectFrom('analytics_cache')
    .select(['key', 'data'])
    .where('community_id', '=', communityId)
    .where('kind', '=', kind)
    .where('key', '>=', from)
    .where('key', '<=', to)
    .orderBy('key');
  if (lock && dialectOf(db) === 'postgres') q = q.forUpdate();
  return (await q.execute()).map((r) => ({ key: Number(r.key), data: JSON.parse(r.data) as unknown }));
}

const lockCached = (db: Q, communityId: number, kind: string, from: number, to: number) =>
  readCache(db, communityId, kind, from, to, true);

const storeCached = (db: Q, communityId: number, kind: string, key: number, data: unknown) =>
  db
    .updateTable('analytics_cache')
    .set({ data: JSON.stringify(data) })
    .where('community_id', '=', communityId)
    .where('kind', '=', kind)
    .where('key', '=', key)
    .execute();

/**
 * Brings the cached facts a member-activity write changed up to date in place (computing them
 * again would scan a bucket's rows): active members +1 per new row; visitors and repeat
 * visitors from the member's reading days in the bucket (primary-key lookups); engagement
 * levels from the member's love before and after, over each cached 13-week window.
 */
async function updateCachedMembers(db: Q, communityId: number, ch: CacheChanges) {
  for (const [grain, bucket] of ch.active) {
    for (const c of await lockCached(db, communityId, `active-${grain}`, bucket, bucket))
      await storeCached(db, communityId, `active-${grain}`, c.key, Number(c.data) + 1);
  }
  // Per member and bucket: how many of its days became reading days in this write.
  const started = new Map<string, { userId: number; grain: Grain; bucket: number; days: number }>();
  for (const { userId, day } of ch.readingDays) {
    for (const grain of ['d', 'w', 'm'] as const) {
      const bucket = bucketOf(grain, day);
      const k = `${userId}|${grain}|${bucket}`;
      const x = started.get(k) ?? { userId, grain, bucket, days: 0 };
      x.days++;
      started.set(k, x);
    }
  }
  for (const { userId, grain, bucket, days: fresh } of started.values()) {
    const cached = await lockCached(db, communityId, `repeat-${grain}`, bucket, bucket);
    if (cached.length === 0) continue;
    const days = Array.from(
      { length: bucketEndDay(grain, bucket) - bucketStartDay(grain, bucket) + 1 },
      (_, i) => bucketStartDay(grain, bucket) + i,
    );
    const r = await db
      .selectFrom('analytics_member_activity')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('community_id', '=', communityId)
      .where('grain', '=', 'd')
      .where('bucket', 'in', days)
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('read_ms', '>', 0), eb('views', '>', 0)]))
      .executeTakeFirst();
    // Their reading days in the bucket before and after this write: a visitor from the first, a repeat visitor from the second.
    const after = Number(r?.n ?? 0);
    const before = after - fresh;
    const f = cached[0]!.data as { visitors: number; repeat: number };
    await storeCached(db, communityId, `repeat-${grain}`, bucket, {
      visitors: f.visitors + (before < 1 && after >= 1 ? 1 : 0),
      repeat: f.repeat + (before < 2 && after >= 2 ? 1 : 0),
    });
  }
  for (const { userId, week } of ch.newWeeks) await atRiskWeekAdded(db, communityId, userId, week);
  // Per member: the weeks whose love changed in this write.
  const byUser = new Map<number, CacheChanges['weeks']>();
  for (const w of ch.weeks) byUser.set(w.userId, [...(byUser.get(w.userId) ?? []), w]);
  for (const [userId, changed] of byUser) {
    const first = Math.min(...changed.map((w) => w.week));
    const last = Math.max(...changed.map((w) => w.week));
    const cached = await lockCached(db, communityId, 'levels', first, last + WINDOW_WEEKS - 1);
    if (cached.length === 0) continue;
    const lo = Math.min(...cached.map((c) => c.key)) - WINDOW_WEEKS + 1;
    const hi = Math.max(...cached.map((c) => c.key));
    const weeks = await db
      .selectFrom('analytics_member_activity')
      .select(['bucket', 'threads', 'comments', 'reactions', 'read_ms', 'views'])
      .where('community_id', '=', communityId)
      .where('grain', '=', 'w')
      .where(
        'bucket',
        'in',
        Array.from({ length: hi - lo + 1 }, (_, i) => lo + i),
      )
      .where('user_id', '=', userId)
      .execute();
    for (const c of cached) {
      const endWeek = c.key;
      const inWindow = (b: number) => b > endWeek - WINDOW_WEEKS && b <= endWeek;
      const factor = (b: number) => (b > endWeek - RECENT_WEEKS ? 1 : 0.5);
      const rows = weeks.filter((x) => inWindow(x.bucket));
      const here = changed.filter((w) => inWindow(w.week));
      if (here.length === 0) continue;
      const after = love(
        rows.map((x) => ({
          age: endWeek - x.bucket,
          threads: x.threads,
          comments: x.comments,
          reactions: x.reactions,
          readMs: Number(x.read_ms),
          views: x.views,
        })),
      );
      const before = after - here.reduce((sum, w) => sum + factor(w.week) * w.love, 0);
      const counted = rows.length - here.filter((w) => w.created).length > 0;
      // [members at levels 1..4 among those with activity in the window, how many had any]
      const f = [...(c.data as number[])];
      if (counted) f[levelOf(before).level - 1]!--;
      else f[4]!++;
      f[levelOf(after).level - 1]!++;
      await storeCached(db, communityId, 'levels', endWeek, f);
    }
  }
}

/**
 * Dashboard cache (migration 0016): facts computed from the rollups, valid while their row
 * exists. Kinds and keys: `active-d|w|m` and `repeat-d|w|m` by bucket, `levels` and `at-risk`
 * by end week, `champions` by end day. Writers delete what they change.
 */
export interface Stale {
  kind: string;
  from: number;
  to: number;
}

export async function invalidate(db: Q, communityId: number, stale: Stale[]) {
  if (stale.length === 0) return;
  const seen = new Set<string>();
  const unique = stale.filter((s) => {
    const k = `${s.kind}|${s.from}|${s.to}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  await db
    .deleteFrom('analytics_cache')
    .where('community_id', '=', communityId)
    .where((eb) =>
      eb.or(
        unique.map((s) =>
          s.from === s.to
            ? eb.and([eb('kind', '=', s.kind), eb('key', '=', s.from)])
            : eb.and([eb('kind', '=', s.kind), eb('key', '>=', s.from), eb('key', '<=', s.to)]),
        ),
      ),
    )
    .execute();
}

/** Forgets the cached facts of one community, or of every community. */
export async function clearCache(db: Q, communityId?: number) {
  let q = db.deleteFrom('analytics_cache');
  if (communityId != null) q = q.where('community_id', '=', communityId);
  await q.execute();
}

const ALL_KEYS = { from: -2_147_483_648, to: 2_147_483_647 };

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
  // Members at risk are members still there.
  await invalidate(db, communityId, [{ kind: 'at-risk', ...ALL_KEYS }]);
}

export async function markLeft(db: Q, communityId: number, userId: number, at: number) {
  await db
    .updateTable('analytics_members')
    .set({ left_at: at })
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .execute();
  await invalidate(db, communityId, [{ kind: 'at-risk', ...ALL_KEYS }]);
}

/** How many champions and members at risk the dashboard lists (the cache keeps them and everyone tied with the last). */
export const LISTED = 20;

/** The first `limit` of rows sorted by (a desc, b desc), and everyone tied with the last of them. */
export function topWithTies<T extends { a: number; b: number }>(rows: T[], limit: number): T[] {
  if (rows.length <= limit) return rows;
  const last = rows[limit - 1]!;
  let end = limit;
  while (end < rows.length && rows[end]!.a === last.a && rows[end]!.b === last.b) end++;
  return rows.slice(0, end);
}

/**
 * A reply from `from` to `to` on `day` was just added to `analytics_replies`: updates the cached
 * champions of the 91-day windows that contain it (instead of deleting them, which would cost a
 * scan of every reply of the window on the next request). In a window, a member's distinct
 * repliers and replies only grow with replies to them, so a cached top list (with ties) stays
 * exact when the one member who changed is recounted and put in its place.
 */
export async function replyAdded(db: Q, communityId: number, day: number, to: number, from: number) {
  const span = WINDOW_WEEKS * 7;
  let q = db
    .selectFrom('analytics_cache')
    .select(['key', 'data'])
    .where('community_id', '=', communityId)
    .where('kind', '=', 'champions')
    .where('key', '>=', day)
    .where('key', '<=', day + span - 1)
    .orderBy('key');
  // Two replies handled at once must not both rewrite the list from the same old one.
  if (dialectOf(db) === 'postgres') q = q.forUpdate();
  for (const c of await q.execute()) {
    const endDay = Number(c.key);
    // The window's days by value: one primary-key lookup each (community, day, to[, from]).
    const days = Array.from({ length: span }, (_, i) => endDay - span + 1 + i);
    const list = (JSON.parse(c.data) as [number, number, number][]).map(([id, a, b]) => ({ id, a, b }));
    const mine = list.find((x) => x.id === to);
    let figures: { a: number; b: number };
    if (mine) {
      const pair = await db
        .selectFrom('analytics_replies')
        .select((eb) => eb.fn.sum<number>('n').as('n'))
        .where('community_id', '=', communityId)
        .where('day', 'in', days)
        .where('to_user_id', '=', to)
        .where('from_user_id', '=', from)
        .executeTakeFirst();
      figures = { a: mine.a + (Number(pair?.n ?? 0) === 1 ? 1 : 0), b: mine.b + 1 };
    } else {
      const r = await db
        .selectFrom('analytics_replies')
        .select((eb) => [
          eb.fn.count<number>('from_user_id').distinct().as('a'),
          eb.fn.sum<number>('n').as('b'),
        ])
        .where('community_id', '=', communityId)
        .where('day', 'in', days)
        .where('to_user_id', '=', to)
        .executeTakeFirst();
      figures = { a: Number(r?.a ?? 0), b: Number(r?.b ?? 0) };
    }
    const next = list.filter((x) => x.id !== to);
    next.push({ id: to, ...figures });
    next.sort((x, y) => y.a - x.a || y.b - x.b);
    const data = JSON.stringify(topWithTies(next, LISTED).map((x) => [x.id, x.a, x.b]));
    await db
      .updateTable('analytics_cache')
      .set({ data })
      .where('community_id', '=', communityId)
      .where('kind', '=', 'champions')
      .where('key', '=', endDay)
      .execute();
  }
}

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
  // Their reading leaves active members, repeat visitors and levels of any bucket: recompute.
  const communities = await db
    .selectFrom('analytics_member_activity')
    .select('community_id')
    .distinct()
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('read_ms', '>', 0), eb('views', '>', 0)]))
    .execute();
  await lockCommunities(
    db,
    communities.map((c) => c.community_id),
  );
  for (const c of communities) await clearCache(db, c.community_id);
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
