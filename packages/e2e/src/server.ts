import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const dialect = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
  /** What the server printed, for failure messages. */
  output(): string;
  /** The PostgreSQL database it uses (null on SQLite), so a second process can share it. */
  databaseUrl: string | null;
}

export interface ServerOptions {
  /** Extra environment (e.g. REDIS_URL for several processes). */
  env?: NodeJS.ProcessEnv;
  /** Use this existing PostgreSQL database (made by another startServer) instead of a new one. */
  databaseUrl?: string;
}

/** Builds the web app if its dist/ is missing or older than its sources (the same step `npm start` runs). */
export function ensureWebBuild(): void {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'packages/web/scripts/build-if-stale.mjs')], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('building the web app failed');
}

/**
 * Starts a real `hearth serve` (the README's command, through bin/hearth.js) on a free
 * port (--port 0: the OS picks) with a fresh data folder; on PostgreSQL (DATABASE_URL
 * set) in a new database made for this run and dropped after it.
 */
export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-'));
  let dropDb: (() => Promise<void>) | null = null;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HEARTH_LOG_LEVEL: 'warn',
    HEARTH_RATE_LIMIT_AUTH: '1000',
    HEARTH_RATE_LIMIT_WRITES: '10000',
    ...opts.env,
  };
  delete env.HEARTH_WEB_DIST;
  if (opts.databaseUrl) {
    env.DATABASE_URL = opts.databaseUrl;
  } else if (process.env.DATABASE_URL) {
    const name = `hearth_e2e_${process.pid}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const bin = path.join(repoRoot, 'packages/server/bin/hearth.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--no-demo'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hearth serve did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = /Hearth is running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hearth serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    output: () => out,
    databaseUrl: env.DATABASE_URL ?? null,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await dropDb?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
