import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { dialectOf, greatest, inIntegers, notInIntegers, stringAgg } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import type { SocialGraph } from './social.queries.ts';

/**
 * The home feed's SQL: tier 1's walk over the stored ranks (every source in one statement, with
 * the ranking inputs), the followed members' engagement with the threads that can still reach
 * the page, and tier 2's older threads. A page is then loaded with content's threadQuery.
 * Few round trips matter more than anything here.
 */
export type OlderThread = {
  id: number;
  community_id: number;
  author_id: number;
  score: number;
  created_at: number;
  interactions: number;
};

type ThreadQ = SelectQueryBuilder<DB, 'threads', Omit<OlderThread, 'interactions'>>;

/**
 * Threads the viewer may see and did not mute: not deleted nor held, created in (from, to],
 * not by a muted member, not in a muted community, without a muted tag. `readable`
 * restricts to public communities and the viewer's own (sources outside their communities).
 */
function visible(db: Db, g: SocialGraph, from: number | null, to: number, readable: boolean): ThreadQ {
  let q = db
    .selectFrom('threads')
    .select([
      'threads.id',
      'threads.community_id',
      'threads.author_id',
      'threads.score',
      'threads.created_at',
    ])
    .where('threads.deleted_at', 'is', null)
    // Held for approval (moderation, issue 6): not shown until a moderator approves it.
    .where('threads.status', '=', 'visible')
    .where('threads.created_at', '<=', to);
  if (from != null) q = q.where('threads.created_at', '>', from);
  if (g.mutedUsers.length) q = q.where('threads.author_id', 'not in', g.mutedUsers);
  if (g.mutedCommunities.length) q = q.where('threads.community_id', 'not in', g.mutedCommunities);
  if (g.mutedTags.length) {
    q = q.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('thread_tags')
            .select('thread_tags.thread_id')
            .whereRef('thread_tags.thread_id', '=', 'threads.id')
            .where('thread_tags.tag_id', 'in', g.mutedTags),
        ),
      ),
    );
  }
  if (readable) {
    // A primary-key join per row, cheaper than matching against every public community's id.
    q = q
      .innerJoin('communities as vc', 'vc.id', 'threads.community_id')
      .where((eb) =>
        eb.or([
          eb('vc.visibility', '=', 'public'),
          ...(g.memberOf.length ? [eb('threads.community_id', 'in', g.memberOf)] : []),
        ]),
      ) as unknown as ThreadQ;
  }
  return q;
}

/** Runs the given source queries as one UNION ALL (each keeps its own order and limit); de-duplicates. */
async function union(db: Db, arms: ThreadQ[]): Promise<OlderThread[]> {
  if (!arms.length) return [];
  // The community's activity is looked up here, for the rows each arm kept, not for every row it sorted.
  const wrapped = arms.map((arm, i) =>
    db
      .selectFrom(arm.as(`s${i}`))
      .selectAll()
      .select(
        sql<number>`coalesce((select a.interactions_month from community_activity a
          where a.community_id = ${sql.ref(`s${i}.community_id`)}), 0)`.as('interactions'),
      ),
  );
  let q = wrapped[0]!;
  for (const w of wrapped.slice(1)) q = q.unionAll(w);
  const byId = new Map<number, OlderThread>();
  for (const c of await q.execute()) byId.set(c.id, c);
  return [...byId.values()];
}

/**
 * Tier 1 of the feed walks each source's threads in stored scaled-rank order down to a
 * threshold (feed.service.ts, README "Home feed"). One statement returns every thread of the
 * window (from, to] with a stored `scaled_rank >= minRank`:
 *   - of the member's communities (not muted): `threads_scaled (community_id, scaled_rank, id)`;
 *   - cross-posted into them (collaborations): `thread_crossposts_community`;
 *   - with a followed tag: `thread_tags_tag_rank (tag_id, scaled_rank)` (migration 0015);
 *   - by a followed member: `threads_author_recent (author_id, created_at)`;
 *   - and, when `edge` is given, every thread of the sources created in that time range
 *     whatever its stored rank (`threads_recent`): see the service (cursor pages).
 * Tags and members bring threads only from public communities or the viewer's own. Each row
 * comes with its community's interactions of the month (the scaled rank's divisor) and the ids
 * of its tags among `liked` (interests and followed tags), comma-joined.
 *
 * `minRank` is a number, or 'probe': then the statement first finds the `probe`-th highest
 * stored rank among the member's communities and followed tags (index only, at most `probe`
 * entries per community and per tag) and walks down to `probeFactor` times it.
 */
