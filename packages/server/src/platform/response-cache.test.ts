import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../test/harness.ts';
import { buildApp } from '../app.ts';
import { LocalPubSub, RedisPubSub } from './pubsub.ts';

const tick = () => new Promise((r) => setTimeout(r, 20));
const CONFIG = {
  databaseUrl: null,
  rateLimit: { authPerHour: 1_000_000, writesPerMinute: 1_000_000 },
  automod: false,
};

describe('response cache', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let member: TestUser;
  let threadId: number;
  let secretId: number;

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [owner, member] = await createUsers(t.app, 'cacheowner', 'cachemember');
    await call('POST', '/communities', { slug: 'open', name: 'Open' }, owner);
    await call('POST', '/communities/open/join', {}, member);
    await call('POST', '/communities', { slug: 'hidden', name: 'Hidden', visibility: 'private' }, owner);
    threadId = (await call('POST', '/communities/open/threads', { title: 'Cached', body: 'Hello' }, owner))
      .body.id;
    secretId = (await call('POST', '/communities/hidden/threads', { title: 'Secret', body: 'Psst' }, owner))
      .body.id;
  });
  afterAll(() => t.close());
  /** Lets pending events dispatch (each invalidates its community once more), then reads once. */
  const prime = async (url: string) => {
    await t.app.events.drain();
    return call('GET', url);
  };

  it('serves anonymous reads from memory and shows a new comment to the next anonymous reader', async () => {
    const first = await prime(`/threads/${threadId}/comments`);
    expect(first.headers['x-hearth-cache']).toBe('miss');
    const again = await call('GET', `/threads/${threadId}/comments`);
    expect(again.headers['x-hearth-cache']).toBe('hit');
    expect(again.body).toEqual(first.body);
    expect(again.headers['content-security-policy']).toBeDefined();

    const posted = await call('POST', `/threads/${threadId}/comments`, { body: 'fresh words' }, member);
    expect(posted.status).toBe(201);
    const after = await call('GET', `/threads/${threadId}/comments`);
    expect(after.headers['x-hearth-cache']).toBe('miss');
    expect(after.body.items.map((c: { body: string }) => c.body)).toContain('fresh words');
    const thread = await call('GET', `/threads/${threadId}`);
    expect(thread.body.commentCount).toBe(1);
  });

  it('never serves or stores a signed-in or private response', async () => {
    await call('GET', `/threads/${threadId}`);
    const signedIn = await call('GET', `/threads/${threadId}`, undefined, member);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers['x-hearth-cache']).toBeUndefined();
    for (let i = 0; i < 2; i++) {
      const asOwner = await call('GET', `/threads/${secretId}`, undefined, owner);
      expect(asOwner.body.title).toBe('Secret');
      const anon = await call('GET', `/threads/${secretId}`);
      expect(anon.status).toBe(404);
      expect(anon.headers['x-hearth-cache']).toBeUndefined();
      expect((await call('GET', '/communities/hidden/threads')).status).toBe(404);
    }
  });

  it('drops a community from anonymous view as soon as it turns private', async () => {
    await call('POST', '/communities', { slug: 'turning', name: 'Turning' }, owner);
    const id = (
      await call('POST', '/communities/turning/threads', { title: 'Soon hidden', body: 'x' }, owner)
    ).body.id;
    await prime(`/threads/${id}`);
    expect((await call('GET', `/threads/${id}`)).headers['x-hearth-cache']).toBe('hit');
    expect(
      (await call('PATCH', '/communities/turning', { visibility: 'private', joinPolicy: 'invite' }, owner))
        .status,
    ).toBe(200);
    expect((await call('GET', `/threads/${id}`)).status).toBe(404);
    expect((await call('GET', '/communities/turning/threads')).status).toBe(404);
  });

  it('refreshes lists after the hot-rank job and after a profile edit (events without a community)', async () => {
    await prime('/communities/open/threads?sort=hot');
    expect((await call('GET', '/communities/open/threads?sort=hot')).headers['x-hearth-cache']).toBe('hit');
    await t.app.jobs.runNow('content.hot_ranks');
    expect((await call('GET', '/communities/open/threads?sort=hot')).headers['x-hearth-cache']).toBe('miss');
    expect((await call('PATCH', '/me', { displayName: 'Renamed Owner' }, owner)).status).toBe(200);
    const list = await call('GET', '/communities/open/threads?sort=hot');
    expect(list.headers['x-hearth-cache']).toBe('miss');
    expect(list.body.items[0].author.displayName).toBe('Renamed Owner');
  });

  it('keeps other communities cached when one changes', async () => {
    await call('POST', '/communities', { slug: 'other', name: 'Other' }, owner);
    await t.app.events.drain(); // its own events invalidate it once more when dispatched
    await call('GET', '/communities/other/threads');
    await call('POST', `/threads/${threadId}/comments`, { body: 'elsewhere' }, member);
    await t.app.events.drain();
    expect((await call('GET', '/communities/other/threads')).headers['x-hearth-cache']).toBe('hit');
  });

  it('steps aside while invalidations cannot reach other processes', async () => {
    class FlakyPubSub extends LocalPubSub {
      up = true;
      override get healthy() {
        return this.up;
      }
    }
    const ps = new FlakyPubSub();
    const app = await buildApp({ db: t.db, clock: t.clock, logger: false, pubsub: ps, config: CONFIG });
    try {
      const get = () => app.inject({ url: `/api/v1/threads/${threadId}` });
      await t.app.events.drain();
      await get();
      expect((await get()).headers['x-hearth-cache']).toBe('hit');
      ps.up = false;
      const down = await get();
      expect(down.statusCode).toBe(200);
      expect(down.headers['x-hearth-cache']).toBeUndefined();
      ps.up = true;
      expect((await get()).headers['x-hearth-cache']).toBe('miss');
    } finally {
      await app.close();
    }
  });

  it('is invalidated in another process through Redis pub/sub', { timeout: 60_000 }, async () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `hearth-test-cache-${process.pid}-${Date.now()}:`;
    const [psA, psB] = [new RedisPubSub(url, prefix), new RedisPubSub(url, prefix)];
    const opts = { db: t.db, clock: t.clock, logger: false, config: CONFIG };
    const a = await buildApp({ ...opts, pubsub: psA });
    const b = await buildApp({ ...opts, pubsub: psB });
    try {
      for (let i = 0; i < 500 && !(psA.healthy && psB.healthy); i++) await tick();
      expect(psA.healthy && psB.healthy).toBe(true);
      await tick();
      const readB = () => b.inject({ url: `/api/v1/threads/${threadId}/comments` });
      await t.app.events.drain();
      await readB();
      expect((await readB()).headers['x-hearth-cache']).toBe('hit');
      const write = await a.inject({
        method: 'POST',
        url: `/api/v1/threads/${threadId}/comments`,
        headers: member.headers,
        payload: { body: 'from process A' },
      });
      expect(write.statusCode).toBe(201);
      let seen = false;
      for (let i = 0; i < 500 && !seen; i++) {
        const r = await readB();
        seen = r.json().items.some((c: { body: string }) => c.body === 'from process A');
        if (!seen) await tick();
      }
      expect(seen).toBe(true);
    } finally {
      await a.close();
      await b.close();
      await psA.close();
      await psB.close();
    }
  });
});
