import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dialect } from './harness.ts';
import { freePort, killHard, type Served, serve, serverEnv, signUpToken, until } from './process.ts';

/**
 * Outages under load, with the real server and throwaway services of our own (never the
 * shared PostgreSQL or Redis that other suites use):
 * - PostgreSQL (a fresh cluster from initdb on a free port) is stopped while clients read and
 *   write: requests answer 503 DATABASE_UNAVAILABLE, nothing answers 500, and once it is back
 *   the same server process serves again by itself; every acknowledged write is there and its
 *   event is handled once.
 * - Redis (a redis-server on a free port) is killed: reads and writes go on (rate limits and
 *   cross-process cache invalidation step aside), nothing is lost, and it recovers.
 * The PostgreSQL case runs in the PostgreSQL suite, the Redis case in the SQLite suite.
 */
const PG_BIN = '/usr/lib/postgresql/15/bin';
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function seed(base: string) {
  const token = await signUpToken(base, 'outage');
  const call = async (method: string, url: string, body?: unknown, auth = true) => {
    const res = await fetch(base + url, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(auth && { authorization: `Bearer ${token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as any };
  };
  expect((await call('POST', '/api/v1/communities', { slug: 'outage', name: 'Outage' })).status).toBe(201);
  const thread = await call('POST', '/api/v1/communities/outage/threads', {
    title: 'Still here?',
    body: 'x',
  });
  expect(thread.status).toBe(201);
  return { call, threadId: thread.body.id as number };
}

/** Clients reading and writing until stopped; every answer is tallied, acknowledged comments kept. */
function load(call: Awaited<ReturnType<typeof seed>>['call'], threadId: number) {
  const statuses = new Map<string, number>();
  const acknowledged: number[] = [];
  let stop = false;
  let n = 0;
  const tally = (k: string) => statuses.set(k, (statuses.get(k) ?? 0) + 1);
  const worker = async (w: number) => {
    while (!stop) {
      try {
        const r =
          w % 2
            ? await call('POST', `/api/v1/threads/${threadId}/comments`, { body: `comment ${n++}` })
            : await call('GET', `/api/v1/threads/${threadId}/comments?limit=5`);
        tally(`${r.status} ${r.body?.error?.code ?? ''}`.trim());
        if (r.status === 201) acknowledged.push(r.body.id);
      } catch (err) {
        tally(`network ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const workers = Array.from({ length: 6 }, (_, w) => worker(w));
  return {
    statuses,
    acknowledged,
    count: (prefix: string) =>
      [...statuses].filter(([k]) => k.startsWith(prefix)).reduce((s, [, v]) => s + v, 0),
    stop: async () => {
      stop = true;
      await Promise.all(workers);
    },
  };
}

describe.runIf(dialect === 'postgres' && fs.existsSync(`${PG_BIN}/initdb`))(
  'PostgreSQL restarted under load',
  () => {
    it('answers 503 while it is down, recovers by itself, loses nothing', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-pg-'));
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      // initdb refuses to run as root: the cluster belongs to the postgres account when we are root.
      const asPg = (cmd: string, args: string[]) => {
        const root = process.getuid?.() === 0;
        return execFileSync(root ? 'runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : args, {
          stdio: 'pipe',
        });
      };
      if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
      const data = path.join(dir, 'data');
      asPg(`${PG_BIN}/initdb`, ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
      const port = await freePort();
      const pgOpts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
      const ctl = (action: 'start' | 'stop') =>
        asPg(`${PG_BIN}/pg_ctl`, [
          '-D',
          data,
          '-w',
          '-l',
          path.join(dir, 'log'),
          ...(action === 'start' ? ['-o', pgOpts] : ['-m', 'fast']),
          action,
        ]);
      ctl('start');
      cleanups.push(() => {
        try {
          ctl('stop');
        } catch {}
      });
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      const server: Served = await serve(
        serverEnv(cleanups, 'pgdown', {
          DATABASE_URL: url,
          HEARTH_AUTOMOD: 'false',
          // Events claimed while the database went away come back when the lease ends.
          HEARTH_OUTBOX_LEASE_MS: '2000',
        }),
        await freePort(),
      );
      cleanups.push(() => killHard(server));
      const { call, threadId } = await seed(server.base);
      const traffic = load(call, threadId);
      await until('some writes', () => traffic.acknowledged.length >= 20);

      ctl('stop');
      const okBefore = traffic.count('2');
      await until('503 answers', () => traffic.count('503 DATABASE_UNAVAILABLE') >= 10).catch((e) => {
        throw new Error(
          `${e.message}: ${JSON.stringify([...traffic.statuses])}\n${server.output().slice(-2000)}`,
        );
      });
      const health = await fetch(`${server.base}/api/v1/health`);
      expect(health.status).toBe(503);
      expect(health.headers.get('retry-after')).toBe('5');

      ctl('start');
      // The same process serves again, without a restart.
      await until('recovery', () => traffic.count('2') > okBefore + 20);
      await traffic.stop();
      expect(server.child.exitCode).toBeNull();
      const codes = [...traffic.statuses.keys()];
      const bad = codes.filter((k) => !/^(200|201|503 DATABASE_UNAVAILABLE)$/.test(k));
      if (bad.length)
        console.error(
          server
            .output()
            .split('\n')
            .filter((l) => /unhandled/.test(l))
            .slice(0, 3),
        );
      expect(bad).toEqual([]);

      // Every acknowledged write is there, and each of its events is handled exactly once.
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      cleanups.push(() => c.end());
      const ids = traffic.acknowledged;
      const found = await c.query('select id from comments where id = any($1)', [ids]);
      expect(found.rowCount).toBe(ids.length);
      await until(
        'outbox drained',
        async () => {
          const r = await c.query('select count(*)::int as n from outbox where dispatched_at is null');
          return r.rows[0].n === 0;
        },
        60_000,
      ); // handlers that failed during the outage retry with exponential backoff
      const events = await c.query(
        `select count(*)::int as n from outbox where type = 'content.comment_created'`,
      );
      const total = await c.query('select count(*)::int as n from comments');
      expect(events.rows[0].n).toBe(total.rows[0].n);
      const handled = await c.query(
        `select count(*)::int as n, count(distinct event_id)::int as d from outbox_handled where handler = 'content.rank_reply'`,
      );
      expect(handled.rows[0]).toEqual({ n: total.rows[0].n, d: total.rows[0].n });
      const thread = await call('GET', `/api/v1/threads/${threadId}`);
      expect(thread.body.commentCount).toBe(total.rows[0].n);
    }, 150_000);
  },
);

describe.runIf(dialect === 'sqlite')('Redis down under load', () => {
  it('keeps serving reads and writes, loses nothing, and uses Redis again once it is back', async () => {
    const port = await freePort();
    const startRedis = async () => {
      const child: ChildProcess = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
      });
      await until('redis', () => out.includes('Ready to accept connections'), 10_000);
      return child;
    };
    let redis = await startRedis();
    cleanups.push(() => redis.kill('SIGKILL'));
    const server: Served = await serve(
      serverEnv(cleanups, 'redisdown', { REDIS_URL: `redis://127.0.0.1:${port}`, HEARTH_AUTOMOD: 'false' }),
      await freePort(),
    );
    cleanups.push(() => killHard(server));
    const { call, threadId } = await seed(server.base);
    const anonymous = () => call('GET', `/api/v1/threads/${threadId}`, undefined, false);
    // Up: anonymous reads come from the shared cache.
    await until('a cache hit', async () => (await anonymous()).headers.get('x-hearth-cache') === 'hit');

    const traffic = load(call, threadId);
    await until('some writes', () => traffic.acknowledged.length >= 20);
    redis.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const during = traffic.acknowledged.length;
    await until('writes while Redis is down', () => traffic.acknowledged.length >= during + 30);
    // Down: the cache steps aside (invalidations could not reach other processes) but answers are right.
    const down = await anonymous();
    expect(down.status).toBe(200);
    expect(down.headers.get('x-hearth-cache')).toBeNull();

    redis = await startRedis();
    await until('writes after Redis is back', () => traffic.acknowledged.length >= during + 60);
    // Every comment drops the thread's cached page, so a hit needs a pause in the writing.
    await traffic.stop();
    await until(
      'the cache again',
      async () => (await anonymous()).headers.get('x-hearth-cache') === 'hit',
      20_000,
    );
    expect([...traffic.statuses.keys()].filter((k) => !/^(200|201)$/.test(k))).toEqual([]);
    const comments = await call('GET', `/api/v1/threads/${threadId}/comments?limit=100`);
    const all: number[] = comments.body.items.map((c: { id: number }) => c.id);
    let cursor = comments.body.nextCursor;
    while (cursor) {
      const next = await call(
        'GET',
        `/api/v1/threads/${threadId}/comments?limit=100&cursor=${encodeURIComponent(cursor)}`,
      );
      all.push(...next.body.items.map((c: { id: number }) => c.id));
      cursor = next.body.nextCursor;
    }
    for (const id of traffic.acknowledged) expect(all).toContain(id);
    expect((await anonymous()).body.commentCount).toBe(all.length);
  }, 90_000);
});
