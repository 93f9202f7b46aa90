import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';

describe('gamification: points from content events, member summary, privacy', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [owner, alice, bob, outsider] = await createUsers(t.app, 'g_owner', 'g_alice', 'g_bob', 'g_out');
    expect(
      (await call('POST', '/communities', { slug: 'gpub', name: 'Pub', guidelines: 'Be kind' }, owner))
        .status,
    ).toBe(201);
    for (const u of [alice, bob]) {
      expect((await call('POST', '/communities/gpub/join', { acceptGuidelines: true }, u)).status).toBe(200);
    }
    const priv = { slug: 'gpriv', name: 'Priv', guidelines: 'Shh', visibility: 'private' };
    expect((await call('POST', '/communities', priv, owner)).status).toBe(201);
  });
  afterAll(async () => t.close());

  const points = async (slug: string, user: TestUser, viewer: TestUser | null = user) => {
    await t.app.events.drain();
    return call('GET', `/communities/${slug}/members/${user.username}/gamification`, undefined, viewer);
  };

  it('awards thread, comment and received-reaction points; nothing for reacting to your own content', async () => {
    const before = (await points('gpub', alice)).body.points;
    expect(before).toBe(0);
    const th = (await call('POST', '/communities/gpub/threads', { title: 'Hello', body: 'World' }, alice))
      .body;
    expect((await points('gpub', alice)).body.points).toBe(5);
    expect((await call('POST', `/threads/${th.id}/comments`, { body: 'hi' }, bob)).status).toBe(201);
    expect((await points('gpub', bob)).body.points).toBe(2);
    // Self-reaction: no points.
    expect((await call('POST', `/threads/${th.id}/reactions`, { kind: 'like' }, alice)).status).toBeLessThan(
      300,
    );
    expect((await points('gpub', alice)).body.points).toBe(5);
    // Bob's reaction: +1, changing its kind does not award twice, removing it takes the point back.
    expect((await call('POST', `/threads/${th.id}/reactions`, { kind: 'like' }, bob)).status).toBeLessThan(
      300,
    );
    expect((await call('POST', `/threads/${th.id}/reactions`, { kind: 'love' }, bob)).status).toBeLessThan(
      300,
    );
    const withReaction = await points('gpub', alice);
    expect(withReaction.body.points).toBe(6);
    expect(withReaction.body.level).toMatchObject({ level: 1, name: 'Newcomer', nextAt: 25 });
    expect((await call('DELETE', `/threads/${th.id}/reactions`, undefined, bob)).status).toBeLessThan(300);
    expect((await points('gpub', alice)).body.points).toBe(5);
  });

  it('takes points back when content is deleted, including reactions it received', async () => {
    const th = (await call('POST', '/communities/gpub/threads', { title: 'Doomed', body: 'x' }, bob)).body;
    await call('POST', `/threads/${th.id}/reactions`, { kind: 'like' }, alice);
    const before = (await points('gpub', bob)).body.points;
    expect((await call('DELETE', `/threads/${th.id}`, undefined, bob)).status).toBe(200);
    expect((await points('gpub', bob)).body.points).toBe(before - 6);
  });

  it('is idempotent: replaying handled events adds nothing', async () => {
    const before = (await points('gpub', alice)).body.points;
    const rows = await t.db.selectFrom('outbox').select(['type', 'payload']).execute();
    // Re-emit creation events as new outbox rows (a redelivery under another event id):
    // the ledger's unique (source, member, reason) key must absorb them.
    let replayed = 0;
    for (const r of rows) {
      if (r.type !== 'content.thread_created' && r.type !== 'content.comment_created') continue;
      replayed++;
      await t.app.events.emit(t.db, r.type as any, JSON.parse(r.payload as string));
    }
    expect(replayed).toBeGreaterThan(1);
    expect((await points('gpub', alice)).body.points).toBe(before);
    expect((await points('gpub', bob)).body.points).toBe(2);
  });

  it('hides private communities from non-members (404) and unknown members (404)', async () => {
    expect((await points('gpriv', owner, outsider)).status).toBe(404);
    expect((await points('gpriv', owner, null)).status).toBe(404);
    expect((await points('gpriv', owner, owner)).status).toBe(200);
    expect((await points('gpub', outsider, alice)).status).toBe(404);
  });
});

