import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { dialectOf } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import type { SocialGraph } from './social.queries.ts';

/**
 * The home feed's SQL: one query for the candidates (every source at once, with the
 * ranking inputs), one for their signals (tags, followed members' engagement). A page is
 * then loaded with content's threadQuery. Few round trips matter more than anything here.
 */
export type Candidate = {
  id: number;
  community_id: number;
  author_id: number;
  score: number;
  created_at: number;
  interactions: number;
};

type ThreadQ = SelectQueryBuilder<DB, 'threads', Omit<Candidate, 'interactions'>>;

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
async function union(db: Db, arms: ThreadQ[]): Promise<Candidate[]> {
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
  const byId = new Map<number, Candidate>();
  for (const c of await q.execute()) byId.set(c.id, c);
  return [...byId.values()];
}

/** Per community, the best threads (by stored scaled rank) a feed ranks; per followed tag, the newest. */
export const PER_COMMUNITY = 20;
export const PER_TAG = 40;

/**
 * The conditions every candidate meets, on thread alias `t`: live (not deleted, not held
 * for approval), created in (from, to], not muted (member, community, tag). The time
 * terms carry a unary plus so that neither database picks the created_at index for
 * them: the per-community and per-tag walks below must follow their own indexes.
 */
function candidateFilter(g: SocialGraph, from: number, to: number, t: string) {
  const c = (col: string) => sql.ref(`${t}.${col}`);
  const parts = [
    sql`${c('deleted_at')} is null`,
    sql`${c('status')} = 'visible'`,
    sql`+${c('created_at')} > ${from}`,
    sql`+${c('created_at')} <= ${to}`,
  ];
  if (g.mutedUsers.length) parts.push(sql`${c('author_id')} not in (${sql.join(g.mutedUsers)})`);
  if (g.mutedCommunities.length)
    parts.push(sql`${c('community_id')} not in (${sql.join(g.mutedCommunities)})`);
  if (g.mutedTags.length)
    parts.push(sql`not exists (select 1 from thread_tags mt where mt.thread_id = ${c('id')}
      and mt.tag_id in (${sql.join(g.mutedTags)}))`);
  return sql.join(parts, sql` and `);
}

/** Public communities and the viewer's own, for sources outside their communities. */
function readableFilter(g: SocialGraph, t: string) {
  const mine = g.memberOf.length
    ? sql` or ${sql.ref(`${t}.community_id`)} in (${sql.join(g.memberOf)})`
    : sql``;
  return sql`(exists (select 1 from communities vc where vc.id = ${sql.ref(`${t}.community_id`)}
    and vc.visibility = 'public')${mine})`;
}

const CANDIDATE_COLS = sql`t.id, t.community_id, t.author_id, t.score, t.created_at`;

/**
 * "The first `k` rows of `inner` for each value of a list": the one dialect difference of
 * the feed. PostgreSQL joins LATERAL over unnest(array); SQLite has no LATERAL, but runs a
 * correlated IN (... LIMIT k) once per json_each row and looks the ids up by primary key.
 * Either way each group walks its own index and stops after k rows, so the cost does not
 * grow with the size of the window or of the community.
 */
function topPerGroup(
  db: Db,
  values: number[],
  k: number,
  inner: (v: RawBuilder<unknown>) => RawBuilder<unknown>,
) {
  if (dialectOf(db) === 'postgres') {
    return sql`select ${CANDIDATE_COLS} from unnest(cast(${values} as integer[])) as grp(v)
      cross join lateral (${inner(sql.ref('grp.v'))} limit ${k}) as t`;
  }
  return sql`select ${CANDIDATE_COLS} from json_each(${JSON.stringify(values)}) as grp
    join threads t on t.id in (select id from (${inner(sql.ref('grp.value'))} limit ${k}))`;
}

/**
 * Candidates of the ranked window (from, to], in one query: the best PER_COMMUNITY of each
 * of the member's communities by stored scaled rank (threads_scaled index), the newest
 * PER_TAG with each followed tag (thread_tags_tag_thread), the newest by followed members
 * (threads_author_recent); the last two only where the viewer may read. Each row comes with
 * its community's interactions of the month (the scaled rank's divisor).
 */
