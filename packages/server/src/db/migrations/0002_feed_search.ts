import { type Kysely, sql } from 'kysely';
import { dialectOf, idColumn } from '../dialect.ts';

/**
 * Issue 4: ranked sorts (stored ranks and their indexes), follows and mutes, community
 * activity for the scaled rank, and the full-text search index (SQLite FTS5 /
 * PostgreSQL tsvector + GIN) kept in step with content by triggers.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema of its time, not today's DB type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const dialect = dialectOf(db);
  const id = idColumn(dialect);
  const ts = 'bigint' as const;

  // --- stored ranks (Lemmy: hot_rank_active, scaled_rank, controversy_rank) ---
  // SQLite adds one column per ALTER TABLE.
  await db.schema.alterTable('threads').addColumn('active_at', ts).execute();
  for (const col of ['hot_rank_active', 'scaled_rank', 'controversy_rank']) {
    await db.schema
      .alterTable('threads')
      .addColumn(col, 'double precision', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await sql`update threads set hot_rank_active = hot_rank, scaled_rank = hot_rank / log(2),
    controversy_rank = case when up_count > 0 and down_count > 0
      then power(up_count + down_count, (case when up_count > down_count then down_count * 1.0 / up_count
        else up_count * 1.0 / down_count end)) else 0 end`.execute(db);
  const keyset = [
    ['threads_active', 'hot_rank_active'],
    ['threads_scaled', 'scaled_rank'],
    ['threads_controversial', 'controversy_rank'],
    ['threads_most_comments', 'comment_count'],
  ] as const;
  for (const [name, col] of keyset) {
    await db.schema.createIndex(name).on('threads').columns(['community_id', col, 'id']).execute();
  }
  // The pinned threads shown above every community list: without this index the lookup walks
  // all of a community's threads (threads_new) looking for pinned = 1 (120k rows in a big one).
  await db.schema
    .createIndex('threads_pinned')
    .on('threads')
    .columns(['community_id', 'pinned', 'created_at', 'id'])
    .execute();
  // The rank job's "aged out but still ranked" sweep reads only ranked rows (the same predicate).
  await sql`create index threads_ranked on threads (created_at)
    where hot_rank > 0 or hot_rank_active > 0 or scaled_rank > 0`.execute(db);
  // Home feed: recent threads of followed members, followed tags, comments of followed members.
  await db.schema
    .createIndex('threads_author_recent')
    .on('threads')
    .columns(['author_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('thread_tags_tag_thread')
    .on('thread_tags')
    .columns(['tag_id', 'thread_id'])
    .execute();
  await db.schema
    .createIndex('comments_author_recent')
    .on('comments')
    .columns(['author_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('community_activity')
    .addColumn('community_id', 'integer', (c) =>
      c.primaryKey().references('communities.id').onDelete('cascade'),
    )
    .addColumn('interactions_month', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refreshed_at', ts, (c) => c.notNull())
    .execute();

  // --- follows and mutes: one row per (member, kind of target, target) ---
  for (const table of ['follows', 'mutes']) {
    await db.schema
      .createTable(table)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('target_id', 'integer', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['user_id', 'target_type', 'target_id'])
      .execute();
    await db.schema.createIndex(`${table}_target`).on(table).columns(['target_type', 'target_id']).execute();
  }

  // --- search: one document per thread, comment, community and member ---
  await db.schema
    .createTable('search_docs')
    .addColumn('id', 'integer', id)
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('ref_id', 'integer', (c) => c.notNull())
    .addColumn('community_id', 'integer')
    .addColumn('thread_id', 'integer')
    .addColumn('author_id', 'integer')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addUniqueConstraint('search_docs_ref', ['kind', 'ref_id'])
    .execute();
  // The search's recency window: the id of the n-th newest document of a kind.
  await db.schema.createIndex('search_docs_kind_id').on('search_docs').columns(['kind', 'id']).execute();
  if (dialect === 'postgres') await postgresSearch(db);
  else await sqliteSearch(db);

  // Backfill what already exists (the triggers only see later writes).
  await sql`insert into search_docs (kind, ref_id, community_id, thread_id, author_id, created_at, title, body)
    select 'thread', id, community_id, id, author_id, created_at, title, body from threads where deleted_at is null`.execute(
    db,
  );
  await sql`insert into search_docs (kind, ref_id, community_id, thread_id, author_id, created_at, title, body)
    select 'comment', id, community_id, thread_id, author_id, created_at, null, body from comments where deleted_at is null`.execute(
    db,
  );
  await sql`insert into search_docs (kind, ref_id, community_id, thread_id, author_id, created_at, title, body)
    select 'community', id, id, null, null, created_at, name, description from communities`.execute(db);
  await sql`insert into search_docs (kind, ref_id, community_id, thread_id, author_id, created_at, title, body)
    select 'member', id, null, null, id, created_at, display_name, username || ' ' || bio from users`.execute(
    db,
  );
}

/**
 * What each source row becomes: [table, kind, columns that matter, values from the row (NEW.)].
 * Soft-deleted threads and comments leave the index in the same transaction.
 */