export type Candidate = {
  id: number;
  community_id: number;
  author_id: number;
  score: number;
  created_at: number;
  scaled_rank: number;
  interactions: number;
  liked_tags: string | null;
  /** With minRank 'probe': the rank the walk went down to. */
  min_rank?: number;
};

export interface WalkArgs {
  from: number;
  to: number;
  minRank: number | 'probe';
  probe: number;
  probeFactor: number;
  /**
   * Where each ranked group's walk resumes, exclusive, as (rank, id): `communities` and
   * `tags` by group id, `others` for every group not listed. Null on the first walk.
   */
  resume: Resume | null;
  /** Threads created in (edge[0], edge[1]] whatever their stored rank. */
  edge: [number, number] | null;
  liked: number[];
}

export type Key = [rank: number, id: number];
export interface Resume {
  communities: Map<number, Key>;
  tags: Map<number, Key>;
  others: Key;
}

/** Below this a stored rank counts as 0 (unranked): walking to it reads every ranked thread. */
export const RANKED = 1e-300;
const TOP: Key = [Number.MAX_VALUE, 0];

/**
 * PostgreSQL walks each community and each tag with LATERAL ... LIMIT, so the planner's
 * estimate stays small whatever threshold the parameters hold (a generic plan is cheap, no
 * parallel workers are started); a group that fills its LIMIT is cut short, and the caller
 * resumes it from its last key. SQLite walks plain index ranges and never cuts one short.
 */
const PG_GROUP_LIMIT = 48;

export interface Walk {
  rows: Candidate[];
  /** The rank the walk went down to (the probe's result on a first walk). */
  walkedTo: number;
  /** Groups cut short at their LIMIT, with the key to resume them from. */
  cut: { communities: Map<number, Key>; tags: Map<number, Key> };
}

