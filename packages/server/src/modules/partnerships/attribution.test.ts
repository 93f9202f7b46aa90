import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { DAY, HOUR } from '../../platform/clock.ts';
import { setAnalyticsConsent } from '../../platform/consent.ts';
import { attribute } from './attribution.ts';
import {
  buildWorld,
  ok,
  publishThread,
  runningCampaign,
  sendConversion,
  type World,
} from './partnerships.fixtures.ts';

describe('attribution (pure)', () => {
  const windows = new Map([
    [1, 30],
    [2, 7],
  ]);
  const at = Date.UTC(2026, 5, 10);
  const conv = {
    id: 1,
    amountCents: 9000,
    occurredAt: at,
    touches: [
      { campaignId: 1, creatorId: 10, kind: 'click' as const, touchedAt: at - 20 * DAY },
      { campaignId: 2, creatorId: 20, kind: 'click' as const, touchedAt: at - 2 * DAY },
      { campaignId: 1, creatorId: 30, kind: 'promo' as const, touchedAt: at },
      // Outside campaign 2's 7-day window, and one after the order: neither counts.
      { campaignId: 2, creatorId: 40, kind: 'click' as const, touchedAt: at - 8 * DAY },
      { campaignId: 1, creatorId: 50, kind: 'click' as const, touchedAt: at + HOUR },
    ],
  };
  it('gives the whole order to the latest counting touch (last touch)', () => {
    const credits = attribute([conv], (id) => windows.get(id), 'last_touch');
    expect(credits.map((c) => [c.creatorId, c.share, c.revenueCents])).toEqual([[30, 1, 9000]]);
  });
  it('splits the order evenly over counting touches (linear)', () => {
    const credits = attribute([conv], (id) => windows.get(id), 'linear');
    expect(credits.map((c) => [c.creatorId, c.share, c.revenueCents])).toEqual([
      [10, 1 / 3, 3000],
      [20, 1 / 3, 3000],
      [30, 1 / 3, 3000],
    ]);
  });
  it('credits nobody without a counting touch', () => {
    expect(
      attribute([{ ...conv, touches: conv.touches.slice(3) }], (id) => windows.get(id), 'linear'),
    ).toEqual([]);
  });
});

/**
 * Tracked links (consent rules), the signed conversion endpoint (valid, invalid, stale,
 * replayed, duplicate orders) and the ROI report adding up against the test conversions.
 */