const SOURCES = [
  {
    table: 'threads',
    kind: 'thread',
    cols: 'title, body, deleted_at, community_id',
    deletable: true,
    values: (r: string) =>
      `${r}.id, ${r}.community_id, ${r}.id, ${r}.author_id, ${r}.created_at, ${r}.title, ${r}.body`,
  },
  {
    table: 'comments',
    kind: 'comment',
    cols: 'body, deleted_at',
    deletable: true,
    values: (r: string) =>
      `${r}.id, ${r}.community_id, ${r}.thread_id, ${r}.author_id, ${r}.created_at, null, ${r}.body`,
  },
  {
    table: 'communities',
    kind: 'community',
    cols: 'name, description',
    deletable: false,
    values: (r: string) => `${r}.id, ${r}.id, null, null, ${r}.created_at, ${r}.name, ${r}.description`,
  },
  {
    table: 'users',
    kind: 'member',
    cols: 'username, display_name, bio',
    deletable: false,
    values: (r: string) =>
      `${r}.id, null, null, ${r}.id, ${r}.created_at, ${r}.display_name, ${r}.username || ' ' || ${r}.bio`,
  },
] as const;

const DOC_COLS = 'kind, ref_id, community_id, thread_id, author_id, created_at, title, body';
const UPSERT = `on conflict (kind, ref_id) do update set title = excluded.title, body = excluded.body,
  community_id = excluded.community_id`;

/** The kinds of search documents; each has its own full-text index so a search never wades through the others. */
const KINDS = ['thread', 'comment', 'community', 'member'] as const;

/**
 * SQLite: one FTS5 table per kind over search_docs as external content, synced by
 * triggers on search_docs (FTS5 manual, "external content tables"), porter stemming.
 */
async function sqliteSearch(db: AnyDb) {
  for (const kind of KINDS) {
    const fts = `search_fts_${kind}`;
    await sql
      .raw(`create virtual table ${fts} using fts5(title, body, content='search_docs', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')`)
      .execute(db);
    const add = `insert into ${fts}(rowid, title, body) values (new.id, new.title, new.body);`;
    const remove = `insert into ${fts}(${fts}, rowid, title, body) values ('delete', old.id, old.title, old.body);`;
    await sql
      .raw(`create trigger ${fts}_ai after insert on search_docs when new.kind = '${kind}' begin ${add} end`)
      .execute(db);
    await sql
      .raw(
        `create trigger ${fts}_ad after delete on search_docs when old.kind = '${kind}' begin ${remove} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${fts}_au after update on search_docs when old.kind = '${kind}' begin ${remove} ${add} end`,
      )
      .execute(db);
  }

  for (const s of SOURCES) {
    const live = s.deletable ? 'new.deleted_at is null' : '1';
    await sql
      .raw(`create trigger search_${s.table}_ai after insert on ${s.table} begin
        insert into search_docs (${DOC_COLS}) select '${s.kind}', ${s.values('new')} where ${live} ${UPSERT}; end`)
      .execute(db);
    const gone = s.deletable
      ? `delete from search_docs where kind = '${s.kind}' and ref_id = new.id and new.deleted_at is not null;`
      : '';
    await sql
      .raw(`create trigger search_${s.table}_au after update of ${s.cols} on ${s.table} begin ${gone}
        insert into search_docs (${DOC_COLS}) select '${s.kind}', ${s.values('new')} where ${live} ${UPSERT}; end`)
      .execute(db);
    await sql
      .raw(`create trigger search_${s.table}_ad after delete on ${s.table} begin
        delete from search_docs where kind = '${s.kind}' and ref_id = old.id; end`)
      .execute(db);
  }
}

/** PostgreSQL: a stored tsvector (title weighted A, body B) with a GIN index, synced by row triggers. */
async function postgresSearch(db: AnyDb) {
  await sql`alter table search_docs add column tsv tsvector generated always as
    (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', body), 'B')) stored`.execute(
    db,
  );
  // One partial GIN index per kind (the query names the kind as a literal, so the planner picks it).
  for (const kind of ['thread', 'comment', 'community', 'member']) {
    await sql
      .raw(`create index search_docs_tsv_${kind} on search_docs using gin (tsv) where kind = '${kind}'`)
      .execute(db);
  }
  for (const s of SOURCES) {
    const gone = s.deletable ? 'new.deleted_at is not null' : 'false';
    await sql
      .raw(`create function search_sync_${s.table}() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          delete from search_docs where kind = '${s.kind}' and ref_id = old.id;
        elsif ${gone} then
          delete from search_docs where kind = '${s.kind}' and ref_id = new.id;
        else
          insert into search_docs (${DOC_COLS}) values ('${s.kind}', ${s.values('new')}) ${UPSERT};
        end if;
        return null;
      end $$`)
      .execute(db);
    await sql
      .raw(`create trigger search_sync after insert or update of ${s.cols} or delete on ${s.table}
        for each row execute function search_sync_${s.table}()`)
      .execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Migration 0002 cannot be reverted; restore a backup instead.');
}
