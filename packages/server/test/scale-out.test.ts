import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, dialect, type TestDb } from './harness.ts';
import { connectLive, type LiveClient } from './live-client.ts';
import { callJson, freePort, killHard, type Served, serve, serverEnv, signUpToken } from './process.ts';

/**
 * Scale-out: two real `hearth serve` processes sharing one PostgreSQL database and one Redis.
 * A comment posted through one reaches a WebSocket client of the other, and so does a direct
 * message (fan-out through Redis pub/sub; whichever process dispatches the outbox event).
 * PostgreSQL only: separate `hearth serve` processes on one SQLite file are what
 * `hearth serve --processes N` is for (test/cluster.test.ts).
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const why =
  'needs DATABASE_URL=postgres://… (several processes share PostgreSQL; runs in the PostgreSQL pass)';

describe.skipIf(dialect !== 'postgres')(
  `two server processes via Redis (${dialect === 'postgres' ? 'postgres' : why})`,
  () => {
    const cleanups: (() => Promise<void> | void)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it('delivers a comment and a DM posted on one process to a client of the other', async () => {
      const testDb: TestDb = await createTestDb();
      cleanups.push(() => testDb.drop());
      const env = serverEnv(cleanups, 'scale', {
        DATABASE_URL: testDb.location.databaseUrl!,
        REDIS_URL,
        // Redis is shared with other suites and other people: our own channels.
        HEARTH_REDIS_PREFIX: `hearth-scale-${randomBytes(4).toString('hex')}:`,
      });
      // Started together: Kysely's migrator takes a lock, so one migrates and the other waits.
      const [portA, portB] = [await freePort(), await freePort()];
      const [a, b]: [Served, Served] = await Promise.all([
        serve(env, portA, 120_000),
        serve(env, portB, 120_000),
      ]);
      cleanups.push(
        () => killHard(a!),
        () => killHard(b!),
      );

      const json = (srv: Served, method: string, url: string, body?: unknown, token?: string) =>
        callJson(srv.base, method, url, body, token);
      const account = (srv: Served, username: string) => signUpToken(srv.base, username);
      const ada = await account(a, 'ada_scale');
      const bob = await account(b, 'bob_scale');
      await json(a, 'POST', '/communities', { slug: 'scaled', name: 'Scaled' }, ada);
      await json(b, 'POST', '/communities/scaled/join', {}, bob);
      // New accounts are trust level 0; let them start direct messages here.
      const opened = await json(
        a,
        'PATCH',
        '/communities/scaled/moderation/settings',
        { unlocks: { directMessages: 0 } },
        ada,
      );
      expect(opened.status).toBe(200);
      const thread = (
        await json(a, 'POST', '/communities/scaled/threads', { title: 'Across', body: 'Hi' }, ada)
      ).body;

      const clients: LiveClient[] = [];
      cleanups.push(async () => {
        for (const c of clients) await c.close();
      });
      const onB = await connectLive(b.base, { authorization: `Bearer ${bob}` });
      clients.push(onB);
      expect((await onB.subscribe({ topic: 'thread', id: thread.id })).type).toBe('subscribed');
      expect((await onB.subscribe({ topic: 'inbox' })).type).toBe('subscribed');

      const posted = (
        await json(a, 'POST', `/threads/${thread.id}/comments`, { body: 'from process A' }, ada)
      ).body;
      const got = await onB.next(
        (f) => f.kind === 'comment.created',
        10_000,
        'comment from the other process',
      );
      expect(got.data.comment).toMatchObject({ id: posted.id, body: 'from process A' });

      await json(
        a,
        'POST',
        '/conversations',
        { usernames: ['bob_scale'], body: 'a DM across processes' },
        ada,
      );
      const dm = await onB.next((f) => f.kind === 'message.created', 10_000, 'DM from the other process');
      expect(dm.data.message.bodyHtml).toContain('a DM across processes');
      const note = await onB.next((f) => f.kind === 'notification.created', 10_000, 'notification');
      expect(note.data.notification.type).toMatch(/dm|reply/);

      // And the other way round: B's writes reach a client of A.
      const onA = await connectLive(a.base, { authorization: `Bearer ${ada}` });
      clients.push(onA);
      await onA.subscribe({ topic: 'thread', id: thread.id });
      await json(b, 'POST', `/threads/${thread.id}/comments`, { body: 'from process B' }, bob);
      const back = await onA.next(
        (f) => f.kind === 'comment.created' && f.data.comment.body === 'from process B',
        10_000,
      );
      expect(back.channel).toBe(`thread:${thread.id}`);
    }, 240_000);
  },
);