describe('partnerships: links, conversions and ROI', () => {
  let t: TestApp;
  let w: World;
  let campaignId: number;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t);
    campaignId = await runningCampaign(t, w, { attributionWindowDays: 7 });
  });
  afterAll(async () => t?.close());

  const follow = async (code: string, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/r/${code}`,
      headers: { 'user-agent': 'test', ...headers },
    });
    return { status: res.statusCode, location: String(res.headers.location ?? '') };
  };

  it('refuses link targets off the brand’s hosts or not http(s)', async () => {
    const { call } = w;
    for (const targetUrl of [
      'https://evil.test/x',
      'javascript:alert(1)',
      'ftp://shop.acme.test/x',
      'https://u:p@shop.acme.test/',
    ]) {
      const r = await call(
        'POST',
        `/campaigns/${campaignId}/links`,
        { username: w.creator.username, targetUrl },
        w.manager,
      );
      expect(r.body.error, targetUrl).toMatchObject({ code: 'VALIDATION_FAILED', field: 'targetUrl' });
    }
    expect(
      (await call('POST', `/campaigns/${campaignId}/links`, { username: w.fan.username }, w.manager)).body
        .error.code,
    ).toBe('CREATOR_NOT_FOUND');
    expect(
      (await call('POST', `/campaigns/${campaignId}/links`, { username: w.creator.username }, w.creator))
        .status,
    ).toBe(403);
    expect((await follow('nope')).status).toBe(404);
  });

  it('counts clicks by consent, reports ROI that adds up, and refuses bad signatures', async () => {
    const { call } = w;
    const link = await ok(
      call('POST', `/campaigns/${campaignId}/links`, { username: w.creator.username }, w.manager),
      201,
    );
    expect(link.url).toMatch(/\/r\/[A-Za-z0-9_-]+$/);
    await ok(
      call(
        'POST',
        `/campaigns/${campaignId}/promo-codes`,
        { username: w.creator.username, code: 'trail10' },
        w.manager,
      ),
      201,
    );
    expect(
      (
        await call(
          'POST',
          `/campaigns/${campaignId}/promo-codes`,
          { username: w.creator.username, code: 'TRAIL10' },
          w.manager,
        )
      ).body.error.code,
    ).toBe('PROMO_CODE_TAKEN');

    // Anonymous click: only an anonymous key. Consenting member: their id. Non-consenting member: a key.
    const anon = await follow(link.code);
    expect(anon.status).toBe(302);
    const target = new URL(anon.location);
    expect(target.origin + target.pathname).toBe('https://shop.acme.test/spring');
    const refAnon = target.searchParams.get('hearth_click')!;
    await t.db.transaction().execute((trx) => setAnalyticsConsent(trx, w.fan.id, true, t.clock.now()));
    const refFan = new URL((await follow(link.code, w.fan.headers)).location).searchParams.get(
      'hearth_click',
    )!;
    const refOwner = new URL((await follow(link.code, w.owner.headers)).location).searchParams.get(
      'hearth_click',
    )!;
    const clicks = await t.db.selectFrom('link_clicks').selectAll().orderBy('id').execute();
    expect(clicks.map((c) => [c.ref, c.user_id, c.visitor_key === null])).toEqual([
      [refAnon, null, false],
      [refFan, w.fan.id, true],
      [refOwner, null, false],
    ]);

    // A sponsored thread with engagement: 2 reactions and 1 reply from two members.
    const pub = await publishThread(w, campaignId);
    await ok(call('POST', `/threads/${pub.published.id}/reactions`, { kind: 'like' }, w.fan));
    await ok(call('POST', `/threads/${pub.published.id}/reactions`, { kind: 'love' }, w.owner));
    await ok(call('POST', `/threads/${pub.published.id}/comments`, { body: 'Nice' }, w.fan), 201);

    // Conversions: one through a click, one through the promo code, one with no touch.
    t.clock.advance(HOUR);
    const base = { brand: w.brand, currency: 'EUR' };
    const c1 = await sendConversion(
      t,
      { ...base, id: 'm1', orderId: 'o1', amountCents: 120_00, clickRefs: [refAnon] },
      w.secret,
    );
    expect(c1).toEqual({
      status: 201,
      body: { id: expect.any(Number), orderId: 'o1', duplicate: false, touches: 1 },
    });
    const c2 = await sendConversion(
      t,
      { ...base, id: 'm2', orderId: 'o2', amountCents: 80_00, promoCode: 'Trail10' },
      w.secret,
    );
    expect(c2.body.touches).toBe(1);
    expect(
      (await sendConversion(t, { ...base, id: 'm3', orderId: 'o3', amountCents: 999_00 }, w.secret)).body
        .touches,
    ).toBe(0);

    // Refused: wrong secret, tampered body, no header, stale timestamp, replayed id, wrong currency.
    const o4 = { ...base, id: 'm4', orderId: 'o4', amountCents: 50_00, clickRefs: [refFan] };
    expect((await sendConversion(t, o4, 'whsec_wrong')).body.error.code).toBe('SIGNATURE_INVALID');
    expect((await sendConversion(t, o4, w.secret, { tamper: true })).body.error.code).toBe(
      'SIGNATURE_INVALID',
    );
    expect((await sendConversion(t, o4, w.secret, { header: '' })).status).toBe(401);
    const stale = await sendConversion(t, o4, w.secret, { at: t.clock.now() - 10 * 60_000 });
    expect(stale).toMatchObject({ status: 401, body: { error: { code: 'SIGNATURE_STALE' } } });
    expect(
      (await sendConversion(t, { ...base, id: 'm1', orderId: 'o9', amountCents: 1 }, w.secret)).body.error
        .code,
    ).toBe('CONVERSION_REPLAYED');
    expect((await sendConversion(t, { ...o4, currency: 'USD' }, w.secret)).body.error.field).toBe('currency');
    // Idempotent per order: a new message for order o1 answers the recorded conversion.
    const again = await sendConversion(
      t,
      { ...base, id: 'm5', orderId: 'o1', amountCents: 120_00, clickRefs: [refAnon] },
      w.secret,
    );
    expect(again).toEqual({
      status: 200,
      body: { id: c1.body.id, orderId: 'o1', duplicate: true, touches: 1 },
    });
    expect(await t.db.selectFrom('conversions').select('id').execute()).toHaveLength(3);
    // Old message ids are pruned only once a replay of them would be stale anyway.
    await t.app.jobs.runNow('partnerships.prune_nonces');
    expect(await t.db.selectFrom('conversion_nonces').select('event_id').execute()).toHaveLength(4);

    // A click older than the 7-day window does not count.
    t.clock.advance(8 * DAY);
    const late = await sendConversion(
      t,
      { ...base, id: 'm6', orderId: 'o6', amountCents: 70_00, clickRefs: [refOwner] },
      w.secret,
    );
    expect(late.body.touches).toBe(1);

    const report = await ok(call('GET', `/campaigns/${campaignId}/report`, undefined, w.manager));
    const row = report.rows.find((r: any) => r.creator?.username === w.creator.username);
    // 120.00 (click) + 80.00 (promo) = 200.00 revenue on a fee of 100.00: ROI 1.
    expect(row).toEqual({
      creator: { id: w.creator.id, username: w.creator.username, displayName: w.creator.username },
      engagement: 3,
      engagedMembers: 2,
      clicks: 3,
      conversions: 2,
      revenueCents: 200_00,
      costCents: 100_00,
      roi: 1,
      costPerEngagedMemberCents: 50_00,
    });
    expect(report.total).toMatchObject({
      conversions: 2,
      revenueCents: 200_00,
      costCents: 100_00,
      clicks: 3,
    });
    expect(report.daily.reduce((s: number, d: any) => s + d.revenueCents, 0)).toBe(200_00);

    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/v1/campaigns/${campaignId}/report.csv`,
      headers: w.manager.headers,
    });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'creator,engagement,engaged_members,clicks,conversions,revenue_EUR,cost_EUR,roi,cost_per_engaged_member_EUR',
    );
    expect(lines).toContain(`${w.creator.username},3,2,3,2,200.00,100.00,1,50.00`);
    expect(lines.at(-1)).toBe('TOTAL,3,2,3,2,200.00,100.00,1,50.00');
    expect((await call('GET', `/campaigns/${campaignId}/report.csv`, undefined, w.creator)).status).toBe(403);
  });

  it('records payouts (not processed) for managers; creators see their own', async () => {
    const { call } = w;
    expect(
      (
        await call(
          'POST',
          `/campaigns/${campaignId}/payouts`,
          { username: w.creator.username, amountCents: 1 },
          w.creator,
        )
      ).status,
    ).toBe(403);
    const p = await ok(
      call(
        'POST',
        `/campaigns/${campaignId}/payouts`,
        { username: w.creator.username, amountCents: 100_00, note: 'Fee' },
        w.manager,
      ),
      201,
    );
    expect(p).toMatchObject({ status: 'pending', paidOn: null, amountCents: 100_00 });
    const paid = await ok(
      call('PATCH', `/payouts/${p.id}`, { status: 'paid', paidOn: '2026-06-15' }, w.manager),
    );
    expect(paid).toMatchObject({ status: 'paid', paidOn: '2026-06-15' });
    expect((await call('PATCH', `/payouts/${p.id}`, { status: 'cancelled' }, w.creator)).status).toBe(403);
    expect(
      (await call('PATCH', `/payouts/${p.id}`, { status: 'cancelled' }, w.outsider)).body.error.code,
    ).toBe('PAYOUT_NOT_FOUND');
    const seen = await ok(call('GET', `/campaigns/${campaignId}`, undefined, w.creator));
    expect(seen.payouts.map((x: any) => [x.amountCents, x.status])).toEqual([[100_00, 'paid']]);
  });
});
