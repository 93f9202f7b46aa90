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

/** Longest prefix SQLite has an index for (migration 0014: prefix='2 3 4 5 6'). */
export const PREFIX_INDEXED = 6;

/**
 * How the last word is matched: a one-letter word whole; otherwise as a prefix too (search as
 * you type). `superset`: SQLite searches a word longer than its longest prefix index by its
 * first letters (plus the word itself), and search.rank.ts drops the documents in which no word
 * starts like it (a longer prefix would merge the doclists of every term starting with it,
 * in the whole table, on each query).
 */
export function lastWord(dialect: DialectName, word: string): { superset: boolean } {
  return { superset: dialect === 'sqlite' && [...word].length > PREFIX_INDEXED };
}

const FTS = {
  sqlite: {
    /** `"a" AND "b"*`, or `"a" AND ("long" OR "long6"*)` (see lastWord). */
    query: (terms: string[]) =>
      terms
        .map((w, i) => {
          const letters = [...w];
          if (i < terms.length - 1 || letters.length < 2) return `"${w}"`;
          if (letters.length <= PREFIX_INDEXED) return `"${w}"*`;
          return `("${w}" OR "${letters.slice(0, PREFIX_INDEXED).join('')}"*)`;
        })
        .join(' AND '),
    // CROSS JOIN fixes the join order in SQLite: the FTS5 match drives, newest first (its
    // doclists are in rowid order), and each hit then looks up its document.
    from: (kind: Kind) =>
      sql`${sql.table(`search_fts_${kind}`)} cross join search_docs d on d.id = ${sql.ref(`search_fts_${kind}.rowid`)}`,
    match: (kind: Kind, query: string) => sql`${sql.table(`search_fts_${kind}`)} match ${query}`,
    // Constraints on the FTS table's rowid are applied inside FTS5 while it walks its doclists.
    id: (kind: Kind) => sql.ref(`search_fts_${kind}.rowid`),
  },
  postgres: {
    query: (terms: string[]) =>
      terms.map((w, i) => (i === terms.length - 1 && [...w].length >= 2 ? `${w}:*` : w)).join(' & '),
    from: () => sql`search_docs d`,
    // The query as a literal (its words are letters and digits only), not a parameter: the
    // plan depends on how common the words are. A common word: walk the (kind, id) index
    // newest first and test each tsvector until the block is full (a few thousand rows); a
    // rare one: its GIN entries, then sort. With a parameter the plan would be chosen blind.
    // The kind as a literal too, so the planner can use that kind's partial GIN index.
    match: (kind: Kind, query: string) =>
      sql`d.kind = ${sql.lit(kind)} and d.tsv @@ to_tsquery('english', ${sql.lit(query)})`,
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
  /** Only documents with an id up to this one (the block being read; null: from the newest). */
  atMost: number | null;
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

/** A candidate: only what ranking reads (each column of each candidate row costs, and there are BLOCK of them). */
export interface Hit {
  id: number;
  title: string | null;
  body: string;
}

/**
 * The newest `limit` documents that match, that the viewer may read and that pass the
 * filters, newest first, with their text (ranked in search.rank.ts). Newest first is the
 * index's own order on both databases (FTS5 walks doclists by rowid; PostgreSQL walks the
 * (kind, id) index), and ids grow with time, so the walk stops after `limit` rows.
 */
export async function searchDocs(db: Db, a: SearchArgs): Promise<Hit[]> {
  const d: DialectName = dialectOf(db);
  const fts = FTS[d];
  const id = fts.id(a.kind);
  const { joins, where } = scope(a);
  const conds = [fts.match(a.kind, fts.query(a.terms)), sql`d.kind = ${a.kind}`, ...where];
  if (a.atMost != null) conds.push(sql`${id} <= ${a.atMost}`);
  if (a.communitySlug) conds.push(sql`c.slug = ${a.communitySlug.toLowerCase()}`);
  if (a.authorUsername)
    conds.push(sql`d.author_id = (select id from users where username = ${a.authorUsername.toLowerCase()})`);
  if (a.tag)
    conds.push(sql`exists (select 1 from thread_tags tt join tags g on g.id = tt.tag_id
      where tt.thread_id = d.thread_id and g.name = ${a.tag})`);
  if (a.from != null) conds.push(sql`d.created_at >= ${a.from}`);
  if (a.to != null) conds.push(sql`d.created_at <= ${a.to}`);
  const res = await sql<Hit>`
    select d.id, d.title, d.body
    from ${fts.from(a.kind)} ${joins}
    where ${sql.join(conds, sql` and `)}
    order by ${id} desc
    limit ${a.limit}`.execute(db);
  return res.rows;
}

/** What a page of hits is shown with: their documents, communities, authors and the titles of commented threads. */
export async function hitContext(db: Db, ids: number[]) {
  const docs = ids.length
    ? await db
        .selectFrom('search_docs')
        .select(['id', 'kind', 'ref_id', 'community_id', 'thread_id', 'author_id', 'created_at'])
        .where('id', 'in', ids)
        .execute()
    : [];
  const communityIds = [...new Set(docs.map((h) => h.community_id).filter((x): x is number => x != null))];
  const userIds = [...new Set(docs.map((h) => h.author_id).filter((x): x is number => x != null))];
  const threadIds = [...new Set(docs.filter((h) => h.kind === 'comment').map((h) => h.thread_id!))];
  const [communities, users, threads] = await Promise.all([
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
    doc: new Map(docs.map((d) => [d.id, d])),
    community: new Map(communities.map((c) => [c.id, c])),
    user: new Map(users.map((u) => [u.id, u])),
    threadTitle: new Map(threads.map((t) => [t.id, t.title])),
  };
}
