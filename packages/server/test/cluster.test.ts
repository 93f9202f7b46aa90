import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, dialect } from './harness.ts';
import { connectLive, type LiveClient } from './live-client.ts';
import {
  callJson,
  freePort,
  killHard,
  type Served,
  serve,
  serverEnv,
  signUpToken,
  until as waitFor,
} from './process.ts';

/**
 * `hearth serve --processes 2`: one command, two server processes sharing the port and the
 * database, without Redis (messages between them go through the primary process). On SQLite
 * this is several processes on one file: concurrent writes must all land (BEGIN IMMEDIATE).
 */
const children = (pid: number): number[] => {
  const file = `/proc/${pid}/task/${pid}/children`;
  return fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
    : [];
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Waits up to 15 s for `ok`. */
const until = (what: string, ok: () => boolean | Promise<boolean>) => waitFor(what, ok, 15_000);

describe(`hearth serve --processes 2 (${dialect}, no Redis)`, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('shares live events, cache invalidation and writes between its processes, and replaces one that dies', async () => {
    const env = serverEnv(cleanups, 'cluster', {
      // A burst of 40 comments from new accounts is what the flood limits exist to stop.
      HEARTH_AUTOMOD: 'false',
    });
    // No Redis: messages between the processes go through the first one.
    delete env.REDIS_URL;
    if (dialect === 'postgres') {
      const testDb = await createTestDb();
      cleanups.push(() => testDb.drop());
      env.DATABASE_URL = testDb.location.databaseUrl!;
    }
    const port = await freePort();
    const srv: Served = await serve(env, port, 120_000, ['--processes', '2']);
    cleanups.push(() => killHard(srv));
    expect(srv.output()).toContain('2 processes');
    const primary = srv.child.pid!;
    await until('two server processes', () => children(primary).length === 2);
    const first = children(primary);

    const ada = await signUpToken(srv.base, 'ada_cluster');
    const bob = await signUpToken(srv.base, 'bob_cluster');
    await callJson(srv.base, 'POST', '/communities', { slug: 'clustered', name: 'Clustered' }, ada);
    await callJson(srv.base, 'POST', '/communities/clustered/join', {}, bob);
    const thread = (
      await callJson(srv.base, 'POST', '/communities/clustered/threads', { title: 'Both', body: 'Hi' }, ada)
    ).body;

    // Four live connections: the primary hands connections out in turn, so both processes hold some.
    const clients: LiveClient[] = [];
    cleanups.push(async () => {
      for (const c of clients) await c.close();
    });
    for (let i = 0; i < 4; i++) {
      const c = await connectLive(srv.base, { authorization: `Bearer ${bob}` });
      clients.push(c);
      expect((await c.subscribe({ topic: 'thread', id: thread.id })).type).toBe('subscribed');
    }
    // Anonymous reads cached in both processes before the write.
    const comments = async () =>
      (await callJson(srv.base, 'GET', `/threads/${thread.id}/comments`)).body.items.map(
        (c: { body: string }) => c.body,
      );
    for (let i = 0; i < 4; i++) expect(await comments()).toEqual([]);

    const posted = (
      await callJson(srv.base, 'POST', `/threads/${thread.id}/comments`, { body: 'to everyone' }, ada)
    ).body;
    for (const c of clients) {
      const got = await c.next(
        (f) => f.kind === 'comment.created',
        10_000,
        'the comment, on every connection',
      );
      expect(got.data.comment.id).toBe(posted.id);
    }
    // Every process dropped its cached page: no read misses the comment.
    await until('every process to see the comment', async () => (await comments()).length === 1);
    for (let i = 0; i < 6; i++) expect(await comments()).toEqual(['to everyone']);

    // Concurrent writes through both processes: every one lands, none fails on a locked database.
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`${srv.base}/api/v1/threads/${thread.id}/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${i % 2 ? ada : bob}` },
          body: JSON.stringify({ body: `burst ${i}` }),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    await until('all 41 comments in every process', async () => (await comments()).length === 41);
    await until('the comment count', async () => {
      const t = (await callJson(srv.base, 'GET', `/threads/${thread.id}`)).body;
      return t.commentCount === 41;
    });

    // A server process killed: the primary starts another, and serving goes on.
    process.kill(first[0]!, 'SIGKILL');
    await until('a replacement process', () => {
      const now = children(primary);
      return now.length === 2 && !now.includes(first[0]!);
    });
    for (let i = 0; i < 4; i++) expect((await comments()).length).toBe(41);
    await callJson(srv.base, 'POST', `/threads/${thread.id}/comments`, { body: 'after the crash' }, ada);
    await until('the comment after the crash', async () => (await comments()).length === 42);

    // SIGTERM to the primary stops every process, and it exits cleanly.
    const all = children(primary);
    const exited = new Promise<number | null>((resolve) => srv.child.once('exit', (code) => resolve(code)));
    srv.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await until('the server processes to exit', () => all.every((pid) => !alive(pid)));
    expect(srv.output()).toContain('Stopped.');
  }, 180_000);
});
