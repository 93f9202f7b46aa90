import { type RawBuilder, sql } from 'kysely';
import { type DialectName, dialectOf } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';

/**
 * Full-text search over search_docs (filled by triggers, migration 0002). The one dialect
 * difference is how the newest matches are found (sqliteCandidates, postgresCandidates):
 * SQLite through one FTS5 table per kind (search_fts_thread, ...: porter stemmer, prefix
 * indexes, migration 0014), PostgreSQL through the stored tsvector `tsv` (english config).
 * Who may see what and the filters are shared SQL; ranking is in search.rank.ts.
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
 * Who may see what, per kind: threads and comments only in public communities or the
 * viewer's own (active membership), never deleted (nor a comment of a deleted thread);
 * communities public or where the viewer is active or invited (like the community list);
 * members: everyone. Admins read every community.
 *
 * Checked at query time against the communities and memberships (so a community turning
 * private, or a member leaving, applies at once) and, for a comment, its thread's row (its
 * community, whether it was deleted). A deleted thread or comment needs no check: its
 * document left the index in the deleting transaction (migration 0002's triggers), which
 * also keep a thread document's community_id equal to its thread's. The community is tested with two uncorrelated subqueries (the private
 * communities; the viewer's), each evaluated once, not by a join per candidate: with a join,
 * PostgreSQL may hash it and sort, reading every candidate of the walk instead of stopping
 * at the block's size (postgresCandidates).
 */
function scope(a: SearchArgs): {
  joins: RawBuilder<unknown>;
  where: RawBuilder<unknown>[];
  community: RawBuilder<unknown> | null;
} {
  const uid = a.viewer?.userId ?? -1;
  const admin = a.viewer?.isAdmin ?? false;
  const mine = (statuses: string[]) =>
    sql`select community_id from memberships where user_id = ${uid} and status in (${sql.join(statuses)})`;
  const readable = (community: RawBuilder<unknown>) =>
    admin
      ? sql`1 = 1`
      : sql`(${community} not in (select id from communities where visibility <> 'public')
          or ${community} in (${mine(['active'])}))`;
  switch (a.kind) {
    case 'thread':
      return {
        joins: sql``,
        where: [readable(sql.ref('d.community_id'))],
        community: sql.ref('d.community_id'),
      };
    case 'comment':
      return {
        joins: sql`join threads t on t.id = d.thread_id`,
        where: [sql`t.deleted_at is null`, readable(sql.ref('t.community_id'))],
        community: sql.ref('t.community_id'),
      };
    case 'community':
      return {
        joins: sql`join communities c on c.id = d.ref_id`,
        where: [
          admin ? sql`1 = 1` : sql`(c.visibility = 'public' or c.id in (${mine(['active', 'invited'])}))`,
        ],
        community: null,
      };
    case 'member':
      return { joins: sql`join users u on u.id = d.ref_id`, where: [], community: null };
  }
}

/**
 * A candidate: only what ranking reads (each column of each candidate row costs, and there are
 * BLOCK of them), and of the body only its beginning (RANKED_CHARS).
 */
export interface Hit {
  id: number;
  title: string | null;
  body: string;
}

/** Characters of a body that ranking reads: a long post is judged by its opening. */
export const RANKED_CHARS = 1000;

/**
 * The newest `limit` documents that match, that the viewer may read and that pass the
 * filters, newest first, with their text (ranked in search.rank.ts). Ids grow with time.
 */
export interface Scan {
  /** Newest first. */
  rows: Hit[];
  /** Where the next scan starts (the next block's `atMost`), or null: no older matches. */
  resume: number | null;
}

export async function searchDocs(db: Db, a: SearchArgs): Promise<Scan> {
  const { joins, where, community } = scope(a);
  const conds = [sql`d.kind = ${a.kind}`, ...where];
  if (a.communitySlug && community)
    conds.push(
      sql`${community} = (select id from communities where slug = ${a.communitySlug.toLowerCase()})`,
    );
  if (a.authorUsername)
    conds.push(sql`d.author_id = (select id from users where username = ${a.authorUsername.toLowerCase()})`);
  if (a.tag)
    conds.push(sql`exists (select 1 from thread_tags tt join tags g on g.id = tt.tag_id
      where tt.thread_id = d.thread_id and g.name = ${a.tag})`);
  if (a.from != null) conds.push(sql`d.created_at >= ${a.from}`);
  if (a.to != null) conds.push(sql`d.created_at <= ${a.to}`);
  const c: Candidates = { ...a, joins, conds: sql.join(conds, sql` and `) };
  return dialectOf(db) === 'postgres' ? postgresCandidates(db, c) : sqliteCandidates(db, c);
}

type Candidates = SearchArgs & { joins: RawBuilder<unknown>; conds: RawBuilder<unknown> };
const cols = sql`d.id, d.title, substr(d.body, 1, ${RANKED_CHARS}) as body`;

/**
 * SQLite: the FTS5 match drives (CROSS JOIN fixes the join order), walking its doclists by
 * rowid, newest first, and stops after `limit` readable rows: no sort, whatever the word.
 */
async function sqliteCandidates(db: Db, a: Candidates): Promise<Scan> {
  const fts = sql.table(`search_fts_${a.kind}`);
  const rowid = sql.ref(`search_fts_${a.kind}.rowid`);
  const res = await sql<Hit>`
    select ${cols}
    from ${fts} cross join search_docs d on d.id = ${rowid} ${a.joins}
    where ${fts} match ${sqliteQuery(a.terms)} and ${a.conds}
      ${a.atMost != null ? sql`and ${rowid} <= ${a.atMost}` : sql``}
    order by ${rowid} desc
    limit ${a.limit}`.execute(db);
  return { rows: res.rows, resume: olderThan(res.rows, a.limit) };
}