export async function windowCandidates(
  db: Db,
  g: SocialGraph,
  from: number,
  to: number,
): Promise<Candidate[]> {
  const arms: RawBuilder<unknown>[] = [];
  if (g.memberOf.length) {
    arms.push(
      topPerGroup(
        db,
        g.memberOf,
        PER_COMMUNITY,
        (community) => sql`
        select t2.id, t2.community_id, t2.author_id, t2.score, t2.created_at from threads t2
        where t2.community_id = ${community} and t2.scaled_rank > 0 and ${candidateFilter(g, from, to, 't2')}
        order by t2.scaled_rank desc, t2.id desc`,
      ),
    );
  }
  if (g.memberOf.length) {
    // Threads of partner communities cross-posted into the member's communities (collaborations).
    arms.push(sql`select ${CANDIDATE_COLS} from threads t
      where t.id in (select x.thread_id from thread_crossposts x where x.community_id in (${sql.join(g.memberOf)}))
        and ${candidateFilter(g, from, to, 't')}`);
  }
  if (g.followedTags.length) {
    // Every thread of the window has an id >= the window's smallest one, which bounds the
    // walk down each tag's (tag_id, thread_id) range. min(+id): SQLite would answer
    // min(id) from the rowid b-tree's start (its min/max shortcut), not the created_at index.
    const firstId = sql`(select min(+id) from threads where created_at > ${from})`;
    arms.push(
      topPerGroup(
        db,
        g.followedTags,
        PER_TAG,
        (tag) => sql`
        select t2.id, t2.community_id, t2.author_id, t2.score, t2.created_at
        from thread_tags tt join threads t2 on t2.id = tt.thread_id
        where tt.tag_id = ${tag} and tt.thread_id >= ${firstId}
          and ${candidateFilter(g, from, to, 't2')} and ${readableFilter(g, 't2')}
        order by tt.thread_id desc`,
      ),
    );
  }
  if (g.followedUsers.length) {
    arms.push(sql`select ${CANDIDATE_COLS} from threads t
      where t.author_id in (${sql.join(g.followedUsers)}) and t.created_at > ${from} and t.created_at <= ${to}
        and ${candidateFilter(g, from, to, 't')} and ${readableFilter(g, 't')}`);
  }
  if (!arms.length) return [];
  const rows = await sql<Candidate>`
    select c.*, coalesce((select a.interactions_month from community_activity a
      where a.community_id = c.community_id), 0) as interactions
    from (${sql.join(arms, sql` union all `)}) as c`.execute(db);
  const byId = new Map<number, Candidate>();
  for (const r of rows.rows) byId.set(r.id, r);
  return [...byId.values()];
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

/**
 * What boosts these threads, in one query: their tags, and the followed members who
 * engaged with them in (from, to] (commented, not deleted, or reacted with anything but a
 * downvote), with their usernames.
 */
export async function signalsOf(db: Db, followed: number[], threadIds: number[], from: number, to: number) {
  const tags = new Map<number, number[]>();
  const engaged = new Map<number, Map<number, string>>();
  if (!threadIds.length) return { tags, engaged };
  let q = db
    .selectFrom('thread_tags')
    .select([
      sql<string>`'tag'`.as('k'),
      'thread_tags.thread_id as thread_id',
      'thread_tags.tag_id as value',
      sql<string | null>`null`.as('name'),
    ])
    .where('thread_tags.thread_id', 'in', threadIds);
  if (followed.length) {
    q = q
      .unionAll(
        db
          .selectFrom('comments')
          .innerJoin('users', 'users.id', 'comments.author_id')
          .select([
            sql<string>`'user'`.as('k'),
            'comments.thread_id as thread_id',
            'comments.author_id as value',
            'users.username as name',
          ])
          .where('comments.author_id', 'in', followed)
          .where('comments.created_at', '>', from)
          .where('comments.created_at', '<=', to)
          .where('comments.deleted_at', 'is', null)
          .where('comments.thread_id', 'in', threadIds),
      )
      .unionAll(
        db
          .selectFrom('reactions')
          .innerJoin('users', 'users.id', 'reactions.user_id')
          .select([
            sql<string>`'user'`.as('k'),
            'reactions.target_id as thread_id',
            'reactions.user_id as value',
            'users.username as name',
          ])
          .where('reactions.user_id', 'in', followed)
          .where('reactions.target_type', '=', 'thread')
          .where('reactions.kind', '!=', 'downvote')
          .where('reactions.created_at', '>', from)
          .where('reactions.created_at', '<=', to)
          .where('reactions.target_id', 'in', threadIds),
      );
  }
  for (const r of await q.execute()) {
    if (r.k === 'tag') {
      const list = tags.get(r.thread_id);
      if (list) list.push(r.value);
      else tags.set(r.thread_id, [r.value]);
    } else {
      const users = engaged.get(r.thread_id) ?? new Map<number, string>();
      users.set(r.value, r.name ?? '');
      engaged.set(r.thread_id, users);
    }
  }
  return { tags, engaged };
}
