import { afterEach, describe, expect, it } from 'vitest';
import { api, createTestApp, createTestDb, createUser, type TestApp } from '../../test/harness.ts';
import { buildApp } from '../app.ts';
import { migrateToLatest } from '../db/index.ts';
import { ManualClock } from './clock.ts';
import { Events } from './events.ts';

declare module './events.ts' {
  interface EventMap {
    'test.happened': { n: number };
  }
}

const quiet = { error: () => {}, warn: () => {} };

describe('outbox', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('loses nothing when the process dies between commit and dispatch', async () => {
    const testDb = await createTestDb({ file: true });
    cleanups.push(() => testDb.drop());
    const clock = new ManualClock();
    // First server: commits a thread, then "crashes" before the outbox is dispatched.
    const first = await buildApp({ db: testDb.db, clock, logger: false, config: { databaseUrl: null } });
    await first.ready();
    await first.events.stop(); // nothing is dispatched from here on, as after a crash
    const owner = await createUser(first, 'crash_owner');
    const call = api(first);
    expect((await call('POST', '/communities', { slug: 'crashy', name: 'Crashy' }, owner)).status).toBe(201);
    expect((await call('POST', '/communities/crashy/threads', { title: 't', body: 'b' }, owner)).status).toBe(
      201,
    );
    const pending = await testDb.db
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'content.thread_created')
      .execute();
    expect(pending).toHaveLength(1);
    expect(pending[0]!.dispatched_at).toBeNull();
    const before = await testDb.db.selectFrom('communities').select('thread_count').executeTakeFirstOrThrow();
    expect(before.thread_count).toBe(0);
    await first.close();

    // Second server on a new connection to the same database: its poller delivers the event.
    const db2 = testDb.reopen();
    const second = await buildApp({
      db: db2,
      clock,
      logger: false,
      background: true,
      config: { databaseUrl: null },
    });
    await second.ready();
    cleanups.push(async () => {
      await second.close();
      await db2.destroy();
    });
    for (let i = 0; i < 50; i++) {
      const row = await db2
        .selectFrom('outbox')
        .select('dispatched_at')
        .where('id', '=', pending[0]!.id)
        .executeTakeFirstOrThrow();
      if (row.dispatched_at) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = await db2.selectFrom('communities').select('thread_count').executeTakeFirstOrThrow();
    expect(after.thread_count).toBe(1);
    // Dispatching again changes nothing: the handler's effect is applied once.
    await db2.updateTable('outbox').set({ dispatched_at: null, available_at: 0 }).execute();
    await second.events.drain();
    expect(
      (await db2.selectFrom('communities').select('thread_count').executeTakeFirstOrThrow()).thread_count,
    ).toBe(1);
  });

  it('writes no event when the transaction rolls back', async () => {
    const testDb = await createTestDb();
    cleanups.push(() => testDb.drop());
    await migrateToLatest(testDb.db);
    const events = new Events(testDb.db, new ManualClock(), quiet);
    await expect(
      testDb.db.transaction().execute(async (trx) => {
        await events.emit(trx, 'test.happened', { n: 1 });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await testDb.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0);
  });

  it('retries a failing handler with backoff without re-running the handlers that succeeded', async () => {
    const testDb = await createTestDb();
    cleanups.push(() => testDb.drop());
    await migrateToLatest(testDb.db);
    const clock = new ManualClock();
    const events = new Events(testDb.db, clock, quiet);
    const calls = { ok: 0, flaky: 0 };
    events.on('test.happened', 'test.ok', async () => {
      calls.ok++;
    });
    events.on('test.happened', 'test.flaky', async (e) => {
      calls.flaky++;
      if (calls.flaky < 3) throw new Error(`boom ${e.n}`);
    });
    await events.emit(testDb.db, 'test.happened', { n: 7 });
    await events.drain();
    expect(calls).toEqual({ ok: 1, flaky: 1 });
    let row = await testDb.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.dispatched_at).toBeNull();
    expect(row.last_error).toMatch(/boom 7/);
    // Not due yet: the backoff holds it back.
    await events.drain();
    expect(calls.flaky).toBe(1);
    clock.advance(60_000);
    await events.drain();
    clock.advance(60_000);
    await events.drain();
    expect(calls).toEqual({ ok: 1, flaky: 3 });
    row = await testDb.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.dispatched_at).not.toBeNull();
    const handled = await testDb.db
      .selectFrom('outbox_handled')
      .select('handler')
      .orderBy('handler')
      .execute();
    expect(handled.map((h) => h.handler)).toEqual(['test.flaky', 'test.ok']);
  });

  it('re-delivers an event whose dispatcher died holding the lease, once the lease expires', async () => {
    const testDb = await createTestDb();
    cleanups.push(() => testDb.drop());
    await migrateToLatest(testDb.db);
    const clock = new ManualClock();
    const events = new Events(testDb.db, clock, quiet);
    let seen = 0;
    events.on('test.happened', 'test.count', async () => {
      seen++;
    });
    await events.emit(testDb.db, 'test.happened', { n: 1 });
    // Another process claimed it (pushed available_at 30 s ahead) and died.
    await testDb.db
      .updateTable('outbox')
      .set({ available_at: clock.now() + 30_000, attempts: 1 })
      .execute();
    await events.drain();
    expect(seen).toBe(0);
    clock.advance(31_000);
    await events.drain();
    expect(seen).toBe(1);
  });
});

describe('jobs', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('lets one process hold a job lease per period', async () => {
    t = await createTestApp();
    const jobs = t.app.jobs as unknown as { acquire(j: { name: string; everyMs: number }): Promise<boolean> };
    const job = { name: 'test.lease', everyMs: 60_000 };
    expect(await jobs.acquire(job)).toBe(true);
    expect(await jobs.acquire(job)).toBe(false);
    t.clock.advance(60_000);
    expect(await jobs.acquire(job)).toBe(true);
  });
});