export async function walkCandidates(db: Db, g: SocialGraph, w: WalkArgs): Promise<Walk> {
  const d = dialectOf(db);
  const pg = d === 'postgres';
  const mutedC = new Set(g.mutedCommunities);
  const mine = g.memberOf.filter((c) => !mutedC.has(c));
  const inList = (col: string, values: number[]) => inIntegers(d, sql.ref(col), values);
  const cols = sql`t.id, t.community_id, t.author_id, t.score, t.created_at, t.scaled_rank`;
  // Live, in the window, not muted. The time terms of the rank walks carry a unary plus so
  // that neither database reads them from a created_at index instead of the rank's.
  const live = (time: 'plus' | 'plain', scalar = false) => {
    const at = time === 'plus' ? sql`+t.created_at` : sql`t.created_at`;
    const parts = [
      sql`t.deleted_at is null`,
      sql`t.status = 'visible'`,
      sql`${at} > ${w.from}`,
      sql`${at} <= ${w.to}`,
    ];
    if (g.mutedUsers.length) parts.push(notInIntegers(d, sql.ref('t.author_id'), g.mutedUsers));
    if (g.mutedCommunities.length)
      parts.push(notInIntegers(d, sql.ref('t.community_id'), g.mutedCommunities));
    // In a CASE (the tag walk's flag) PostgreSQL would run an EXISTS as a hashed subplan over
    // every matching row of the table; the scalar form is looked up per row.
    if (g.mutedTags.length)
      parts.push(
        scalar
          ? sql`(select count(*) from thread_tags mt where mt.thread_id = t.id
              and ${inList('mt.tag_id', g.mutedTags)}) = 0`
          : sql`not exists (select 1 from thread_tags mt where mt.thread_id = t.id
              and ${inList('mt.tag_id', g.mutedTags)})`,
      );
    return sql.join(parts, sql` and `);
  };
  // Scalar too: next to an OR, PostgreSQL would also hash an EXISTS over every community.
  const readable = sql`((select vc.visibility from communities vc where vc.id = t.community_id) = 'public'
    or ${inList('t.community_id', g.memberOf)})`;
  const crossposted = sql`t.id in (select x.thread_id from thread_crossposts x
    where ${inList('x.community_id', g.memberOf)})`;

  const y = w.minRank === 'probe' ? sql`(select v from y)` : sql`${w.minRank}`;
  const others = w.resume?.others ?? TOP;
  const keyOf = (list: Map<number, Key> | undefined, id: number) => list?.get(id) ?? others;
  /** One ranked walk per group (community or tag), resumed below its key. */
  const ranked = (
    kind: 'c' | 't',
    groups: number[],
    resume: Map<number, Key> | undefined,
    order: RawBuilder<unknown>,
    walk: (rank: string, id: string, group: RawBuilder<unknown>) => RawBuilder<unknown>,
  ) => {
    if (pg) {
      const keys = groups.map((id) => keyOf(resume, id));
      return sql`select t.*, ${sql.lit(kind)} as arm, grp.v as grp, 1 as ok
        from unnest(cast(${groups} as integer[]), cast(${keys.map((k) => k[0])} as float8[]),
          cast(${keys.map((k) => k[1])} as integer[])) as grp(v, s, i)
        cross join lateral (${walk('s', 'i', sql.ref('grp.v'))}
          order by ${order} limit ${sql.lit(PG_GROUP_LIMIT)}) as t`;
    }
    // SQLite: every group resumes from the same key (no walk is ever cut short).
    return sql`select t.*, ${sql.lit(kind)} as arm, null as grp, 1 as ok from (${walk('', '', sql``)}) as t`;
  };
  // A row comparison, which both databases read as one range of the (group, rank, id) index.
  const below = (rank: RawBuilder<unknown>, id: RawBuilder<unknown>, key: string, at: string) =>
    pg
      ? sql`(${rank}, ${id}) < (${sql.ref(`grp.${key}`)}, ${sql.ref(`grp.${at}`)})`
      : sql`(${rank}, ${id}) < (${others[0]}, ${others[1]})`;
  const arms: RawBuilder<unknown>[] = [];
  if (mine.length) {
    arms.push(
      ranked('c', mine, w.resume?.communities, sql`t.scaled_rank desc, t.id desc`, (s, i, group) => {
        const where = pg ? sql`t.community_id = ${group}` : inList('t.community_id', mine);
        return sql`select ${cols} from threads t where ${where} and t.scaled_rank >= ${y}
          and ${below(sql`t.scaled_rank`, sql`t.id`, s, i)} and ${live('plus')}`;
      }),
    );
    arms.push(sql`select ${cols}, 'x' as arm, null as grp, 1 as ok from threads t
      where ${crossposted} and +t.scaled_rank >= ${y} and ${live('plus')}`);
  }
  if (g.followedTags.length && pg) {
    // The LATERAL reads the tag's index alone, and the thread's conditions come after it as a
    // flag: inside, the planner would expect them to reject nearly every row, so that its
    // LIMIT bounds nothing, and price the generic plan above the custom ones (replanned each
    // time). A group is cut at its LIMIT counting the rows that fail them too.
    const keys = g.followedTags.map((id) => keyOf(w.resume?.tags, id));
    arms.push(sql`select ${cols}, 't' as arm, grp.v as grp,
        case when ${live('plus', true)} and ${readable} then 1 else 0 end as ok
      from unnest(cast(${g.followedTags} as integer[]), cast(${keys.map((k) => k[0])} as float8[]),
        cast(${keys.map((k) => k[1])} as integer[])) as grp(v, s, i)
      cross join lateral (select tt.thread_id, tt.scaled_rank from thread_tags tt
        where tt.tag_id = grp.v and tt.scaled_rank >= ${y} and (tt.scaled_rank, tt.thread_id) < (grp.s, grp.i)
        order by tt.scaled_rank desc, tt.thread_id desc limit ${sql.lit(PG_GROUP_LIMIT)}) as w
      join threads t on t.id = w.thread_id`);
  } else if (g.followedTags.length)
    arms.push(sql`select ${cols}, 't' as arm, null as grp, 1 as ok
      from thread_tags tt join threads t on t.id = tt.thread_id
      where ${inList('tt.tag_id', g.followedTags)} and tt.scaled_rank >= ${y}
        and ${below(sql`tt.scaled_rank`, sql`tt.thread_id`, '', '')} and ${live('plus')} and ${readable}`);
  if (g.followedUsers.length)
    arms.push(sql`select ${cols}, 'u' as arm, null as grp, 1 as ok from threads t
      where ${inList('t.author_id', g.followedUsers)} and t.created_at > ${w.from} and t.created_at <= ${w.to}
        and +t.scaled_rank >= ${y} and ${live('plus')} and ${readable}`);
  if (w.edge && arms.length) {
    const [lo, hi] = w.edge;
    const tagged = g.followedTags.length
      ? sql`exists (select 1 from thread_tags et where et.thread_id = t.id and ${inList('et.tag_id', g.followedTags)})`
      : sql`1 = 0`;
    arms.push(sql`select ${cols}, 'e' as arm, null as grp, 1 as ok from threads t
      where t.created_at > ${lo} and t.created_at <= ${hi} and ${live('plain')}
        and (${inIntegers(d, sql`+t.community_id`, mine)} or ${crossposted}
          or ((${tagged} or ${inIntegers(d, sql`+t.author_id`, g.followedUsers)}) and ${readable}))`);
  }
  const cut = { communities: new Map<number, Key>(), tags: new Map<number, Key>() };
  const fixed = typeof w.minRank === 'number' ? w.minRank : null;
  if (!arms.length) return { rows: [], walkedTo: RANKED, cut };
  const agg = stringAgg(d);
  const walked = fixed == null ? sql`, (select v from y) as min_rank` : sql``;
  const body = sql`select c.*${walked}, coalesce((select a.interactions_month from community_activity a
      where a.community_id = c.community_id), 0) as interactions,
    (select ${agg}(cast(lt.tag_id as text), ',') from thread_tags lt
      where lt.thread_id = c.id and ${inIntegers(d, sql`+lt.tag_id`, w.liked)}) as liked_tags
    from (${sql.join(arms, sql` union all `)}) as c`;
  const query =
    fixed == null
      ? sql`with y as materialized (select ${greatest(d)}(coalesce(
            (${probeRank(db, mine, g.followedTags, w.probe)}) * ${w.probeFactor}, 0), ${RANKED}) as v)
          ${body}`
      : body;
  const rows = (await sql<Candidate & { arm: string; grp: number | null; ok: number }>`${query}`.execute(db))
    .rows;
  // Groups that filled their LIMIT (PostgreSQL) resume from their last row.
  if (pg) {
    const counts = new Map<string, { n: number; last: Key }>();
    for (const r of rows) {
      if (r.arm !== 'c' && r.arm !== 't') continue;
      const k = `${r.arm}${r.grp}`;
      const e = counts.get(k);
      const key: Key = [r.scaled_rank, r.id];
      if (!e) counts.set(k, { n: 1, last: key });
      else {
        e.n++;
        if (r.scaled_rank < e.last[0] || (r.scaled_rank === e.last[0] && r.id < e.last[1])) e.last = key;
      }
    }
    for (const [k, e] of counts)
      if (e.n >= PG_GROUP_LIMIT) (k[0] === 'c' ? cut.communities : cut.tags).set(Number(k.slice(1)), e.last);
  }
  const byId = new Map<number, Candidate>();
  for (const r of rows) if (Number(r.ok) === 1) byId.set(r.id, r);
  // A probe walk that found nothing does not say how far it went: as if it had not started.
  return { rows: [...byId.values()], walkedTo: fixed ?? rows[0]?.min_rank ?? Number.MAX_VALUE, cut };
}

