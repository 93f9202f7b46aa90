import { type Kysely, sql } from 'kysely';
import { clusteredByKey, dialectOf, idColumn } from '../dialect.ts';

/**
 * Analytics speed (issue 8: ingestion ≥ 20,000 events/s, dashboard < 200 ms p99 at 10M events).
 *
 * `analytics_reading` replaces `analytics_events`: one row per ingested batch, community and
 * UTC day instead of one row per event (the events are in `events`, a JSON array of
 * `[threadId, ms, endedAt]`; a view has ms 0). Writing 100 rows and their index entries was
 * most of the cost of a batch. Same privacy: `user_id` only with consent, else `visitor`
 * (the daily key); raw rows are kept for the retention period. Existing events are copied,
 * one row each.
 *
 * `analytics_cache`: computed dashboard facts (active members of a bucket, repeat visitors,
 * engagement levels, members at risk, champions), keyed by community, kind and bucket (or
 * end week / end day). A row is valid while it exists: every rollup write deletes the rows it
 * changes, rebuilds and erasures delete the community's (or everyone's), and a missing row is
 * computed on the next dashboard request. It holds counts and user ids, never names.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  await db.schema
    .createTable('analytics_reading')
    .addColumn('id', 'integer', idColumn(dialect))
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    // Set only with the member's consent; otherwise null and `visitor` holds the daily key.
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('visitor', 'varchar(32)')
    .addColumn('day', 'integer', (c) => c.notNull())
    // The end of the batch's last span (retention deletes by it).
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('analytics_reading_time')
    .on('analytics_reading')
    .column('created_at')
    .execute();
  await db.schema
    .createIndex('analytics_reading_user')
    .on('analytics_reading')
    .columns(['user_id', 'created_at'])
    .where('user_id', 'is not', null)
    .execute();
  const one =
    dialect === 'postgres'
      ? sql`json_build_array(json_build_array(thread_id, ms, created_at))::text`
      : sql`json_array(json_array(thread_id, ms, created_at))`;
  await sql`insert into analytics_reading (community_id, user_id, visitor, day, created_at, n, events)
    select community_id, user_id, visitor, day, created_at, 1, ${one} from analytics_events order by id`.execute(
    db,
  );
  await db.schema.dropTable('analytics_events').execute();

  // PostgreSQL: one member's weeks (retention cohorts join each member of the last 12 weeks to
  // their week rows; the cache's in-place updates read one member's weeks). The heap is not
  // clustered by key there, so without it the planner scanned every week row of the community
  // (800 ms at 10M events; 40 ms with it). SQLite's WITHOUT ROWID table and user index did not need it.
  if (dialect === 'postgres') {
    await db.schema
      .createIndex('analytics_member_activity_member')
      .on('analytics_member_activity')
      .columns(['community_id', 'grain', 'user_id', 'bucket'])
      .execute();
  }

  await db.schema
    .createTable('analytics_cache')
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('key', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_cache_pk', ['community_id', 'kind', 'key'])
    .modifyEnd(clusteredByKey(dialect))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analytics_cache').ifExists().execute();
  await db.schema.dropIndex('analytics_member_activity_member').ifExists().execute();
  // Back to one row per event (migration 0008's table), expanded from the batches.
  const dialect = dialectOf(db);
  await db.schema
    .createTable('analytics_events')
    .addColumn('id', 'integer', idColumn(dialect))
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('thread_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('visitor', 'varchar(32)')
    .addColumn('ms', 'integer', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('analytics_events_time').on('analytics_events').column('created_at').execute();
  await db.schema
    .createIndex('analytics_events_user')
    .on('analytics_events')
    .columns(['user_id', 'created_at'])
    .where('user_id', 'is not', null)
    .execute();
  const [events, at] =
    dialect === 'postgres'
      ? [sql`json_array_elements(r.events::json)`, (i: number) => sql.raw(`(e.value->>${i})::bigint`)]
      : [sql`json_each(r.events)`, (i: number) => sql.raw(`json_extract(e.value, '$[${i}]')`)];
  await sql`insert into analytics_events (community_id, thread_id, kind, user_id, visitor, ms, day, created_at)
    select r.community_id, ${at(0)}, case when ${at(1)} > 0 then 'read' else 'view' end, r.user_id, r.visitor,
      ${at(1)}, r.day, ${at(2)}
    from analytics_reading r, ${events} e order by r.id`.execute(db);
  await db.schema.dropTable('analytics_reading').ifExists().execute();
}