/** After a full scan of `limit` rows, the next starts below its oldest row; a short one read them all. */
const olderThan = (rows: Hit[], limit: number) =>
  rows.length < limit ? null : rows[rows.length - 1]!.id - 1;

/** `"a" AND "b"*`, or `"a" AND ("long" OR "long6"*)` (see lastWord). */
function sqliteQuery(terms: string[]) {
  return terms
    .map((w, i) => {
      const letters = [...w];
      if (i < terms.length - 1 || letters.length < 2) return `"${w}"`;
      if (letters.length <= PREFIX_INDEXED) return `"${w}"*`;
      return `("${w}" OR "${letters.slice(0, PREFIX_INDEXED).join('')}"*)`;
    })
    .join(' AND ');
}

/** Newest documents PostgreSQL walks (testing each tsvector) before it asks the GIN index. */
export const PG_WALK = 10_000;
/** Older matches taken from the GIN index at most: more means a common word (see below). */
export const PG_GIN_CAP = 2000;

/**
 * PostgreSQL has no index that returns full-text matches newest first, so:
 * 1. walk the kind's newest PG_WALK documents (a partial index on id per kind, migration 0014)
 *    testing each tsvector, and stop at `limit` matches: a common word fills the block within
 *    a few hundred rows;
 * 2. only if that falls short (a rarer word, or words or filters that rarely meet): the
 *    older matches from the GIN index, any PG_GIN_CAP + 1 of them (no order: an ORDER BY id
 *    with LIMIT lets the planner walk the whole table in id order for a word it wrongly
 *    thinks common). Fewer than that is all of them: the newest that pass the filters
 *    complete the block. More: the words are common and only rarely pass the filters or meet
 *    each other, and GIN cannot give the newest first; the block is what step 1 found, and
 *    the next one walks on from where step 1 stopped (a short page, with a cursor).
 * The tsquery is a literal (its words are letters and digits only) and so is the kind, so
 * each statement is planned knowing how common the words are and which partial index applies,
 * and a query of english stop words only (`here`), empty, is seen to match nothing (numnode)
 * without a walk.
 */
async function postgresCandidates(db: Db, a: Candidates): Promise<Scan> {
  const query = sql`to_tsquery('english', ${sql.lit(postgresQuery(a.terms))})`;
  const kind = sql.lit(a.kind);
  const upTo = a.atMost != null ? sql`and id <= ${a.atMost}` : sql``;
  const recent = (
    await sql<Hit>`
      select ${cols}
      from (select * from search_docs where kind = ${kind} ${upTo} order by id desc limit ${PG_WALK}) d ${a.joins}
      where numnode(${query}) > 0 and d.tsv @@ ${query} and ${a.conds}
      order by d.id desc
      limit ${a.limit}`.execute(db)
  ).rows;
  if (recent.length >= a.limit) return { rows: recent, resume: olderThan(recent, a.limit) };
  // The walk's floor rides along with each older match (one query).
  // The walk's floor rides along with each older match (one query). OFFSET 0 keeps the id
  // test out of the GIN scan: pushed down, the planner ANDs it as a bitmap of every older id.
  const floor = sql`(select coalesce(min(id), 0) from (select id from search_docs where kind = ${kind} ${upTo}
    order by id desc limit ${PG_WALK}) w)`;
  const older = (
    await sql<{ id: number; floor: number }>`
      select id, ${floor} as floor
      from (select id from search_docs where kind = ${kind} and numnode(${query}) > 0 and tsv @@ ${query} offset 0) m
      where id < ${floor}
      limit ${PG_GIN_CAP + 1}`.execute(db)
  ).rows;
  if (!older.length) return { rows: recent, resume: null };
  if (older.length > PG_GIN_CAP) return { rows: recent, resume: older[0]!.floor - 1 };
  const need = a.limit - recent.length;
  const rest = (
    await sql<Hit>`
      select ${cols}
      from search_docs d ${a.joins}
      where d.id in (${sql.join(older.map((o) => o.id))}) and ${a.conds}
      order by d.id desc
      limit ${need}`.execute(db)
  ).rows;
  return { rows: [...recent, ...rest], resume: rest.length < need ? null : olderThan(rest, need) };
}

function postgresQuery(terms: string[]) {
  return terms.map((w, i) => (i === terms.length - 1 && [...w].length >= 2 ? `${w}:*` : w)).join(' & ');
}

/**
 * A page's documents with what they are shown with (community, author, a comment's thread
 * title) and their whole body (the candidates carry only its beginning), in one query.
 */
export async function pageDocs(db: Db, ids: number[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('search_docs as d')
    .leftJoin('communities as c', 'c.id', 'd.community_id')
    .leftJoin('users as u', 'u.id', 'd.author_id')
    .leftJoin('threads as t', (j) => j.onRef('t.id', '=', 'd.thread_id').on('d.kind', '=', 'comment'))
    .select([
      'd.id',
      'd.ref_id',
      'd.community_id',
      'd.thread_id',
      'd.author_id',
      'd.created_at',
      'd.body',
      'c.slug as community_slug',
      'c.name as community_name',
      'u.username',
      'u.display_name',
      'u.avatar_url',
      't.title as thread_title',
    ])
    .where('d.id', 'in', ids)
    .execute();
}