/**
 * The k-th highest stored scaled rank among the given communities' and tags' threads, or null
 * when they have fewer than k ranked ones: the k highest of each community and of each tag,
 * read from the rank indexes alone. PostgreSQL: LATERAL over unnest(array), one fixed text;
 * SQLite has no LATERAL: one `LIMIT k` sub-select per community and per tag.
 */
function probeRank(db: Db, communities: number[], tags: number[], k: number) {
  // k (the page size + 1) is written into the SQL: a LIMIT given as a parameter is estimated
  // at a tenth of the rows in PostgreSQL's generic plan, which then never wins over a custom one.
  if (!Number.isInteger(k)) throw new Error('probeRank: k must be an integer');
  if (dialectOf(db) === 'postgres') {
    return sql`select min(s) from (select s from (
        select p.s from unnest(cast(${communities} as integer[])) as g(v) cross join lateral
          (select scaled_rank as s from threads where community_id = g.v and scaled_rank > 0
            order by scaled_rank desc limit ${sql.lit(k)}) as p
        union all
        select p.s from unnest(cast(${tags} as integer[])) as g(v) cross join lateral
          (select scaled_rank as s from thread_tags where tag_id = g.v and scaled_rank > 0
            order by scaled_rank desc limit ${sql.lit(k)}) as p) as u
      order by s desc limit ${sql.lit(k)}) as top having count(*) >= ${sql.lit(k)}`;
  }
  // SQLite reads at most k entries per value of an IN list on the index's first column when
  // the query orders by the second with a LIMIT (its IN early-out): no sorting of every row.
  const top = (table: string, col: string, values: number[]) =>
    sql`select * from (select scaled_rank as s from ${sql.table(table)}
      where ${inIntegers('sqlite', sql.ref(col), values)} and scaled_rank > 0 order by scaled_rank desc limit ${sql.lit(k)})`;
  return sql`select min(s) from (select s from (${top('threads', 'community_id', communities)}
      union all ${top('thread_tags', 'tag_id', tags)}) order by s desc limit ${sql.lit(k)}) having count(*) >= ${sql.lit(k)}`;
}

