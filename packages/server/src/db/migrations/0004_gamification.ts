import type { Kysely } from 'kysely';
import { dialectOf, idColumn } from '../dialect.ts';

/** Issue 7 (first slice): the points ledger. */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(dialectOf(db));
  // One row per (source, member, reason): a redelivered event hits the unique key and adds nothing.
  await db.schema
    .createTable('points_ledger')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('source', 'varchar(64)', (c) => c.notNull())
    .addColumn('reason', 'varchar(32)', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('points_ledger_once', ['source', 'user_id', 'reason'])
    .execute();
  await db.schema
    .createIndex('points_ledger_member')
    .on('points_ledger')
    .columns(['community_id', 'user_id'])
    .execute();
  // A member's own choices per community (hiding from leaderboards).
  await db.schema
    .createTable('gamification_prefs')
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('hide_from_leaderboards', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('gamification_prefs_pk', ['community_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('gamification_prefs').ifExists().execute();
  await db.schema.dropTable('points_ledger').ifExists().execute();
}
