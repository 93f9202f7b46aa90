import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, dialect, type TestUser } from '../../../test/harness.ts';
import {
  badgeJob,
  createScene,
  fails,
  must,
  post,
  pts,
  type Scene,
  settings,
} from './gamification.fixtures.ts';

/** Members who each earned `threads` × 10 points (the weight is raised for the suite). */
async function earners(s: Scene, n: number, threads = 1) {
  const users = await Promise.all(Array.from({ length: n }, () => createUser(s.t.app)));
  for (const u of users) {
    await must(s.call('POST', `/communities/${s.slug}/join`, { acceptGuidelines: true }, u));
    for (let i = 0; i < threads; i++) await post(s, u, `Thread ${i}`);
  }
  await s.t.app.events.drain();
  return users;
}

describe(`gamification: rewards and atomic redemption (${dialect})`, () => {
  let s: Scene;
  const offer = (body: unknown, by: TestUser = s.mod) =>
    s.call('POST', `/communities/${s.slug}/rewards`, body, by);
  const redeem = (id: number, by: TestUser) =>
    s.call('POST', `/communities/${s.slug}/rewards/${id}/redeem`, undefined, by);
  beforeAll(async () => {
    s = await createScene();
    await settings(s, { weights: { thread_created: 10 }, dailyCaps: { thread_created: null } });
  });
  afterAll(async () => s?.t.close());

  it('lets moderators offer rewards, with clear errors for what does not fit', async () => {
    await fails(offer({ kind: 'seat', title: 'Seat', costPoints: 5 }, s.alice), 403, 'FORBIDDEN');
    await fails(
      offer({ kind: 'seat', title: 'Seat', costPoints: 5 }, null as unknown as TestUser),
      401,
      'UNAUTHENTICATED',
    );
    const noCodes = await fails(
      offer({ kind: 'promo_code', title: 'Code', costPoints: 5 }),
      400,
      'VALIDATION_FAILED',
    );
    expect(noCodes.body.error.field).toBe('body.codes');
    const noContent = await fails(
      offer({ kind: 'content', title: 'Guide', costPoints: 5 }),
      400,
      'VALIDATION_FAILED',
    );
    expect(noContent.body.error.field).toBe('body.secret');
    await fails(offer({ kind: 'seat', title: 'Seat', costPoints: -1 }), 400, 'VALIDATION_FAILED');
    await fails(
      offer({ kind: 'seat', title: 'Seat', costPoints: 1, requiredBadgeId: 999_999 }),
      400,
      'VALIDATION_FAILED',
    );
    await fails(offer({ kind: 'seat', title: 'Seat', costPoints: 1, minLevel: 9 }), 400, 'VALIDATION_FAILED');
    await fails(
      offer({ kind: 'seat', title: 'Seat', costPoints: 1, codes: ['A'] }),
      400,
      'VALIDATION_FAILED',
    );
    const seat = await must(
      offer({ kind: 'seat', title: 'Group ride seat', costPoints: 10, stock: 3, secret: 'Meet at 7' }),
      201,
    );
    expect(seat.body).toMatchObject({
      kind: 'seat',
      stock: 3,
      perMemberLimit: 1,
      active: true,
      hasSecret: true,
    });
    expect(seat.body.secret).toBeUndefined();
  });

  it('reveals a partner code only to the member who redeemed it, one code each', async () => {
    const [a, b, c] = await earners(s, 3);
    const promo = await must(
      offer({
        kind: 'promo_code',
        title: '20% off at Spoke & Chain',
        costPoints: 10,
        codes: ['SPOKE-1', 'SPOKE-2'],
      }),
      201,
    );
    expect(promo.body.stock).toBe(2);
    const ra = await must(redeem(promo.body.id, a!));
    const rb = await must(redeem(promo.body.id, b!));
    expect([ra.body.redemption.code, rb.body.redemption.code].sort()).toEqual(['SPOKE-1', 'SPOKE-2']);
    expect(ra.body.balance).toBe(0);
    await fails(redeem(promo.body.id, c!), 409, 'OUT_OF_STOCK');
    // Lists never carry codes; each member sees only their own.
    const list = await must(s.call('GET', `/communities/${s.slug}/rewards`, undefined, c));
    expect(JSON.stringify(list.body)).not.toContain('SPOKE-');
    expect(list.body.items.find((r: { id: number }) => r.id === promo.body.id).mine).toEqual({
      redemptions: 0,
      canRedeem: false,
      reason: 'None left',
    });
    const mineA = await must(s.call('GET', `/communities/${s.slug}/me/redemptions`, undefined, a));
    expect(mineA.body.items.map((r: { code: string }) => r.code)).toEqual([ra.body.redemption.code]);
    expect(
      (await must(s.call('GET', `/communities/${s.slug}/me/redemptions`, undefined, c))).body.items,
    ).toEqual([]);
    const who = await must(
      s.call('GET', `/communities/${s.slug}/rewards/${promo.body.id}/redemptions`, undefined, s.mod),
    );
    expect(who.body.items).toHaveLength(2);
    expect(JSON.stringify(who.body)).not.toContain('SPOKE-');
    await fails(
      s.call('GET', `/communities/${s.slug}/rewards/${promo.body.id}/redemptions`, undefined, a),
      403,
      'FORBIDDEN',
    );
    // More codes restock it.
    const restocked = await must(
      s.call('PATCH', `/communities/${s.slug}/rewards/${promo.body.id}`, { addCodes: ['SPOKE-3'] }, s.mod),
    );
    expect(restocked.body.stock).toBe(1);
    await fails(redeem(promo.body.id, a!), 409, 'REDEMPTION_LIMIT');
    // Spending does not lower the level or the leaderboard points.
    expect(await pts(s, a!)).toBe(10);
    expect(
      (await must(s.call('GET', `/communities/${s.slug}/members/${a!.username}/gamification`, undefined, a)))
        .body.balance,
    ).toBe(0);
    await fails(redeem(promo.body.id, a!), 409, 'REDEMPTION_LIMIT');
  });

  it('needs the badge, the level and the points it asks for', async () => {
    const [m] = await earners(s, 1);
    const badges = (await must(s.call('GET', `/communities/${s.slug}/badges`))).body.items;
    const hero = badges.find((b: { slug: string }) => b.slug === 'community-hero').id;
    const vip = await must(
      offer({
        kind: 'content',
        title: 'Hero guide',
        costPoints: 0,
        requiredBadgeId: hero,
        secret: 'The secret route',
      }),
      201,
    );
    await fails(redeem(vip.body.id, m!), 403, 'BADGE_REQUIRED');
    await must(
      s.call('POST', `/communities/${s.slug}/members/${m!.username}/badges`, { badgeId: hero }, s.mod),
    );
    const got = await must(redeem(vip.body.id, m!));
    expect(got.body.redemption).toMatchObject({
      kind: 'content',
      secret: 'The secret route',
      pointsSpent: 0,
    });
    const pillar = await must(
      offer({ kind: 'seat', title: 'Pillar dinner', costPoints: 1, minLevel: 4 }),
      201,
    );
    const refused = await fails(redeem(pillar.body.id, m!), 403, 'LEVEL_TOO_LOW');
    expect(refused.body.error.message).toContain('Pillar');
    const dear = await must(offer({ kind: 'seat', title: 'Dear', costPoints: 11 }), 201);
    await fails(redeem(dear.body.id, m!), 409, 'INSUFFICIENT_POINTS');
    await must(s.call('PATCH', `/communities/${s.slug}/rewards/${dear.body.id}`, { active: false }, s.mod));
    await fails(redeem(dear.body.id, m!), 409, 'REWARD_UNAVAILABLE');
    expect(
      (await must(s.call('GET', `/communities/${s.slug}/rewards`, undefined, m))).body.items.map(
        (r: { id: number }) => r.id,
      ),
    ).not.toContain(dear.body.id);
    await fails(redeem(999_999, m!), 404, 'REWARD_NOT_FOUND');
    await fails(redeem(dear.body.id, s.outsider), 403, 'NOT_A_MEMBER');
    await badgeJob(s);
  });

  it('redeeming the last unit from many members at once succeeds exactly once', async () => {
    const members = await earners(s, 12);
    const last = await must(
      offer({ kind: 'seat', title: 'Last seat on the bus', costPoints: 10, stock: 1 }),
      201,
    );
    const results = await Promise.all(members.map((m) => redeem(last.body.id, m)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.body.error.code).toBe('OUT_OF_STOCK');
    const reward = await s.t.db
      .selectFrom('rewards')
      .select('stock')
      .where('id', '=', last.body.id)
      .executeTakeFirstOrThrow();
    expect(reward.stock).toBe(0);
    const redemptions = await s.t.db
      .selectFrom('reward_redemptions')
      .select('user_id')
      .where('reward_id', '=', last.body.id)
      .execute();
    expect(redemptions).toHaveLength(1);
    // Exactly one member paid.
    const spent = await s.t.db
      .selectFrom('points_ledger')
      .select('user_id')
      .where('reason', '=', 'redeemed')
      .where('source', 'like', 'redemption:%')
      .where(
        'user_id',
        'in',
        members.map((m) => m.id),
      )
      .execute();
    expect(spent.map((r) => r.user_id)).toEqual(redemptions.map((r) => r.user_id));
  }, 60_000);

  it('one member redeeming many times at once never spends more than they have', async () => {
    const [rich] = await earners(s, 1, 3); // 30 points
    const cheap = await must(
      offer({ kind: 'seat', title: 'Coffee at the ride', costPoints: 10, perMemberLimit: null }),
      201,
    );
    const results = await Promise.all(Array.from({ length: 10 }, () => redeem(cheap.body.id, rich!)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    for (const r of results.filter((x) => x.status !== 200))
      expect(r.body.error.code).toBe('INSUFFICIENT_POINTS');
    const mine = await must(s.call('GET', `/communities/${s.slug}/me/redemptions`, undefined, rich));
    expect(mine.body.balance).toBe(0);
    expect(mine.body.items).toHaveLength(3);
    // Earned points are untouched by spending.
    expect(await pts(s, rich!)).toBe(30);
  });
});
