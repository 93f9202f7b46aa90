import type { Kysely } from 'kysely';

/**
 * Issue 6: wiki threads. The author or a moderator marks a thread as a wiki; members whose trust
 * level reaches the community's `unlocks.editWikiPosts` may then edit it (as Discourse's wiki posts).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('threads')
    .addColumn('wiki', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('threads').dropColumn('wiki').execute();
}