describe('gamification: daily visits and leaderboards', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let ann: TestUser;
  let ben: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [owner, ann, ben, outsider] = await createUsers(t.app, 'l_owner', 'l_ann', 'l_ben', 'l_out');
    const priv = { slug: 'lboard', name: 'LB', guidelines: 'Shh', visibility: 'private' };
    expect((await call('POST', '/communities', priv, owner)).status).toBe(201);
    for (const u of [ann, ben]) {
      const inv = await call('POST', '/communities/lboard/invites', { username: u.username }, owner);
      expect(inv.status).toBeLessThan(300);
      expect((await call('POST', '/communities/lboard/join', { acceptGuidelines: true }, u)).status).toBe(
        200,
      );
    }
  });
  afterAll(async () => t.close());

  it('awards a visit once per UTC day', async () => {
    expect((await call('POST', '/communities/lboard/visit', undefined, ann)).body.points).toBe(1);
    expect((await call('POST', '/communities/lboard/visit', undefined, ann)).body.points).toBe(1);
    t.clock.advance(24 * 3600_000);
    expect((await call('POST', '/communities/lboard/visit', undefined, ann)).body.points).toBe(2);
    expect((await call('POST', '/communities/lboard/visit', undefined, outsider)).status).toBe(404);
    const summary = await call(
      'GET',
      `/communities/lboard/members/${ann.username}/gamification`,
      undefined,
      ann,
    );
    expect(summary.body.streak).toEqual({ current: 2, frozenDays: [] });
  });

  it('ranks members per period and hides private boards from non-members', async () => {
    await call('POST', '/communities/lboard/threads', { title: 'Ben posts', body: 'x' }, ben);
    await t.app.events.drain();
    const all = await call('GET', '/communities/lboard/leaderboard?period=all', undefined, ann);
    expect(all.status).toBe(200);
    expect(all.body.items.map((i: any) => [i.username, i.points])).toEqual([
      ['l_ben', 5],
      ['l_ann', 2],
    ]);
    // Ann's first visit is now older than a day but inside the week; move 8 days on: the week is empty.
    t.clock.advance(8 * 24 * 3600_000);
    expect(
      (await call('GET', '/communities/lboard/leaderboard?period=week', undefined, ann)).body.items,
    ).toEqual([]);
    expect(
      (await call('GET', '/communities/lboard/leaderboard?period=month', undefined, ann)).body.items,
    ).toHaveLength(2);
    // Ben hides himself: he drops off the board; un-hiding brings him back.
    expect(
      (await call('PATCH', '/communities/lboard/me/gamification', { hideFromLeaderboards: true }, ben))
        .status,
    ).toBe(200);
    const hidden = await call('GET', '/communities/lboard/leaderboard?period=all', undefined, ann);
    expect(hidden.body.items.map((i: any) => i.username)).toEqual(['l_ann']);
    await call('PATCH', '/communities/lboard/me/gamification', { hideFromLeaderboards: false }, ben);
    expect((await call('GET', '/communities/lboard/leaderboard', undefined, ann)).body.items).toHaveLength(2);
    expect(
      (await call('PATCH', '/communities/lboard/me/gamification', { hideFromLeaderboards: true }, outsider))
        .status,
    ).toBe(404);
    expect((await call('GET', '/communities/lboard/leaderboard', undefined, outsider)).status).toBe(404);
    expect((await call('GET', '/communities/lboard/leaderboard', undefined, null)).status).toBe(404);
  });
});

describe('gamification: reaction rings', () => {
  it('stops reaction points between two members who both reacted to each other at least 5 times in 30 days', async () => {
    const t = await createTestApp();
    const call = api(t.app);
    const [owner, a, b, c] = await createUsers(t.app, 'r_owner', 'r_a', 'r_b', 'r_c');
    await call('POST', '/communities', { slug: 'ring', name: 'Ring', guidelines: 'x' }, owner);
    for (const u of [a, b, c]) await call('POST', '/communities/ring/join', { acceptGuidelines: true }, u);
    const post = async (u: TestUser, n: number) => {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) {
        ids.push((await call('POST', '/communities/ring/threads', { title: `t${i}`, body: 'x' }, u)).body.id);
      }
      return ids;
    };
    const pts = async (u: TestUser) => {
      await t.app.events.drain();
      return (await call('GET', `/communities/ring/members/${u.username}/gamification`, undefined, u)).body
        .points;
    };
    const aThreads = await post(a, 7);
    const bThreads = await post(b, 6);
    const cThreads = await post(c, 6);
    // B reacts to 5 of A's threads and A to 5 of B's: each pair's reactions counted before the ring closes.
    for (const id of aThreads.slice(0, 5))
      await call('POST', `/threads/${id}/reactions`, { kind: 'like' }, b);
    for (const id of bThreads.slice(0, 5))
      await call('POST', `/threads/${id}/reactions`, { kind: 'like' }, a);
    const aBefore = await pts(a);
    const bBefore = await pts(b);
    // The ring is now closed (5 each way): further mutual reactions earn nothing.
    await call('POST', `/threads/${aThreads[5]}/reactions`, { kind: 'like' }, b);
    await call('POST', `/threads/${bThreads[5]}/reactions`, { kind: 'like' }, a);
    expect(await pts(a)).toBe(aBefore);
    expect(await pts(b)).toBe(bBefore);
    // A one-sided fan is not a ring: C reacting to A 6 times still earns A points each time.
    for (const id of aThreads.slice(0, 6))
      await call('POST', `/threads/${id}/reactions`, { kind: 'like' }, c);
    expect(await pts(a)).toBe(aBefore + 6);
    // C's own content still earns from A (A→C is one-sided).
    const cBefore = await pts(c);
    await call('POST', `/threads/${cThreads[0]}/reactions`, { kind: 'like' }, a);
    expect(await pts(c)).toBe(cBefore + 1);
    // After 30 days the window has moved on: the pair earns again.
    t.clock.advance(31 * 24 * 3600_000);
    await call('POST', `/threads/${aThreads[6]}/reactions`, { kind: 'like' }, b);
    expect(await pts(a)).toBe(aBefore + 7);
    await t.close();
  });
});
