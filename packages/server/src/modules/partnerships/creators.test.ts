import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp } from '../../../test/harness.ts';
import { DAY, MINUTE } from '../../platform/clock.ts';
import { burstIndexes, scoreText } from './creators.metrics.ts';
import { ok } from './partnerships.fixtures.ts';

describe('creator figures (pure parts)', () => {
  it('finds bursts of new accounts only', () => {
    const now = Date.UTC(2026, 5, 1);
    const young = (i: number) => ({ userId: i, at: now + i * MINUTE, accountCreatedAt: now - DAY });
    const old = (i: number) => ({ userId: i, at: now + i * MINUTE, accountCreatedAt: now - 30 * DAY });
    expect(burstIndexes([0, 1, 2, 3, 4].map(young)).size).toBe(5);
    expect(burstIndexes([0, 1, 2, 3].map(young)).size).toBe(0);
    expect(burstIndexes([0, 1, 2, 3, 4].map(old)).size).toBe(0);
    // Spread over hours, new accounts are not a burst.
    expect(
      burstIndexes([0, 20, 40, 60, 80].map((h) => ({ ...young(h), at: now + h * 60 * MINUTE }))).size,
    ).toBe(0);
  });
  it('scores sentiment with the AFINN word list', () => {
    expect(scoreText('Great advice, I love it')).toBeGreaterThan(0);
    expect(scoreText('This is terrible and awful')).toBeLessThan(0);
  });
});

/**
 * Figures computed from real content over HTTP, then synthetic fake engagement (a reaction
 * ring, a burst of brand-new accounts, engagement from outside the niche): the authenticity
 * score must drop, and discovery must filter on it.
 */
describe('partnerships: creator discovery and authenticity', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
  });
  afterAll(async () => t?.close());

  it('computes figures, finds the creator by niche, and sees through fake engagement', async () => {
    const [owner, creator, g1, g2, g3, ring, stranger, manager] = await createUsers(
      t.app,
      'c_owner',
      'c_creator',
      'c_g1',
      'c_g2',
      'c_g3',
      'c_ring',
      'c_stranger',
      'c_manager',
    );
    await ok(call('POST', '/brands', { slug: 'shoes', name: 'Shoes' }, manager), 201);
    t.clock.advance(20 * DAY);
    await ok(call('POST', '/communities', { slug: 'run', name: 'Run' }, owner), 201);
    await ok(
      call('POST', '/communities', { slug: 'secret', name: 'Secret', visibility: 'private' }, creator),
      201,
    );
    for (const u of [creator, g1, g2, g3, ring]) await ok(call('POST', '/communities/run/join', {}, u));
    for (const g of [g1, g2, g3])
      await ok(
        call('POST', '/communities/run/threads', { title: `Hi from ${g.username}`, body: 'x' }, g),
        201,
      );
    const mine: number[] = [];
    for (let i = 0; i < 5; i++) {
      const th = await ok(
        call('POST', '/communities/run/threads', { title: `Tip ${i}`, body: 'Hydrate #trail' }, creator),
        201,
      );
      mine.push(th.id);
    }
    // Private content never counts (its figures would leak).
    await ok(call('POST', '/communities/secret/threads', { title: 'Private', body: 'x' }, creator), 201);
    for (const [k, g] of [g1, g2, g3].entries()) {
      await ok(call('POST', `/threads/${mine[k]}/reactions`, { kind: 'like' }, g));
      await ok(call('POST', `/threads/${mine[k + 1]}/reactions`, { kind: 'insightful' }, g));
      await ok(call('POST', `/threads/${mine[k]}/comments`, { body: 'Great advice, I love it' }, g), 201);
    }
    await ok(call('POST', `/follows/users/${creator.username}`, undefined, g1));

    // Opting in computes the figures at once.
    const saved = await ok(
      call(
        'PATCH',
        '/me/creator',
        { headline: 'Trail tips', niches: ['Trail'], communities: ['run'], rateCents: 5000 },
        creator,
      ),
    );
    expect(saved.profile).toMatchObject({
      niches: ['trail'],
      communities: [{ slug: 'run' }],
      rateCents: 5000,
    });
    expect(saved.profile.figures).toMatchObject({
      contributions: 5,
      engagement: 9,
      followers: 1,
      engagementRate: 1.8,
      followerRate: 9,
      reach: 3,
      sentiment: 1,
      authenticity: 100,
    });
    // A private community cannot be listed on a public profile.
    const bad = await call(
      'PATCH',
      '/me/creator',
      { headline: 'x', niches: [], communities: ['secret'] },
      creator,
    );
    expect(bad.body.error.field).toBe('communities');

    // Discovery by niche, with every figure explained.
    const found = await ok(call('GET', '/creators?tag=trail&minAuthenticity=90', undefined, manager));
    expect(found.items.map((p: any) => p.user.username)).toEqual([creator.username]);
    for (const k of ['engagementRate', 'followerRate', 'reach', 'sentiment', 'growth', 'authenticity'])
      expect(found.explanations[k]?.length, k).toBeGreaterThan(30);
    expect((await ok(call('GET', '/creators?tag=knitting', undefined, manager))).items).toEqual([]);

    // Fake engagement 1: a reaction ring (5 each way within 30 days).
    const ringThreads: number[] = [];
    for (let i = 0; i < 5; i++)
      ringThreads.push(
        (await ok(call('POST', '/communities/run/threads', { title: `R${i}`, body: 'x' }, ring), 201)).id,
      );
    for (let i = 0; i < 5; i++) {
      await ok(call('POST', `/threads/${ringThreads[i]}/reactions`, { kind: 'like' }, creator));
      await ok(call('POST', `/threads/${mine[i]}/reactions`, { kind: 'like' }, ring));
    }
    // Fake engagement 2: a burst of brand-new accounts within minutes.
    const fresh = await createUsers(t.app, 'c_new1', 'c_new2', 'c_new3', 'c_new4', 'c_new5');
    for (const u of fresh) {
      await ok(call('POST', '/communities/run/join', {}, u));
      await ok(call('POST', `/threads/${mine[4]}/reactions`, { kind: 'love' }, u));
      t.clock.advance(MINUTE);
    }
    // Fake engagement 3: an old account from outside the niche.
    await ok(call('POST', '/communities/run/join', {}, stranger));
    await ok(call('POST', `/threads/${mine[3]}/reactions`, { kind: 'like' }, stranger));

    await t.app.jobs.runNow('partnerships.creator_stats');
    const after = (await ok(call('GET', `/creators/${creator.username}`))).profile.figures;
    expect(after.details).toMatchObject({
      ringMembers: 1,
      ringEngagement: 5,
      burstEngagement: 5,
      offNicheEngagement: 1,
    });
    // 9 genuine + 0.5 off-niche out of 20 items.
    expect(after.engagement).toBe(20);
    expect(after.authenticity).toBe(47.5);
    expect(
      (await ok(call('GET', '/creators?tag=trail&minAuthenticity=90', undefined, manager))).items,
    ).toEqual([]);
    expect(
      (await ok(call('GET', '/creators?community=run&sort=reach', undefined, manager))).items[0].user
        .username,
    ).toBe(creator.username);

    // Opting out removes the public profile.
    await ok(call('DELETE', '/me/creator', undefined, creator));
    expect((await call('GET', `/creators/${creator.username}`)).body.error.code).toBe('CREATOR_NOT_FOUND');
  });
});
