import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type Driver,
  Kysely,
  type LogEvent,
  type Migration,
  type MigrationProvider,
  Migrator,
  PostgresDialect,
  SqliteDialect,
} from 'kysely';
import pg from 'pg';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_feed_search.ts';
import * as m0003 from './migrations/0003_moderation.ts';
import * as m0004 from './migrations/0004_gamification.ts';
import * as m0005 from './migrations/0005_importers.ts';
import * as m0006 from './migrations/0006_consent.ts';
import * as m0007 from './migrations/0007_realtime_notifications.ts';
import * as m0008 from './migrations/0008_analytics.ts';
import * as m0009 from './migrations/0009_partnerships.ts';
import * as m0010 from './migrations/0010_events.ts';
import * as m0011 from './migrations/0011_gamification_rewards.ts';
import * as m0012 from './migrations/0012_wiki.ts';
import * as m0014 from './migrations/0014_search_prefix.ts';
import * as m0015 from './migrations/0015_feed_tag_ranks.ts';
import * as m0016 from './migrations/0016_analytics_speed.ts';
import * as m0017 from './migrations/0017_trust_counts.ts';
import * as m0018 from './migrations/0018_analytics_watermark.ts';
import { withNamedStatements } from './pg-prepared.ts';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;

// bigint (int8) and numeric come back from pg as strings by default; our ids,
// counts and millisecond timestamps all fit in a double, so parse them.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

export interface DbOptions {
  /** postgres://... or null for SQLite. */
  databaseUrl: string | null;
  /** SQLite file path, or ':memory:'. Ignored for PostgreSQL. */
  sqliteFile?: string;
  poolSize?: number;
}

/**
 * `HEARTH_SLOW_QUERY_MS=N`: every query slower than N ms is written to stderr as one JSON line
 * (its SQL and duration), to find what a slow endpoint waits for (docs/operations.md).
 */
function slowQueryLog(): ((e: LogEvent) => void) | undefined {
  const ms = Number(process.env.HEARTH_SLOW_QUERY_MS);
  if (!(ms > 0)) return undefined;
  return (e) => {
    if (e.level === 'query' && e.queryDurationMillis >= ms)
      process.stderr.write(
        `${JSON.stringify({ slowQueryMs: Math.round(e.queryDurationMillis * 100) / 100, sql: e.query.sql })}\n`,
      );
  };
}

export function createDb(opts: DbOptions): Db {
  const log = slowQueryLog();
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      // No JIT compilation: it pays off on long analytical scans, not on requests of a few ms,
      // and the planner turned it on whenever a statement's estimate crossed jit_above_cost
      // (tens of ms of compiling for a 1 ms home feed walk whose threshold it could not see).
      options: '-c jit=off',
    });
    // An idle client losing its connection (server restart) must not crash the process.
    pool.on('error', () => {});
    // A checked-out client whose server goes away (PostgreSQL restarted under load) emits
    // 'error' on itself; unheard, that crashed the process. Its query fails and answers 503.
    pool.on('connect', (client) => client.on('error', () => {}));
    return new Kysely<DB>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }), log });
  }
  const file = opts.sqliteFile ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<DB>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
    log,
  });
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE (the write lock first) instead of Kysely's
 * plain BEGIN. In one process it changes nothing (Kysely runs one transaction at a time on the
 * one connection). With several processes on one file (`hearth serve --processes N`, or the CLI
 * beside a server), a deferred transaction that read first and then writes while another
 * process has written fails at once with SQLITE_BUSY (its snapshot is stale: busy_timeout
 * cannot help); an immediate one waits for the lock (busy_timeout) and then sees current rows.
 * https://www.sqlite.org/lang_transaction.html#deferred_immediate_and_exclusive_transactions
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/**
 * Kysely prepares a new better-sqlite3 statement for every query; preparing was the
 * largest single cost of a thread read in profiles (12 % of CPU). Statements are
 * reusable, and execution is synchronous, so one cached statement per SQL text is safe.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        if (cache.size >= 2000) cache.clear(); // bounded: generated SQL varies with list lengths
        stmt = sqlite.prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
    },
    close: () => sqlite.close(),
  };
}

/** Migrations are listed in code so the same set runs from source, tests and the CLI. */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_feed_search': m0002,
  '0003_moderation': m0003,
  '0004_gamification': m0004,
  '0005_importers': m0005,
  '0006_consent': m0006,
  '0008_analytics': m0008,
  '0009_partnerships': m0009,
  '0010_events': m0010,
  '0007_realtime_notifications': m0007,
  '0011_gamification_rewards': m0011,
  '0012_wiki': m0012,
  '0014_search_prefix': m0014,
  '0015_feed_tag_ranks': m0015,
  '0016_analytics_speed': m0016,
  '0017_trust_counts': m0017,
  '0018_analytics_watermark': m0018,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; returns the names of migrations applied now. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // Modules are built in parallel and each owns its migration number; they are independent of
  // each other, so a database that has a later number may still take an earlier one.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
