import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Every difference between SQLite and PostgreSQL lives here (DESIGN rule 5);
 * query files call these helpers instead of branching on the dialect.
 */
export type DialectName = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Integer primary key that the database generates. */
export function idColumn(dialect: DialectName) {
  return (col: ColumnDefinitionBuilder) =>
    dialect === 'postgres'
      ? col.primaryKey().generatedByDefaultAsIdentity()
      : col.primaryKey().autoIncrement();
}

/** `FOR UPDATE SKIP LOCKED` where the database has it; SQLite has one writer, so nothing is needed there. */
export function skipLocked(dialect: DialectName) {
  return dialect === 'postgres' ? sql` for update skip locked` : sql``;
}

/** Case-insensitive LIKE. */
export function ilike(dialect: DialectName) {
  return dialect === 'postgres' ? 'ilike' : 'like';
}

/** Aggregate function joining strings with a separator: group_concat on SQLite, string_agg on PostgreSQL. */
export function stringAgg(dialect: DialectName) {
  return dialect === 'postgres' ? sql.raw('string_agg') : sql.raw('group_concat');
}

/** Scalar maximum/minimum of several values: greatest/least on PostgreSQL, multi-argument max/min on SQLite. */
export function greatest(dialect: DialectName) {
  return dialect === 'postgres' ? sql.raw('greatest') : sql.raw('max');
}
export function least(dialect: DialectName) {
  return dialect === 'postgres' ? sql.raw('least') : sql.raw('min');
}

/**
 * Stores a table clustered by its primary key on SQLite (`WITHOUT ROWID`), so range reads over
 * the key touch contiguous pages instead of one table lookup per index entry (the analytics
 * rollups). PostgreSQL has no such table option; its primary-key index serves the same ranges.
 */
export function clusteredByKey(dialect: DialectName) {
  return dialect === 'sqlite' ? sql`without rowid` : sql``;
}
