import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Grain } from './periods.ts';

/** Reads for the dashboard: every query is a range over one rollup's primary key or index. */
const DAY_MS = 86_400_000;

export const findCommunity = (db: Db, slug: string) =>
  db
    .selectFrom('communities')
    .select(['id', 'slug', 'name', 'visibility', 'created_at'])
    .where('slug', '=', slug.toLowerCase())
    .executeTakeFirst();

export const rebuiltAt = async (db: Db, communityId: number) =>
  (
    await db
      .selectFrom('analytics_state')
      .select('rebuilt_at')
      .where('community_id', '=', communityId)
      .executeTakeFirst()
  )?.rebuilt_at ?? null;

/** First and last day with any recorded activity. */
export async function dataRange(db: Db, communityId: number) {
  const r = await sql<{ lo: number | null; hi: number | null }>`
    select min(lo) as lo, max(hi) as hi from (
      select min(day) as lo, max(day) as hi from analytics_days where community_id = ${communityId}
      union all
      select min(day), max(day) from analytics_read_days where community_id = ${communityId}
    ) x`.execute(db);
  const row = r.rows[0];
  return { lo: row?.lo == null ? null : Number(row.lo), hi: row?.hi == null ? null : Number(row.hi) };
}

export const contributionDays = (db: Db, communityId: number, from: number, to: number) =>
  db
    .selectFrom('analytics_days')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .execute();

export const readingDays = (db: Db, communityId: number, from: number, to: number) =>
  db
    .selectFrom('analytics_read_days')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .execute();

/** Distinct active members per bucket (one rollup row per member and bucket). */
export const activeCounts = (db: Db, communityId: number, grain: Grain, from: number, to: number) =>
  db
    .selectFrom('analytics_member_activity')
    .select((eb) => ['bucket', eb.fn.countAll<number>().as('members')])
    .where('community_id', '=', communityId)
    .where('grain', '=', grain)
    .where('bucket', '>=', from)
    .where('bucket', '<=', to)
    .groupBy('bucket')
    .execute();

/** Members (with consent) who read in a bucket, and their reading time. */
export const memberReading = (db: Db, communityId: number, grain: Grain, bucket: number) =>
  db
    .selectFrom('analytics_member_activity')
    .select(['read_ms'])
    .where('community_id', '=', communityId)
    .where('grain', '=', grain)
    .where('bucket', '=', bucket)
    .where('read_ms', '>', 0)
    .execute();

/** Members (with consent) who visited on two or more days of a range, and all who visited. */
export async function repeatVisitors(db: Db, communityId: number, from: number, to: number) {
  const r = await sql<{ visitors: number; repeat: number }>`
    select count(*) as visitors, coalesce(sum(case when days >= 2 then 1 else 0 end), 0) as repeat from (
      select user_id, count(*) as days from analytics_member_activity
      where community_id = ${communityId} and grain = 'd' and bucket >= ${from} and bucket <= ${to}
        and (views > 0 or read_ms > 0)
      group by user_id
    ) x`.execute(db);
  return { visitors: Number(r.rows[0]?.visitors ?? 0), repeat: Number(r.rows[0]?.repeat ?? 0) };
}

/** Members who joined in [from, to) and how many contributed within 7 days of joining. */
export async function activation(db: Db, communityId: number, from: number, to: number) {
  const r = await db
    .selectFrom('analytics_members')
    .select((eb) => [
      eb.fn.countAll<number>().as('joined'),
      sql<number>`coalesce(sum(case when first_contribution_at is not null and first_contribution_at - joined_at <= ${7 * DAY_MS} then 1 else 0 end), 0)`.as(
        'activated',
      ),
    ])
    .where('community_id', '=', communityId)
    .where('joined_at', '>=', from)
    .where('joined_at', '<', to)
    .executeTakeFirst();
  return { joined: Number(r?.joined ?? 0), activated: Number(r?.activated ?? 0) };
}

