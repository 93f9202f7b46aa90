import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';

describe('following members and tags, muting members, communities and tags', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let me: TestUser;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [me, alice, bob] = await createUsers(t.app, 's_me', 's_alice', 's_bob');
    expect((await call('POST', '/communities', { slug: 'open-one', name: 'Open' }, alice)).status).toBe(201);
    expect(
      (
        await call(
          'POST',
          '/communities',
          { slug: 'hidden-one', name: 'Hidden', visibility: 'private' },
          alice,
        )
      ).status,
    ).toBe(201);
  });
  afterAll(async () => t.close());

  const names = async (path: string, key = 'username') =>
    (await call('GET', path, undefined, me)).body.items.map((i: Record<string, string>) => i[key]);

  it('follows a member once (idempotent), lists them, tells the followee once, and unfollows', async () => {
    expect(await call('POST', `/follows/users/${alice.username.toUpperCase()}`, undefined, me)).toMatchObject(
      {
        status: 200,
        body: { following: true },
      },
    );
    expect((await call('POST', `/follows/users/${alice.username}`, undefined, me)).status).toBe(200);
    t.clock.advance(1000);
    expect((await call('POST', `/follows/users/${bob.username}`, undefined, me)).status).toBe(200);
    expect(await names('/follows/users')).toEqual([bob.username, alice.username]);
    const events = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'feed.user_followed')
      .orderBy('id')
      .execute();
    expect(events.map((e) => JSON.parse(e.payload))).toEqual([
      { followerId: me.id, followeeId: alice.id },
      { followerId: me.id, followeeId: bob.id },
    ]);
    expect(await call('DELETE', `/follows/users/${bob.username}`, undefined, me)).toMatchObject({
      status: 200,
      body: { following: false },
    });
    expect(await names('/follows/users')).toEqual([alice.username]);
    // Someone else's follows are theirs alone.
    expect((await call('GET', '/follows/users', undefined, alice)).body.items).toEqual([]);
  });

  it('refuses yourself, unknown members and signed-out callers with coded errors', async () => {
    const self = await call('POST', `/follows/users/${me.username}`, undefined, me);
    expect(self.status).toBe(400);
    expect(self.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'username' });
    expect((await call('POST', '/follows/users/nobody_here', undefined, me)).body.error.code).toBe(
      'USER_NOT_FOUND',
    );
    expect((await call('POST', `/mutes/users/${me.username}`, undefined, me)).status).toBe(400);
    for (const [method, path] of [
      ['POST', `/follows/users/${alice.username}`],
      ['GET', '/follows/tags'],
      ['POST', '/mutes/tags/x'],
      ['GET', '/mutes/communities'],
    ] as const) {
      const res = await call(method, path, undefined, null);
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('follows tags by their normalized name and rejects what is not a tag', async () => {
    expect((await call('POST', '/follows/tags/%23Trail-Running', undefined, me)).status).toBe(200);
    t.clock.advance(1000);
    expect((await call('POST', '/follows/tags/ultras', undefined, me)).status).toBe(200);
    expect(await names('/follows/tags', 'name')).toEqual(['ultras', 'trail-running']);
    const bad = await call('POST', '/follows/tags/not%20a%20tag', undefined, me);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('name');
    expect((await call('DELETE', '/follows/tags/ultras', undefined, me)).body).toEqual({ following: false });
    expect((await call('DELETE', '/follows/tags/never-followed', undefined, me)).status).toBe(200);
    expect(await names('/follows/tags', 'name')).toEqual(['trail-running']);
  });

  it('mutes a community it can see; a private one answers exactly like one that does not exist', async () => {
    expect(await call('POST', '/mutes/communities/open-one', undefined, me)).toMatchObject({
      status: 200,
      body: { muted: true },
    });
    expect(await names('/mutes/communities', 'slug')).toEqual(['open-one']);
    const hidden = await call('POST', '/mutes/communities/hidden-one', undefined, me);
    const ghost = await call('POST', '/mutes/communities/no-such-one', undefined, me);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual({
      error: { code: 'COMMUNITY_NOT_FOUND', message: 'No community "hidden-one"' },
    });
    expect(ghost.body.error.code).toBe(hidden.body.error.code);
    // The owner of the private community may mute it.
    expect((await call('POST', '/mutes/communities/hidden-one', undefined, alice)).status).toBe(200);
    expect((await call('DELETE', '/mutes/communities/open-one', undefined, me)).body).toEqual({
      muted: false,
    });
    expect(await names('/mutes/communities', 'slug')).toEqual([]);
  });

  it('mutes members and tags and pages the lists with a cursor', async () => {
    for (const tag of ['a1', 'a2', 'a3']) {
      expect((await call('POST', `/mutes/tags/${tag}`, undefined, me)).status).toBe(200);
      t.clock.advance(1000);
    }
    expect((await call('POST', `/mutes/users/${bob.username}`, undefined, me)).status).toBe(200);
    expect(await names('/mutes/users')).toEqual([bob.username]);
    const first = await call('GET', '/mutes/tags?limit=2', undefined, me);
    expect(first.body.items.map((i: { name: string }) => i.name)).toEqual(['a3', 'a2']);
    const second = await call('GET', `/mutes/tags?limit=2&cursor=${first.body.nextCursor}`, undefined, me);
    expect(second.body).toMatchObject({ items: [{ name: 'a1' }], nextCursor: null });
    const forged = await call('GET', '/mutes/tags?cursor=bm9wZQ', undefined, me);
    expect(forged.body.error.code).toBe('INVALID_CURSOR');
  });
});
