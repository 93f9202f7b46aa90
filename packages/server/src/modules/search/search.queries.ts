import { type RawBuilder, sql } from 'kysely';
import { type DialectName, dialectOf } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';

/**
 * Full-text search over search_docs (filled by triggers, migration 0002). The one
 * dialect difference is isolated in FTS below: SQLite matches through one FTS5 table per
 * kind (search_fts_thread, ...: porter stemmer, bm25), PostgreSQL through the stored
 * tsvector `tsv` (english config, one partial GIN index per kind, ts_rank_cd). The rest
 * (who may see what, filters, paging) is shared SQL.
 */
export type Kind = 'thread' | 'comment' | 'community' | 'member';

const FTS = {
  sqlite: {
    /** `"a" AND ("b" OR "b"*)`: every word, the last one also as a prefix (search as you type). */
    query: (terms: string[]) =>
      terms.map((w, i) => (i === terms.length - 1 ? `("${w}" OR "${w}"*)` : `"${w}"`)).join(' AND '),
    // CROSS JOIN fixes the join order in SQLite: the FTS5 match drives, each hit then looks up
    // its document. Left to itself the planner may loop over documents and re-run the match
    // for each one (the id > bound condition on search_docs makes that look cheap).
    from: (kind: Kind) =>
      sql`${sql.table(`search_fts_${kind}`)} cross join search_docs d on d.id = ${sql.ref(`search_fts_${kind}.rowid`)}`,
    match: (kind: Kind, query: string) => sql`${sql.table(`search_fts_${kind}`)} match ${query}`,
    // bm25: lower is better; the title weighs 5x the body.
    score: (kind: Kind) => sql`-bm25(${sql.table(`search_fts_${kind}`)}, 5.0, 1.0)`,
    // Constraints on the FTS table's rowid are applied inside FTS5 while it walks its doclists.
    id: (kind: Kind) => sql.ref(`search_fts_${kind}.rowid`),
  },
  postgres: {
    query: (terms: string[]) =>
      terms.map((w, i) => (i === terms.length - 1 ? `(${w} | ${w}:*)` : w)).join(' & '),
    from: () => sql`search_docs d`,
    // The kind as a literal, so the planner can use that kind's partial GIN index.
    match: (kind: Kind, query: string) =>
      sql`d.kind = ${sql.lit(kind)} and d.tsv @@ to_tsquery('english', ${query})`,
    score: (_kind: Kind, query: string) => sql`ts_rank_cd(d.tsv, to_tsquery('english', ${query}))`,
    id: () => sql.ref('d.id'),
  },
} as const;

export interface SearchArgs {
  kind: Kind;
  /** Words: letters and digits only (search.service.ts parses them), so they are safe inside a query. */
  terms: string[];
  viewer: { userId: number; isAdmin: boolean } | null;
  communitySlug?: string;
  authorUsername?: string;
  tag?: string;
  from?: number;
  to?: number;
  sort: 'relevance' | 'new';
  /** Which documents (by id): above `above` (the recent window), or up to `atMost` (older ones). */
  above: number | null;
  atMost: number | null;
  /** relevance: rows to skip; new: the last id returned. */
  offset: number;
  beforeId: number | null;
  limit: number;
}

/**
 * Who may see what, per kind, checked against the source rows at query time (so a
 * visibility change or a deletion applies at once): threads and comments only in
 * public communities or the viewer's own (active membership), never deleted (nor a
 * comment of a deleted thread); communities public or where the viewer is active or
 * invited (like the community list); members: everyone. Admins read every community.
 */
function scope(a: SearchArgs): { joins: RawBuilder<unknown>; where: RawBuilder<unknown>[] } {
  const uid = a.viewer?.userId ?? -1;
  const admin = a.viewer?.isAdmin ?? false;
  const readable = (statuses: string[]) =>
    admin
      ? sql`1 = 1`
      : sql`(c.visibility = 'public' or c.id in (select community_id from memberships
          where user_id = ${uid} and status in (${sql.join(statuses)})))`;
  switch (a.kind) {
    case 'thread':
      return {
        joins: sql`join threads t on t.id = d.ref_id join communities c on c.id = t.community_id`,
        where: [sql`t.deleted_at is null`, readable(['active'])],
      };
    case 'comment':
      return {
        joins: sql`join comments cm on cm.id = d.ref_id join threads t on t.id = cm.thread_id
          join communities c on c.id = cm.community_id`,
        where: [sql`cm.deleted_at is null`, sql`t.deleted_at is null`, readable(['active'])],
      };
    case 'community':
      return { joins: sql`join communities c on c.id = d.ref_id`, where: [readable(['active', 'invited'])] };
    case 'member':
      return { joins: sql`join users u on u.id = d.ref_id`, where: [] };
  }
}

