import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * Search speed (issue 4: p99 < 50 ms at 1M threads). Search now reads the newest matches of
 * a kind first (search.queries.ts), so:
 *
 * PostgreSQL: one partial index on id per kind (`search_docs_<kind>_id`), which the search
 * walks newest first, testing each tsvector (the (kind, id) index of 0002 lost to the primary
 * key in the planner's estimates, and the primary key walks every kind: on the bench data 60 %
 * of the newest documents are comments). The tsvector and GIN indexes of 0002 are unchanged.
 *
 * SQLite: the FTS5 tables of migration 0002 are rebuilt with:
 * - `prefix='2 3 4 5 6'`: a query's last word is also a prefix (search as you type). Without
 *   a prefix index FTS5 answers `"place"*` by merging the doclists of every term that starts
 *   with it over the whole table before returning a row (10 ms at 1M threads, 330 ms for
 *   `p*`); with one, the prefix is a single doclist read lazily, newest first, like a word.
 *   Longer prefixes are searched by their first 6 letters and checked in search.rank.ts.
 * - `detail=none, columnsize=0`: ranking moved out of bm25() (whose IDF counts every match of
 *   every word on each query, 8 ms at 1M) into search.rank.ts, and there is no phrase syntax,
 *   so positions and column sizes were dead weight (the index is 4x smaller).
 * Same names, same external content (search_docs) and tokenizer, so 0002's sync triggers
 * (which name these tables) keep working unchanged. `optimize` merges the rebuilt index
 * into one segment: each word of a query is then one b-tree lookup, not one per segment.
 *
 * Time on the 1M-thread bench data set: see the search README (it reads every document).
 */
const KINDS = ['thread', 'comment', 'community', 'member'];

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  // Only the recency window of 0002's search used it.
  await db.schema.dropIndex('search_docs_kind_id').execute();
  // A search tests each candidate's community against the private ones (search.queries.ts,
  // scope): read from this index, not by scanning every community on each search.
  await sql`create index communities_not_public on communities (id) where visibility <> 'public'`.execute(db);
  if (dialectOf(db) === 'postgres') {
    for (const kind of KINDS)
      await sql
        .raw(`create index search_docs_${kind}_id on search_docs (id) where kind = '${kind}'`)
        .execute(db);
    return;
  }
  for (const kind of KINDS) {
    const fts = `search_fts_${kind}`;
    await sql.raw(`drop table ${fts}`).execute(db);
    await sql
      .raw(`create virtual table ${fts} using fts5(title, body, content='search_docs', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', detail=none, columnsize=0, prefix='2 3 4 5 6')`)
      .execute(db);
    // A bigger in-memory index while rebuilding: fewer segments to merge (the default, 1 MB, is
    // put back after), a third less time.
    await sql.raw(`insert into ${fts}(${fts}, rank) values ('hashsize', ${64 * 2 ** 20})`).execute(db);
    await sql
      .raw(
        `insert into ${fts}(rowid, title, body) select id, title, body from search_docs where kind = '${kind}'`,
      )
      .execute(db);
    await sql.raw(`insert into ${fts}(${fts}) values ('optimize')`).execute(db);
    await sql.raw(`insert into ${fts}(${fts}, rank) values ('hashsize', ${2 ** 20})`).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Migration 0014 cannot be reverted; restore a backup instead.');
}
