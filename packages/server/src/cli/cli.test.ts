import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verify } from '@node-rs/argon2';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db/index.ts';
import { DEMO_LOGIN, DEMO_PASSWORD } from './demo.ts';
import { DEMO_COMMUNITIES } from './demo-plan.ts';

// The real `hearth` command in child processes (bin/hearth.js through tsx). The seeder itself: demo.test.ts.
const BIN = fileURLToPath(new URL('../../bin/hearth.js', import.meta.url));
const PUBLIC_SLUGS = DEMO_COMMUNITIES.filter((c) => c.visibility === 'public').map((c) => c.slug);

/** Runs the real `hearth` command; resolves with its exit code and output. */
function hearth(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment of a child using SQLite in a fresh temporary data directory. */
function sqliteEnv(dir: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _, ...env } = process.env;
  return { ...env, HEARTH_DATA_DIR: dir, HEARTH_LOG_LEVEL: 'warn' };
}

const tmpDirs: string[] = [];
const tmpDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-cli-'));
  tmpDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Starts `hearth serve` and waits for the URL it prints. */
async function startServer(env: NodeJS.ProcessEnv, port: number) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => {
    out.stdout += d;
  });
  child.stderr!.on('data', (d) => {
    out.stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL after 20 s:\n${out.stdout}\n${out.stderr}`)),
      20_000,
    );
    child.stdout!.on('data', () => {
      const m = /Hearth is running at (http:\/\/\S+)\s/.exec(out.stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}):\n${out.stdout}\n${out.stderr}`)));
  });
  const stop = async (): Promise<number | null> => {
    (child as ChildProcess).kill('SIGTERM');
    return exited;
  };
  return { url, out, stop };
}

describe('the hearth command', () => {
  it('serve: seeds an empty database, serves the API, stops on SIGTERM, does not seed twice', async () => {
    const env = sqliteEnv(tmpDir());
    const port = await freePort();
    const server = await startServer(env, port);
    try {
      expect(server.url).toBe(`http://localhost:${port}`);
      const base = `http://127.0.0.1:${port}/api/v1`;
      expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true });
      const list = (await (await fetch(`${base}/communities`)).json()) as { items: { slug: string }[] };
      expect(list.items.map((c) => c.slug).sort()).toEqual([...PUBLIC_SLUGS].sort());
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // Read once it exited: these lines may arrive after the URL.
    expect(server.out.stdout).toMatch(/Seeding demo: 30 members, 3 communities/);
    expect(server.out.stdout).toContain(`(API docs: http://localhost:${port}/api/docs)`);
    expect(server.out.stdout).toContain(`username "${DEMO_LOGIN}", password "${DEMO_PASSWORD}"`);
    expect(server.out.stdout).toContain('Stopped.');

    const again = await startServer(env, port);
    expect(await again.stop()).toBe(0);
    expect(again.out.stdout).not.toContain('Seeding demo');
  }, 40_000);

  it('rejects a bad flag value with one clear line and exit code 2', async () => {
    const r = await hearth(['serve', '--port', 'abc'], sqliteEnv(tmpDir()));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: --port must be a port number (0-65535), got "abc"');
    const unknown = await hearth(['serve', '--prot', '3000'], sqliteEnv(tmpDir()));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--prot'");
    const processes = await hearth(['serve', '--processes', '0'], sqliteEnv(tmpDir()));
    expect(processes.code).toBe(2);
    expect(processes.stderr.trim()).toBe(
      'error: --processes must be a number from 1 to 64 or "auto", got "0"',
    );
    const fromEnv = await hearth(['serve'], { ...sqliteEnv(tmpDir()), HEARTH_PROCESSES: 'many' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr.trim()).toBe(
      'error: HEARTH_PROCESSES must be a number from 1 to 64 or "auto", got "many"',
    );
  });

  it('rejects a bad environment variable with exit code 2, naming it', async () => {
    const r = await hearth(['migrate'], { ...sqliteEnv(tmpDir()), DATABASE_URL: 'mysql://x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*\n\s+- DATABASE_URL must start with postgres:\/\//);
  });

  it('migrate applies the migrations once', async () => {
    const env = sqliteEnv(tmpDir());
    const first = await hearth(['migrate'], env);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/Applied \d+ migrations?: 0001_foundation/);
    const second = await hearth(['migrate'], env);
    expect(second.stdout).toContain('Already up to date');
  });
});

/**
 * A database for a CLI child process on the dialect under test: a temporary
 * SQLite directory, or a fresh PostgreSQL database when DATABASE_URL is set.
 */
async function cliDatabase(): Promise<{ env: NodeJS.ProcessEnv; open(): Db; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = tmpDir();
    return {
      env: sqliteEnv(dir),
      open: () => createDb({ databaseUrl: null, sqliteFile: path.join(dir, 'hearth.sqlite') }),
      drop: async () => {},
    };
  }
  const name = `hearth_cli_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { ...process.env, DATABASE_URL: url.toString(), HEARTH_LOG_LEVEL: 'warn' },
    open: () => createDb({ databaseUrl: url.toString(), poolSize: 2 }),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

describe('hearth admin create-user', () => {
  let target: Awaited<ReturnType<typeof cliDatabase>>;
  beforeAll(async () => {
    target = await cliDatabase();
  });
  afterAll(async () => target?.drop());

  it('creates a site admin with a generated password, and plain users with a given one', async () => {
    const r = await hearth(
      ['admin', 'create-user', '--username', 'Ada_L', '--email', 'Ada@Example.org', '--admin'],
      target.env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const password = /Password: (\S+)/.exec(r.stdout)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(20);

    const plain = await hearth(
      [
        'admin',
        'create-user',
        '--username',
        'bob',
        '--email',
        'bob@example.org',
        '--password',
        'long enough pw',
      ],
      target.env,
    );
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('Password:');

    const db = target.open();
    try {
      const ada = await db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', 'ada_l')
        .executeTakeFirstOrThrow();
      expect(ada).toMatchObject({ is_admin: 1, email: 'ada@example.org', display_name: 'Ada_L' });
      expect(await verify(ada.password_hash!, password!)).toBe(true);
      const bob = await db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', 'bob')
        .executeTakeFirstOrThrow();
      expect(bob.is_admin).toBe(0);
      expect(await verify(bob.password_hash!, 'long enough pw')).toBe(true);
    } finally {
      await db.destroy();
    }

    const taken = await hearth(
      ['admin', 'create-user', '--username', 'ada_l', '--email', 'x@example.org'],
      target.env,
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim()).toBe('error: That username or email cannot be used; choose another');
    const short = await hearth(
      ['admin', 'create-user', '--username', 'cy', '--email', 'cy@example.org'],
      target.env,
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('--username must be 3-30 letters');
  }, 40_000);
});