/** Threads started in [from, to): their replies, depth and first response. */
export const threadsStarted = (db: Db, communityId: number, from: number, to: number) =>
  db
    .selectFrom('analytics_threads')
    .select(['created_at', 'replies', 'repliers', 'max_depth', 'first_response_at', 'deleted'])
    .where('community_id', '=', communityId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .execute();

/** Weekly cohorts (by join week) and, for each, how many were active k weeks after joining. */
export async function cohorts(db: Db, communityId: number, fromWeek: number, toWeek: number, maxAge: number) {
  const sizes = await db
    .selectFrom('analytics_members')
    .select((eb) => ['join_week', eb.fn.countAll<number>().as('size')])
    .where('community_id', '=', communityId)
    .where('join_week', '>=', fromWeek)
    .where('join_week', '<=', toWeek)
    .groupBy('join_week')
    .execute();
  const cells = await sql<{ join_week: number; age: number; members: number }>`
    select m.join_week as join_week, a.bucket - m.join_week as age, count(*) as members
    from analytics_members m
    join analytics_member_activity a
      on a.community_id = m.community_id and a.grain = 'w' and a.user_id = m.user_id
      and a.bucket >= m.join_week and a.bucket <= m.join_week + ${maxAge}
    where m.community_id = ${communityId} and m.join_week >= ${fromWeek} and m.join_week <= ${toWeek}
    group by m.join_week, a.bucket - m.join_week`.execute(db);
  return { sizes, cells: cells.rows };
}

/** Threads with the most reading (then the most distinct repliers) among those active in a range. */
export async function topThreads(db: Db, communityId: number, from: number, to: number, limit: number) {
  const r = await sql<{
    thread_id: number;
    title: string;
    read_ms: number;
    readers: number;
    comments: number;
    repliers: number;
    replies: number;
  }>`
    select d.thread_id, t.title, d.read_ms, d.readers, d.comments, coalesce(a.repliers, 0) as repliers,
      coalesce(a.replies, 0) as replies
    from (
      select thread_id, sum(read_ms) as read_ms, sum(readers) as readers, sum(comments) as comments
      from analytics_thread_days
      where community_id = ${communityId} and day >= ${from} and day <= ${to}
      group by thread_id
    ) d
    join threads t on t.id = d.thread_id
    left join analytics_threads a on a.thread_id = d.thread_id
    where t.deleted_at is null and t.status = 'visible'
    order by d.read_ms desc, repliers desc, d.comments desc, d.thread_id
    limit ${limit}`.execute(db);
  return r.rows.map((x) => ({
    ...x,
    read_ms: Number(x.read_ms),
    readers: Number(x.readers),
    comments: Number(x.comments),
    repliers: Number(x.repliers),
  }));
}

/** Per member: the love inputs over weeks [fromWeek, toWeek] (recent weeks weigh in full, older half). */
export async function memberLove(
  db: Db,
  communityId: number,
  fromWeek: number,
  toWeek: number,
  recentFrom: number,
  w: { thread: number; comment: number; reaction: number; readingWeek: number },
) {
  const r = await sql<{ user_id: number; love: number }>`
    select user_id, sum(case when bucket >= ${recentFrom} then 1.0 else 0.5 end *
      (threads * ${w.thread} + comments * ${w.comment} + reactions * ${w.reaction}
       + case when read_ms > 0 or views > 0 then ${w.readingWeek} else 0 end)) as love
    from analytics_member_activity
    where community_id = ${communityId} and grain = 'w' and bucket >= ${fromWeek} and bucket <= ${toWeek}
    group by user_id`.execute(db);
  return r.rows.map((x) => ({ user_id: Number(x.user_id), love: Number(x.love) }));
}

/** Members on the books at a moment: joined by then and not left before it. */
export async function membersAt(db: Db, communityId: number, at: number) {
  const r = await db
    .selectFrom('analytics_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .where('joined_at', '<=', at)
    .where((eb) => eb.or([eb('left_at', 'is', null), eb('left_at', '>', at)]))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Members who joined in [from, to), contributed, and have had no reply from anyone since joining. */
export async function newcomersWithoutReply(
  db: Db,
  communityId: number,
  from: number,
  to: number,
  limit: number,
) {
  const r = await sql<{
    user_id: number;
    username: string;
    display_name: string;
    joined_at: number;
    first_contribution_at: number;
  }>`
    select m.user_id, u.username, u.display_name, m.joined_at, m.first_contribution_at
    from analytics_members m join users u on u.id = m.user_id
    where m.community_id = ${communityId} and m.joined_at >= ${from} and m.joined_at < ${to}
      and m.left_at is null and m.first_contribution_at is not null
      and not exists (
        select 1 from analytics_replies r
        where r.community_id = m.community_id and r.to_user_id = m.user_id and r.day >= cast(m.joined_at / ${DAY_MS} as integer)
      )
    order by m.joined_at desc
    limit ${limit}`.execute(db);
  return r.rows.map((x) => ({
    ...x,
    joined_at: Number(x.joined_at),
    first_contribution_at: Number(x.first_contribution_at),
  }));
}

export async function writeCache(db: Db, communityId: number, kind: string, entries: [number, unknown][]) {
  for (let i = 0; i < entries.length; i += 500) {
    await db
      .insertInto('analytics_cache')
      .values(
        entries
          .slice(i, i + 500)
          .map(([key, v]) => ({ community_id: communityId, kind, key, data: JSON.stringify(v) })),
      )
      .onConflict((oc) =>
        oc.columns(['community_id', 'kind', 'key']).doUpdateSet((eb) => ({ data: eb.ref('excluded.data') })),
      )
      .execute();
  }
}

/** Names of members, for lists computed (and cached) as user ids. */
export const usersByIds = (db: Db, ids: number[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute();

/** Every champion candidate of a range of days: distinct repliers and replies, most first. */
export async function championCandidates(db: Db, communityId: number, from: number, to: number) {
  const r = await sql<{ user_id: number; repliers: number; replies: number }>`
    select to_user_id as user_id, count(distinct from_user_id) as repliers, sum(n) as replies
    from analytics_replies
    where community_id = ${communityId} and day >= ${from} and day <= ${to}
    group by to_user_id
    order by repliers desc, replies desc`.execute(db);
  return r.rows.map((x) => ({ user_id: Number(x.user_id), a: Number(x.repliers), b: Number(x.replies) }));
}

/**
 * Members active in at least `minWeeks` distinct weeks of the `lookback` weeks before the
 * quiet window, and in none of the `quiet` weeks ending with `endWeek`; still members. All of
 * them, most active weeks first, without names (the dashboard caches the first ones).
 */
export async function atRiskCandidates(
  db: Db,
  communityId: number,
  endWeek: number,
  quiet: number,
  lookback: number,
  minWeeks: number,
) {
  const r = await sql<{ user_id: number; weeks: number; last_week: number }>`
    select a.user_id, a.weeks, a.last_week from (
      select user_id, count(*) as weeks, max(bucket) as last_week from analytics_member_activity
      where community_id = ${communityId} and grain = 'w'
        and bucket >= ${endWeek - quiet - lookback + 1} and bucket <= ${endWeek}
      group by user_id
      having max(bucket) <= ${endWeek - quiet} and count(*) >= ${minWeeks}
    ) a
    join analytics_members m on m.community_id = ${communityId} and m.user_id = a.user_id
    where m.left_at is null
    order by a.weeks desc, a.last_week desc`.execute(db);
  return r.rows.map((x) => ({ user_id: Number(x.user_id), a: Number(x.weeks), b: Number(x.last_week) }));
}
