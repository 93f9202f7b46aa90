import { type Kysely, sql } from 'kysely';

/**
 * Trust levels' TL3 check divides what a member read by what the community wrote in the period
 * (default 100 days), so recomputing a member's level counts the community's visible threads
 * and comments of that period: on every thread, comment and reaction. Comments had no index by
 * community and time, so that count was a scan of the whole table on every write (19.5 ms per
 * count at 300k comments, growing with every community's history). These indexes hold only the
 * rows the count counts (the query names the same literal predicate), so it reads an index
 * range and nothing else: 0.5 ms for a window of 15k comments.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index comments_community_visible on comments (community_id, created_at)
    where deleted_at is null and status = 'visible'`.execute(db);
  await sql`create index threads_community_visible on threads (community_id, created_at)
    where deleted_at is null and status = 'visible'`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('threads_community_visible').ifExists().execute();
  await db.schema.dropIndex('comments_community_visible').ifExists().execute();
}
