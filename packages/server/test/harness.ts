import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { type BuildOptions, buildApp } from '../src/app.ts';
import { createDb, type Db } from '../src/db/index.ts';
import { ManualClock } from '../src/platform/clock.ts';

/**
 * Test harness: a fresh database per suite on the dialect DATABASE_URL picks
 * (unset: SQLite; postgres://...: a new PostgreSQL database created for the
 * suite and dropped after it), and the real app over it via buildApp().
 */
export const dialect = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

export interface TestDb {
  db: Db;
  /** How a separate server process reaches this database: a postgres:// URL or a SQLite file path. */
  location: { databaseUrl: string | null; sqliteFile: string | null };
  /** Opens another connection to the same database (a "restarted" server). */
  reopen(): Db;
  drop(): Promise<void>;
}

/** The run's migrated template database on PostgreSQL (test/global-setup.ts), if there is one. */
function pgTemplate(): string | undefined {
  try {
    return inject('pgTemplate');
  } catch {
    return undefined; // not under vitest's runner (a script importing the harness)
  }
}

export async function createTestDb(opts: { file?: boolean; empty?: boolean } = {}): Promise<TestDb> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    const name = `hearth_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const template = opts.empty ? undefined : pgTemplate();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    for (let attempt = 0; ; attempt++) {
      try {
        // A copy of the migrated template (migrations then find nothing to do), or an empty one.
        await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
        break;
      } catch (err) {
        // Two copies of one template starting at the same instant can collide; try again.
        if (attempt >= 5 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    // A test database needs no durability: commits do not wait for the WAL to reach disk.
    url.searchParams.set('options', '-c synchronous_commit=off');
    const open = () => createDb({ databaseUrl: url.toString(), poolSize: 4 });
    const db = open();
    return {
      db,
      location: { databaseUrl: url.toString(), sqliteFile: null },
      reopen: open,
      drop: async () => {
        await db.destroy();
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const dir = opts.file ? fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-test-')) : null;
  const file = dir ? path.join(dir, 'test.sqlite') : ':memory:';
  const db = createDb({ databaseUrl: null, sqliteFile: file });
  return {
    db,
    location: { databaseUrl: null, sqliteFile: dir ? file : null },
    reopen: () => {
      if (!dir) throw new Error('reopen needs createTestDb({ file: true })');
      return createDb({ databaseUrl: null, sqliteFile: file });
    },
    drop: async () => {
      await db.destroy();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  clock: ManualClock;
  testDb: TestDb;
  close(): Promise<void>;
}

export async function createTestApp(opts: Partial<BuildOptions> & { file?: boolean } = {}): Promise<TestApp> {
  const testDb = await createTestDb({ file: opts.file });
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
  // Rate limits are lifted for the suites (hundreds of sign-ups from one address); security.test.ts sets its own.
  // So are automatic moderation's heuristics (frozen clocks post like a flood); moderation's suites turn them on.
  const app = await buildApp({
    db: testDb.db,
    clock,
    logger: false,
    ...opts,
    config: {
      databaseUrl: null,
      rateLimit: { authPerHour: 1_000_000, writesPerMinute: 1_000_000 },
      automod: false,
      ...opts.config,
    },
  });
  await app.ready();
  return {
    app,
    db: testDb.db,
    clock,
    testDb,
    close: async () => {
      await app.close();
      await testDb.drop();
    },
  };
}

export interface TestUser {
  id: number;
  username: string;
  /** Bearer-token headers (no CSRF needed). */
  headers: Record<string, string>;
}

let counter = 0;

/** Signs a user up through the API and gives back a personal API token for it. */
export async function createUser(app: FastifyInstance, username?: string): Promise<TestUser> {
  const name = username ?? `user${++counter}_${randomBytes(2).toString('hex')}`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { username: name, email: `${name}@example.test`, password: 'correct horse battery' },
  });
  if (res.statusCode !== 201) throw new Error(`signup ${name}: ${res.statusCode} ${res.body}`);
  const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
  const tokenRes = await app.inject({
    method: 'POST',
    url: '/api/v1/me/tokens',
    cookies,
    headers: { 'x-csrf-token': cookies.hearth_csrf! },
    payload: { name: 'tests' },
  });
  if (tokenRes.statusCode !== 201) throw new Error(`token ${name}: ${tokenRes.statusCode} ${tokenRes.body}`);
  return {
    id: res.json().user.id,
    username: name.toLowerCase(),
    headers: { authorization: `Bearer ${tokenRes.json().token}` },
  };
}

/** Shorthand for JSON API calls: api(app)('POST', '/communities', body, user). */
export function api(app: FastifyInstance) {
  return async (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    user?: TestUser | null,
  ) => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: user?.headers ?? {},
      ...(payload !== undefined && { payload: payload as object }),
    });
    let body: any = null;
    try {
      body = res.body ? res.json() : null;
    } catch {
      body = res.body;
    }
    return { status: res.statusCode, body, headers: res.headers };
  };
}

/** Several users at once, typed as a tuple: `const [a, b] = await createUsers(app, 'a', 'b')`. */
export async function createUsers<N extends string[]>(
  app: FastifyInstance,
  ...names: N
): Promise<{ [K in keyof N]: TestUser }> {
  return (await Promise.all(names.map((n) => createUser(app, n)))) as { [K in keyof N]: TestUser };
}
