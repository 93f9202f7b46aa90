import type { Kysely } from 'kysely';
import { dialectOf, idColumn } from '../dialect.ts';

/** Issue 10: the Stack Exchange importer's bookkeeping (meetups, polls and collaborations are not built yet). */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(dialectOf(db));
  const ts = 'bigint' as const;

  // --- importers ---------------------------------------------------------------
  // Which source row became which Hearth row: re-running an import skips what is here (resume).
  await db.schema
    .createTable('import_map')
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('source', 'varchar(32)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('source_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_map_pk', ['community_id', 'source', 'kind', 'source_id'])
    .execute();
  // Accounts made by an import: no password; claimable later by proving the source account.
  await db.schema
    .createTable('imported_accounts')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('site', 'varchar(200)', (c) => c.notNull())
    .addColumn('source_user_id', 'integer')
    .addColumn('source_account_id', 'integer')
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('claimed_at', ts)
    .execute();
  await db.schema
    .createIndex('imported_accounts_source')
    .on('imported_accounts')
    .columns(['site', 'source_user_id'])
    .execute();
  // CC BY-SA attribution shown with every imported thread and comment.
  await db.schema
    .createTable('content_attributions')
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('source_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('source_url', 'text', (c) => c.notNull())
    .addColumn('author_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('author_url', 'text')
    .addColumn('license', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('content_attributions_pk', ['target_type', 'target_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['content_attributions', 'imported_accounts', 'import_map']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