export interface Hit {
  id: number;
  kind: Kind;
  ref_id: number;
  community_id: number | null;
  thread_id: number | null;
  author_id: number | null;
  created_at: number;
  score: number;
}

export async function searchDocs(db: Db, a: SearchArgs): Promise<Hit[]> {
  const d: DialectName = dialectOf(db);
  const fts = FTS[d];
  const query = fts.query(a.terms);
  const id = fts.id(a.kind);
  const { joins, where } = scope(a);
  const conds = [fts.match(a.kind, query), sql`d.kind = ${a.kind}`, ...where];
  if (a.above != null) conds.push(sql`${id} > ${a.above}`);
  if (a.atMost != null) conds.push(sql`${id} <= ${a.atMost}`);
  if (a.communitySlug) conds.push(sql`c.slug = ${a.communitySlug.toLowerCase()}`);
  if (a.authorUsername)
    conds.push(sql`d.author_id = (select id from users where username = ${a.authorUsername.toLowerCase()})`);
  if (a.tag)
    conds.push(sql`exists (select 1 from thread_tags tt join tags g on g.id = tt.tag_id
      where tt.thread_id = d.thread_id and g.name = ${a.tag})`);
  if (a.from != null) conds.push(sql`d.created_at >= ${a.from}`);
  if (a.to != null) conds.push(sql`d.created_at <= ${a.to}`);
  if (a.sort === 'new' && a.beforeId != null) conds.push(sql`${id} < ${a.beforeId}`);
  // Newest first is the index's own order (FTS5 walks doclists by rowid; ids grow with time).
  const order = a.sort === 'new' ? sql`${id} desc` : sql`score desc, d.id asc`;
  const res = await sql<Hit>`
    select d.id, d.kind, d.ref_id, d.community_id, d.thread_id, d.author_id, d.created_at,
      ${fts.score(a.kind, query)} as score
    from ${fts.from(a.kind)} ${joins}
    where ${sql.join(conds, sql` and `)}
    order by ${order}
    limit ${a.limit + 1} offset ${a.sort === 'new' ? 0 : a.offset}`.execute(db);
  return res.rows;
}

/** The id of the n-th newest document of a kind: relevance is first ranked among the newer ones. */
export async function nthNewestId(db: Db, kind: Kind, n: number): Promise<number | null> {
  const row = await db
    .selectFrom('search_docs')
    .select('id')
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .offset(n - 1)
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** What a page of hits is shown with: its text, communities, authors and the titles of commented threads. */
export async function hitContext(db: Db, hits: Hit[]) {
  const communityIds = [...new Set(hits.map((h) => h.community_id).filter((x): x is number => x != null))];
  const userIds = [...new Set(hits.map((h) => h.author_id).filter((x): x is number => x != null))];
  const threadIds = [...new Set(hits.filter((h) => h.kind === 'comment').map((h) => h.thread_id!))];
  const [docs, communities, users, threads] = await Promise.all([
    hits.length
      ? db
          .selectFrom('search_docs')
          .select(['id', 'title', 'body'])
          .where(
            'id',
            'in',
            hits.map((h) => h.id),
          )
          .execute()
      : [],
    communityIds.length
      ? db.selectFrom('communities').select(['id', 'slug', 'name']).where('id', 'in', communityIds).execute()
      : [],
    userIds.length
      ? db
          .selectFrom('users')
          .select(['id', 'username', 'display_name', 'avatar_url'])
          .where('id', 'in', userIds)
          .execute()
      : [],
    threadIds.length
      ? db.selectFrom('threads').select(['id', 'title']).where('id', 'in', threadIds).execute()
      : [],
  ]);
  return {
    doc: new Map(docs.map((r) => [r.id, r])),
    community: new Map(communities.map((c) => [c.id, c])),
    user: new Map(users.map((u) => [u.id, u])),
    threadTitle: new Map(threads.map((t) => [t.id, t.title])),
  };
}
