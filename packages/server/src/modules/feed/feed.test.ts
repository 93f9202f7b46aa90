import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('home feed', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let me: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  const community = async (slug: string, owner: TestUser, extra: object = {}) =>
    expect((await call('POST', '/communities', { slug, name: slug, ...extra }, owner)).status).toBe(201);
  const join = async (slug: string, ...users: TestUser[]) => {
    for (const u of users) expect((await call('POST', `/communities/${slug}/join`, {}, u)).status).toBe(200);
  };
  const post = async (slug: string, title: string, user: TestUser, tags: string[] = []) => {
    const res = await call(
      'POST',
      `/communities/${slug}/threads`,
      { title, body: `About ${title}`, tags },
      user,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as number;
  };
  const feed = async (query = '', user = me) => {
    const res = await call('GET', `/feed${query ? `?${query}` : ''}`, undefined, user);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const titles = async (query = '', user = me) =>
    (await feed(query, user)).items.map((i: { title: string }) => i.title);

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [me, alice, bob, carol] = await createUsers(t.app, 'f_me', 'f_alice', 'f_bob', 'f_carol');
    await community('home', bob);
    await join('home', me, alice, carol);
    await community('other', bob); // public, I am not in it
    await join('other', alice);
    // Private: alice is in it, I am not.
    await community('secret', alice, { visibility: 'private' });
    expect((await call('POST', '/follows/users/f_alice', undefined, me)).status).toBe(200);
    expect((await call('POST', '/follows/tags/gravel', undefined, me)).status).toBe(200);
  });
  afterAll(async () => t.close());

  it('shows threads of my communities, followed members and followed tags, never what I cannot see', async () => {
    await post('home', 'home by bob', bob);
    await post('other', 'other by alice', alice);
    await post('other', 'other tagged gravel', bob, ['gravel']);
    await post('other', 'other by bob, untagged', bob);
    await post('secret', 'secret by alice, tagged gravel', alice, ['gravel']);
    const doomed = await post('home', 'home, deleted', bob);
    expect((await call('DELETE', `/threads/${doomed}`, undefined, bob)).status).toBe(200);
    await t.app.events.drain();
    const body = await feed();
    const got = body.items.map((i: { title: string }) => i.title).sort();
    expect(got).toEqual(['home by bob', 'other by alice', 'other tagged gravel']);
    const byTitle = Object.fromEntries(
      body.items.map((i: { title: string; reasons: string[] }) => [i.title, i]),
    );
    expect(byTitle['other by alice'].reasons).toContain('By @f_alice, whom you follow');
    expect(byTitle['other tagged gravel'].reasons).toContain('You follow #gravel');
    expect(byTitle['home by bob'].reasons).toEqual([]);
    // Alice, a member of the private community, does see her own thread there.
    expect(await titles('', alice)).toContain('secret by alice, tagged gravel');
    expect(body.asOf).toBe(new Date(t.clock.now()).toISOString());
  });

  it('leaves out muted members, communities and tags, and brings them back when unmuted', async () => {
    await post('home', 'by carol', carol, ['noise']);
    expect(await titles()).toContain('by carol');
    for (const path of ['/mutes/users/f_carol', '/mutes/tags/noise']) {
      expect((await call('POST', path, undefined, me)).status).toBe(200);
      expect(await titles()).not.toContain('by carol');
      expect((await call('DELETE', path, undefined, me)).status).toBe(200);
      expect(await titles()).toContain('by carol');
    }
    expect((await call('POST', '/mutes/communities/other', undefined, me)).status).toBe(200);
    expect((await titles()).filter((x: string) => x.startsWith('other'))).toEqual([]);
    expect((await call('DELETE', '/mutes/communities/other', undefined, me)).status).toBe(200);
  });

  it('boosts threads carrying my interests and threads my follows engaged with', async () => {
    await community('boost', bob);
    await join('boost', me, alice);
    t.clock.advance(DAY); // the earlier threads fade from the top
    const interesting = await post('boost', 'interest: older, tagged ceramics', bob, ['ceramics']);
    t.clock.advance(MIN);
    await post('boost', 'plain: newer', bob);
    await t.app.jobs.runNow('content.hot_ranks');
    const top2 = async () => (await titles()).filter((x: string) => /^(interest|plain):/.test(x));
    expect(await top2()).toEqual(['plain: newer', 'interest: older, tagged ceramics']);
    expect((await call('PATCH', '/me', { interests: ['ceramics'] }, me)).status).toBe(200);
    expect(await top2()).toEqual(['interest: older, tagged ceramics', 'plain: newer']);
    const item = (await feed()).items.find((i: { id: number }) => i.id === interesting);
    expect(item.reasons).toEqual(['#ceramics is one of your interests']);
    expect((await call('PATCH', '/me', { interests: [] }, me)).status).toBe(200);

    // A followed member commenting lifts a thread the same way.
    t.clock.advance(MIN);
    const social = await post('boost', 'social: older', bob);
    t.clock.advance(MIN);
    await post('boost', 'quiet: newer', bob);
    expect((await call('POST', `/threads/${social}/comments`, { body: 'nice' }, alice)).status).toBe(201);
    await t.app.events.drain();
    await t.app.jobs.runNow('content.hot_ranks');
    const pair = (await titles()).filter((x: string) => /^(social|quiet):/.test(x));
    expect(pair).toEqual(['social: older', 'quiet: newer']);
    const s = (await feed()).items.find((i: { id: number }) => i.id === social);
    expect(s.reasons).toEqual(['@f_alice, whom you follow, joined in']);
  });

  it('ranks by scaled hot: a small community is not drowned by a busy one', async () => {
    await community('busy', bob);
    await community('tiny', bob);
    await join('busy', me, alice, carol);
    await join('tiny', me);
    // Make "busy" busy: many interactions this month.
    const hub = await post('busy', 'busy hub', bob);
    for (let i = 0; i < 30; i++) {
      expect((await call('POST', `/threads/${hub}/comments`, { body: `c${i}` }, carol)).status).toBe(201);
    }
    t.clock.advance(2 * DAY);
    await post('tiny', 'tiny: older', bob);
    t.clock.advance(MIN);
    await post('busy', 'busy: newer', bob);
    await t.app.events.drain();
    await t.app.jobs.runNow('content.hot_ranks');
    const pair = (await titles()).filter((x: string) => /^(busy|tiny):/.test(x));
    expect(pair).toEqual(['tiny: older', 'busy: newer']);
  });

  it('pages without repeats or gaps while new threads and replies arrive, then continues with older threads', async () => {
    await community('paging', bob);
    await join('paging', me, alice);
    t.clock.advance(10 * DAY); // everything so far leaves the 7-day window
    const made: number[] = [];
    for (let i = 0; i < 13; i++) {
      made.push(await post('paging', `page thread ${i}`, bob, i % 3 ? [] : ['gravel']));
      t.clock.advance(7 * MIN);
    }
    await t.app.jobs.runNow('content.hot_ranks');
    const allBefore = (await feed('limit=100')).items.map((i: { id: number }) => i.id);
    const seen: number[] = [];
    let body = await feed('limit=5');
    seen.push(...body.items.map((i: { id: number }) => i.id));
    // New content and new engagement after the first page must not disturb the next pages.
    t.clock.advance(MIN);
    const late = await post('paging', 'arrived after page one', bob, ['gravel']);
    expect((await call('POST', `/threads/${made[0]}/comments`, { body: 'bump' }, alice)).status).toBe(201);
    await t.app.events.drain();
    while (body.nextCursor) {
      body = await feed(`limit=5&cursor=${body.nextCursor}`);
      seen.push(...body.items.map((i: { id: number }) => i.id));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(allBefore);
    expect(seen).not.toContain(late);
    // The 13 fresh threads come first (ranked), then older ones newest first.
    expect(new Set(seen.slice(0, 13))).toEqual(new Set(made));
    expect(seen.length).toBeGreaterThan(13);
    const older = (
      await t.db
        .selectFrom('threads')
        .select(['id', 'created_at'])
        .where('id', 'in', seen.slice(13))
        .execute()
    )
      .sort((a, b) => seen.indexOf(a.id) - seen.indexOf(b.id))
      .map((r) => r.created_at);
    expect(older).toEqual([...older].sort((a, b) => b - a));
    // A new first page is a new snapshot: it has the late thread.
    expect((await feed('limit=100')).items.map((i: { id: number }) => i.id)).toContain(late);
  });

  it('needs a signed-in member and refuses forged cursors', async () => {
    const anon = await call('GET', '/feed', undefined, null);
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('UNAUTHENTICATED');
    const future = Buffer.from(JSON.stringify([1, t.clock.now() + DAY, 1, 1])).toString('base64url');
    const badTier = Buffer.from(JSON.stringify([3, t.clock.now(), 1, 1])).toString('base64url');
    for (const c of [future, badTier, 'garbage']) {
      const res = await call('GET', `/feed?cursor=${c}`, undefined, me);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_CURSOR');
    }
  });
});
