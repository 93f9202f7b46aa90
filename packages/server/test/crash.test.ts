import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/db/index.ts';
import { createTestDb, dialect, type TestDb } from './harness.ts';
import { freePort, killHard, type Served, serve, serverEnv } from './process.ts';

/**
 * Crash safety with the real server: kill -9 during a burst of writes, restart on
 * the same database, and check that every write that was answered 2xx is there and
 * that every outbox event was applied exactly once (the thread counter kept by an
 * event handler equals the number of threads).
 */
describe(`kill -9 during a burst of writes (${dialect})`, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('keeps every acknowledged write and applies each event once', async () => {
    let testDb: TestDb | null = null;
    const env = serverEnv(cleanups, 'crash', {
      // Events the killed process had claimed come back when its lease ends.
      HEARTH_OUTBOX_LEASE_MS: '2000',
    });
    if (dialect === 'postgres') {
      testDb = await createTestDb();
      cleanups.push(() => testDb!.drop());
      env.DATABASE_URL = testDb.location.databaseUrl!;
    }

    let server: Served = await serve(env, await freePort());
    const json = async (method: string, url: string, body?: unknown, token?: string) => {
      const res = await fetch(server.base + url, {
        method,
        headers: {
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...(token && { authorization: `Bearer ${token}` }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const signup = await fetch(`${server.base}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'crasher',
        email: 'crash@example.test',
        password: 'long enough password',
      }),
    });
    const cookies = signup.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const csrf = cookies.find((c) => c.startsWith('hearth_csrf='))!.split('=')[1]!;
    const tokenRes = await fetch(`${server.base}/api/v1/me/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookies.join('; '), 'x-csrf-token': csrf },
      body: JSON.stringify({ name: 'crash' }),
    });
    const token = ((await tokenRes.json()) as { token: string }).token;
    expect(
      (await json('POST', '/api/v1/communities', { slug: 'crashy', name: 'Crashy' }, token)).status,
    ).toBe(201);

    // A burst of writes, 16 at a time; the server is killed while they are in flight.
    const acknowledged: number[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await json(
            'POST',
            '/api/v1/communities/crashy/threads',
            { title: `t${w}-${i}`, body: `@crasher #burst ${i}` },
            token,
          );
          if (res.status === 201) acknowledged.push(res.body.id);
        } catch {
          return; // connection refused or reset: the server is gone
        }
      }
    };
    const workers = Array.from({ length: 16 }, (_, w) => worker(w));
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 5));
    await killHard(server);
    stop = true;
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    // Restart on the same database; the outbox poller delivers what was pending.
    server = await serve(env, await freePort());
    cleanups.push(() => killHard(server));
    for (const id of acknowledged) {
      expect((await json('GET', `/api/v1/threads/${id}`)).status).toBe(200);
    }
    let community: any = null;
    let pending = Number.POSITIVE_INFINITY;
    const db: Db = testDb
      ? testDb.db
      : createDb({ databaseUrl: null, sqliteFile: path.join(env.HEARTH_DATA_DIR!, 'hearth.sqlite') });
    if (!testDb) cleanups.push(() => db.destroy());
    // Up to a minute: on a loaded machine PostgreSQL's dispatch of a few hundred events is slow.
    for (let i = 0; i < 600 && pending > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      pending = (await db.selectFrom('outbox').select('id').where('dispatched_at', 'is', null).execute())
        .length;
    }
    expect(pending).toBe(0);
    community = (await json('GET', '/api/v1/communities/crashy')).body;
    const threads = await db
      .selectFrom('threads')
      .select('id')
      .where('community_id', '=', community.id)
      .execute();
    expect(threads.length).toBeGreaterThanOrEqual(acknowledged.length);
    // Applied exactly once: the counter maintained by the event handler matches the rows.
    expect(community.threadCount).toBe(threads.length);
    const created = await db
      .selectFrom('outbox')
      .select('id')
      .where('type', '=', 'content.thread_created')
      .execute();
    expect(created.length).toBe(threads.length);
    const handled = await db
      .selectFrom('outbox_handled')
      .select('event_id')
      .where('handler', '=', 'communities.count_thread')
      .execute();
    expect(handled.length).toBe(threads.length);
  }, 90_000);
});
