import type { Kysely } from 'kysely';
import { dialectOf, idColumn } from '../dialect.ts';

/**
 * Consent (privacy by default) and the daily salts of anonymous visitor keys, shared by every
 * module that records behaviour (analytics reading time and visits, tracked partner links).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(dialectOf(db));
  await db.schema
    .createTable('analytics_consent')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('consent_history')
    .addColumn('id', 'integer', id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consent_history_user')
    .on('consent_history')
    .columns(['user_id', 'id'])
    .execute();
  // One random salt per UTC day; deleted once the day is over, so yesterday's keys cannot be recomputed.
  await db.schema
    .createTable('daily_salts')
    .addColumn('day', 'integer', (c) => c.primaryKey())
    .addColumn('salt', 'varchar(64)', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['daily_salts', 'consent_history', 'analytics_consent']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
