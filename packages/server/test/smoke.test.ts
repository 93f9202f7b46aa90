import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUser, type TestApp } from './harness.ts';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('works end to end', async () => {
    const call = api(t.app);
    expect((await call('GET', '/health')).body).toEqual({ ok: true });
    const alice = await createUser(t.app, 'alice');
    const bob = await createUser(t.app, 'bob');
    const c = await call(
      'POST',
      '/communities',
      { slug: 'trail', name: 'Trail', visibility: 'private' },
      alice,
    );
    expect(c.status).toBe(201);
    const th = await call(
      'POST',
      '/communities/trail/threads',
      { title: 'Hi', body: 'Hello @bob #Run' },
      alice,
    );
    expect(th.status).toBe(201);
    console.log(th.body);
    const cm = await call('POST', `/threads/${th.body.id}/comments`, { body: 'first' }, alice);
    expect(cm.status).toBe(201);
    const r = await call('POST', `/threads/${th.body.id}/reactions`, { kind: 'like' }, alice);
    expect(r.status).toBe(200);
    expect((await call('GET', `/threads/${th.body.id}`, undefined, bob)).status).toBe(404);
    const list = await call('GET', '/communities/trail/threads?sort=hot', undefined, alice);
    console.log(JSON.stringify(list.body));
  });
});
