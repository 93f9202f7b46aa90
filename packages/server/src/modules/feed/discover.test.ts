import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';

const DAY = 24 * 3_600_000;

describe('discovery: communities for a member, trending tags', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let me: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let x: TestUser[];

  const community = async (slug: string, owner: TestUser, extra: object = {}) =>
    expect((await call('POST', '/communities', { slug, name: `The ${slug}`, ...extra }, owner)).status).toBe(
      201,
    );
  const join = async (slug: string, ...users: TestUser[]) => {
    for (const u of users) expect((await call('POST', `/communities/${slug}/join`, {}, u)).status).toBe(200);
  };
  const post = async (slug: string, user: TestUser, tags: string[]) => {
    const res = await call('POST', `/communities/${slug}/threads`, { title: 'T', body: 'B', tags }, user);
    expect(res.status).toBe(201);
    return res.body.id as number;
  };

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    const users = await createUsers(t.app, 'd_me', 'd_alice', 'd_bob', 'd_x1', 'd_x2', 'd_x3', 'd_y');
    [me, alice, bob] = users;
    x = users.slice(3, 6);
    await community('lonely', users[6]!);
    await community('mine', x[0]!);
    await join('mine', me, x[1]!, x[2]!);
    await community('neighbours', x[0]!);
    await join('neighbours', x[1]!, x[2]!);
    await community('friends-place', alice);
    await join('friends-place', bob);
    await community('glaze', x[0]!);
    await post('glaze', x[0]!, ['pottery']);
    await post('glaze', x[0]!, ['pottery', 'kilns']);
    await community('private-gem', alice, { visibility: 'private' });
    await post('private-gem', alice, ['pottery', 'secretsauce']);
    await community('muted-one', alice);
    await community('quiet', bob);
    expect((await call('PATCH', '/me', { interests: ['pottery'] }, me)).status).toBe(200);
    for (const u of ['d_alice', 'd_bob'])
      expect((await call('POST', `/follows/users/${u}`, undefined, me)).status).toBe(200);
    expect((await call('POST', '/mutes/communities/muted-one', undefined, me)).status).toBe(200);
  });
  afterAll(async () => t.close());

  it('recommends from follows, co-membership and interests, each with its reason; never private, joined or muted ones', async () => {
    const res = await call('GET', '/discover/communities?limit=10', undefined, me);
    expect(res.status).toBe(200);
    const items = res.body.items as { community: { slug: string }; reason: string; signals: object }[];
    expect(items.map((i) => i.community.slug)).toEqual([
      'friends-place',
      'glaze',
      'quiet',
      'neighbours',
      'lonely',
    ]);
    expect(items[0]).toMatchObject({
      reason: '2 members you follow are here',
      signals: { followedMembers: 2, sharedMembers: 0, matchingTags: [] },
    });
    // glaze's owner is also in my community, but the interest is its strongest signal.
    expect(items[1]).toMatchObject({
      reason: 'Talks about #pottery, one of your interests',
      signals: { followedMembers: 0, sharedMembers: 1, matchingTags: ['pottery'] },
    });
    expect(items[2]!.reason).toBe('1 member you follow is here');
    expect(items[3]).toMatchObject({
      reason: '3 members of your communities are here',
      signals: { followedMembers: 0, sharedMembers: 3, matchingTags: [] },
    });
    expect(items[4]).toMatchObject({ reason: '1 member', signals: { followedMembers: 0, sharedMembers: 0 } });
  });

  it('suggests the busiest public communities to a signed-out visitor', async () => {
    const thread = await post('glaze', x[0]!, []);
    expect((await call('POST', `/threads/${thread}/comments`, { body: 'hi' }, x[0]!)).status).toBe(201);
    await t.app.jobs.runNow('content.hot_ranks');
    const res = await call('GET', '/discover/communities?limit=3', undefined, null);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ community: { slug: 'glaze' }, reason: 'Active this month' });
    const slugs = res.body.items.map((i: { community: { slug: string } }) => i.community.slug);
    expect(slugs).not.toContain('private-gem');
  });

  it("trends tags by the hot rank of this week's public threads, without private, deleted, old or muted ones", async () => {
    t.clock.advance(8 * DAY);
    await post('quiet', bob, ['stale']);
    t.clock.advance(8 * DAY);
    for (let i = 0; i < 3; i++) await post('quiet', bob, ['hotstuff']);
    await post('quiet', bob, ['warm']);
    for (let i = 0; i < 5; i++) await post('private-gem', alice, ['secretsauce']);
    const gone = await post('quiet', bob, ['gone']);
    expect((await call('DELETE', `/threads/${gone}`, undefined, bob)).status).toBe(200);
    // A thread held for approval is not public yet.
    const held = await post('quiet', bob, ['heldback']);
    await t.db.updateTable('threads').set({ status: 'pending' }).where('id', '=', held).execute();
    await t.app.jobs.runNow('content.hot_ranks');
    const anon = await call('GET', '/discover/tags', undefined, null);
    expect(anon.status).toBe(200);
    expect(anon.body.items.map((i: { name: string }) => i.name)).toEqual(['hotstuff', 'warm']);
    expect(anon.body.items[0]).toMatchObject({ threads: 3, following: false });
    expect(anon.body.items[0].score).toBeGreaterThan(anon.body.items[1].score);
    // Alice is in the private community; trending still counts public threads only.
    const asAlice = await call('GET', '/discover/tags', undefined, alice);
    expect(asAlice.body.items.map((i: { name: string }) => i.name)).toEqual(['hotstuff', 'warm']);
    expect((await call('POST', '/mutes/tags/hotstuff', undefined, me)).status).toBe(200);
    expect((await call('POST', '/follows/tags/warm', undefined, me)).status).toBe(200);
    const mine = await call('GET', '/discover/tags', undefined, me);
    expect(mine.body.items).toEqual([
      { name: 'warm', threads: 1, score: expect.any(Number), following: true },
    ]);
  });
});
