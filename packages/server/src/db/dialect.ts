import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';

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

/**
 * Reserves `n` new ids of `table`'s generated integer primary key, for inserts that name their
 * ids (bulk imports write rows that refer to each other in one multi-row statement each).
 * PostgreSQL: the identity's sequence. SQLite: AUTOINCREMENT's counter in sqlite_sequence, moved
 * past the reserved range; updating it takes the write lock, so no other writer can take the
 * same ids before this transaction ends. Call it inside the transaction that inserts the rows.
 */
// biome-ignore lint/suspicious/noExplicitAny: any schema (like dialectOf)
export async function reserveIds(db: Kysely<any>, table: string, n: number): Promise<number[]> {
  if (n <= 0) return [];
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{
      id: number;
    }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::int as id
      from generate_series(1, ${n})`.execute(db);
    return rows.map((r) => Number(r.id));
  }
  await sql`insert into sqlite_sequence (name, seq) select ${table}, 0
    where not exists (select 1 from sqlite_sequence where name = ${table})`.execute(db);
  const { rows } = await sql<{ seq: number }>`update sqlite_sequence
    set seq = max(seq, coalesce((select max(id) from ${sql.table(table)}), 0)) + ${n}
    where name = ${table} returning seq`.execute(db);
  const last = Number(rows[0]!.seq);
  return Array.from({ length: n }, (_, i) => last - n + 1 + i);
}

/** Aggregate building a JSON object text from key/value rows: json_group_object / json_object_agg. */
export function jsonObjectAgg(dialect: DialectName) {
  return dialect === 'postgres' ? sql.raw('json_object_agg') : sql.raw('json_group_object');
}

/**
 * `expr` is (or is not) one of the integers `values`. PostgreSQL: `= any($1)` / `<> all($1)`,
 * the list as one array parameter, so the SQL text stays the same whatever its length and is
 * prepared and planned once per connection (pg-prepared.ts). SQLite: a plain `in (?, ?, ...)`
 * (one cached statement per length; json_each(?) measured no faster); an empty list is false.
 */
export function inIntegers(dialect: DialectName, expr: RawBuilder<unknown>, values: number[]) {
  return dialect === 'postgres'
    ? sql`${expr} = any(cast(${values} as integer[]))`
    : values.length
      ? sql`${expr} in (${sql.join(values)})`
      : sql`0 = 1`;
}
export function notInIntegers(dialect: DialectName, expr: RawBuilder<unknown>, values: number[]) {
  return dialect === 'postgres'
    ? sql`${expr} <> all(cast(${values} as integer[]))`
    : values.length
      ? sql`${expr} not in (${sql.join(values)})`
      : sql`1 = 1`;
}
