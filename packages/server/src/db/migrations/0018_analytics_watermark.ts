import type { Kysely } from 'kysely';

/**
 * A rebuild of a community's analytics recomputes every rollup from the content; events still
 * waiting in the outbox for their analytics handler were counted by the rebuild already, and
 * their handler then counted them again (a comment posted during a rebuild counted twice).
 * `through_event_id` is the last outbox event the rebuild accounts for: handlers skip events
 * up to it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('analytics_state')
    .addColumn('through_event_id', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('analytics_state').dropColumn('through_event_id').execute();
}
