import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { type Config, loadConfig } from '../config.ts';
import { createDb, type Db, migrateToLatest } from '../db/index.ts';
import { type Clock, systemClock } from '../platform/clock.ts';

/** A failure the CLI reports as one `error: ...` line, with its exit code (no stack trace). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A bad flag or flag value: exit code 2, like commander's own usage errors. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** Where the CLI writes; one line per call. */
export interface Output {
  info(line: string): void;
  error(line: string): void;
}

export const stdio: Output = {
  info: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

/** Flags every command that opens the database accepts. */
export interface DataFlags {
  data?: string;
}

export interface ServerFlags extends DataFlags {
  port?: string;
  host?: string;
}

export function parsePortFlag(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`--port must be a port number (0-65535), got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * The configuration: environment variables (validated by loadConfig, which
 * throws ConfigError) overridden by flags (validated here, UsageError).
 */
export function configFromFlags(flags: ServerFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const overrides: Partial<Config> = {};
  if (flags.port !== undefined) overrides.port = parsePortFlag(flags.port);
  if (flags.host !== undefined) {
    if (!/^[A-Za-z0-9.:_-]+$/.test(flags.host))
      throw new UsageError(`--host must be a host name or IP address, got ${JSON.stringify(flags.host)}`);
    overrides.host = flags.host;
  }
  if (flags.data !== undefined) {
    if (!flags.data.trim()) throw new UsageError('--data must name a directory');
    overrides.dataDir = path.resolve(flags.data);
  }
  return loadConfig(env, overrides);
}

/** The SQLite file buildApp opens when there is no DATABASE_URL. */
export const sqliteFile = (config: Config) => `${config.dataDir}/hearth.sqlite`;

/** Which database a command works on, for its output (never the password). */
export function databaseLabel(config: Config): string {
  if (!config.databaseUrl) return `SQLite ${sqliteFile(config)}`;
  const u = new URL(config.databaseUrl);
  return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/**
 * Only the database, migrated: for commands that need nothing else (the import). Building the
 * whole app compiles every route's schemas, seconds of CPU a bulk command does not use.
 */
export async function openDatabase(
  config: Config,
): Promise<{ db: Db; clock: Clock; close: () => Promise<void> }> {
  const db = createDb({ databaseUrl: config.databaseUrl, sqliteFile: sqliteFile(config) });
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, clock: systemClock, close: () => db.destroy() };
}

/**
 * The app without a listener, for one-shot commands: migrations run, event
 * handlers are registered (so draining the outbox applies side effects), and
 * the log stays quiet unless HEARTH_LOG_LEVEL asks otherwise.
 */
export function openApp(config: Config, clock?: Clock): Promise<FastifyInstance> {
  const logLevel = process.env.HEARTH_LOG_LEVEL ? config.logLevel : 'warn';
  return buildApp({ config: { ...config, logLevel }, background: false, ...(clock && { clock }) });
}