/**
 * The followed members who engaged with these threads in (from, to] (commented, not deleted,
 * or reacted with anything but a downvote), with their usernames: thread id -> id -> name.
 */
export async function engagementOf(
  db: Db,
  followed: number[],
  threadIds: number[],
  from: number,
  to: number,
) {
  const engaged = new Map<number, Map<number, string>>();
  if (!followed.length || !threadIds.length) return engaged;
  const d = dialectOf(db);
  const rows = await sql<{ thread_id: number; user_id: number; name: string }>`
    select c.thread_id, c.author_id as user_id, u.username as name from comments c
      join users u on u.id = c.author_id
      where ${inIntegers(d, sql.ref('c.thread_id'), threadIds)} and ${inIntegers(d, sql`+c.author_id`, followed)}
        and c.created_at > ${from} and c.created_at <= ${to} and c.deleted_at is null
    union all
    select r.target_id as thread_id, r.user_id, u.username as name from reactions r
      join users u on u.id = r.user_id
      where r.target_type = 'thread' and ${inIntegers(d, sql.ref('r.target_id'), threadIds)}
        and ${inIntegers(d, sql`+r.user_id`, followed)} and r.kind <> 'downvote'
        and r.created_at > ${from} and r.created_at <= ${to}`.execute(db);
  for (const r of rows.rows) {
    const users = engaged.get(r.thread_id) ?? new Map<number, string>();
    users.set(r.user_id, r.name ?? '');
    engaged.set(r.thread_id, users);
  }
  return engaged;
}

/** Threads older than the window, newest first, keyset on (created_at, id), from every source. */
export async function olderThreads(
  db: Db,
  g: SocialGraph,
  before: number,
  after: [number, number] | null,
  limit: number,
) {
  const keyset = (q: ThreadQ) => {
    let k = q.orderBy('threads.created_at', 'desc').orderBy('threads.id', 'desc').limit(limit);
    if (after) {
      const [at, id] = after;
      k = k.where((eb) =>
        eb.or([
          eb('threads.created_at', '<', at),
          eb.and([eb('threads.created_at', '=', at), eb('threads.id', '<', id)]),
        ]),
      );
    }
    return k;
  };
  const arms: ThreadQ[] = [];
  if (g.memberOf.length) {
    arms.push(keyset(visible(db, g, null, before, false).where('threads.community_id', 'in', g.memberOf)));
    // Cross-posted into the member's communities (collaborations).
    arms.push(
      keyset(
        visible(db, g, null, before, false).where('threads.id', 'in', (eb) =>
          eb
            .selectFrom('thread_crossposts')
            .select('thread_crossposts.thread_id')
            .where('thread_crossposts.community_id', 'in', g.memberOf),
        ),
      ),
    );
  }
  if (g.followedTags.length)
    arms.push(
      keyset(
        visible(db, g, null, before, true).where('threads.id', 'in', (eb) =>
          eb
            .selectFrom('thread_tags')
            .select('thread_tags.thread_id')
            .where('thread_tags.tag_id', 'in', g.followedTags),
        ),
      ),
    );
  if (g.followedUsers.length)
    arms.push(keyset(visible(db, g, null, before, true).where('threads.author_id', 'in', g.followedUsers)));
  return (await union(db, arms)).sort((a, b) => b.created_at - a.created_at || b.id - a.id).slice(0, limit);
}
