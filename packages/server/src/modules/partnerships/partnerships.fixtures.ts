import { expect } from 'vitest';
import { api, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';
import { signBody } from './conversions.service.ts';

/**
 * A partnerships world for the module's suites: a brand (manager, second manager), a public
 * community "trail" (owner, creator, fans), a private community, an outsider and a site admin.
 * Built through the HTTP API; `ok` fails with the answer when a step goes wrong.
 */
export type Call = ReturnType<typeof api>;

export async function ok<T = any>(p: ReturnType<Call>, status = 200): Promise<T> {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body as T;
}

export interface World {
  call: Call;
  manager: TestUser;
  owner: TestUser;
  creator: TestUser;
  fan: TestUser;
  outsider: TestUser;
  admin: TestUser;
  secret: string;
  brand: string;
  community: string;
  privateCommunity: string;
}

let n = 0;

export async function buildWorld(t: TestApp): Promise<World> {
  const call = api(t.app);
  const i = ++n;
  const [manager, owner, creator, fan, outsider, admin] = await createUsers(
    t.app,
    `mgr${i}`,
    `own${i}`,
    `cre${i}`,
    `fan${i}`,
    `out${i}`,
    `adm${i}`,
  );
  await t.db.updateTable('users').set({ is_admin: 1 }).where('id', '=', admin.id).execute();
  const community = `trail${i}`;
  const privateCommunity = `kiln${i}`;
  await ok(call('POST', '/communities', { slug: community, name: `Trail ${i}` }, owner), 201);
  await ok(
    call('POST', '/communities', { slug: privateCommunity, name: `Kiln ${i}`, visibility: 'private' }, owner),
    201,
  );
  for (const u of [creator, fan]) await ok(call('POST', `/communities/${community}/join`, {}, u));
  const brand = await ok(
    call(
      'POST',
      '/brands',
      { slug: `acme${i}`, name: `Acme ${i}`, websiteUrl: 'https://shop.acme.test' },
      manager,
    ),
    201,
  );
  return {
    call,
    manager,
    owner,
    creator,
    fan,
    outsider,
    admin,
    secret: brand.conversionSecret,
    brand: brand.slug,
    community,
    privateCommunity,
  };
}

/** An active campaign approved in the world's public community with the creator accepted (fee 100.00). */
export async function runningCampaign(_t: TestApp, w: World, extra: Record<string, unknown> = {}) {
  const { call } = w;
  await ok(
    call(
      'PATCH',
      '/me/creator',
      { headline: 'Trail runner', niches: ['trail'], communities: [w.community] },
      w.creator,
    ),
  );
  const c = await ok(
    call(
      'POST',
      `/brands/${w.brand}/campaigns`,
      {
        title: 'Spring shoes',
        brief: 'Tell runners about our shoes',
        deliverablesBrief: 'One thread',
        budgetCents: 500_00,
        startsAt: '2026-05-01',
        endsAt: '2026-07-31',
        landingUrl: 'https://shop.acme.test/spring',
        status: 'active',
        ...extra,
      },
      w.manager,
    ),
    201,
  );
  await ok(call('POST', `/campaigns/${c.id}/communities`, { community: w.community }, w.manager));
  await ok(
    call('POST', `/communities/${w.community}/campaigns/${c.id}/decision`, { decision: 'approved' }, w.owner),
  );
  await ok(
    call('POST', `/campaigns/${c.id}/invites`, { username: w.creator.username, feeCents: 100_00 }, w.manager),
  );
  await ok(
    call('POST', `/campaigns/${c.id}/creators/${w.creator.username}/respond`, { accept: true }, w.creator),
  );
  return c.id as number;
}

/** Drafts, submits, approves and publishes a thread deliverable; returns the deliverable. */
export async function publishThread(w: World, campaignId: number, title = 'My favourite trail shoes') {
  const { call } = w;
  const d = await ok(
    call(
      'POST',
      `/campaigns/${campaignId}/deliverables`,
      { community: w.community, kind: 'thread', title, body: 'They grip on wet rock.' },
      w.creator,
    ),
    201,
  );
  await ok(call('POST', `/deliverables/${d.id}/submit`, undefined, w.creator));
  await ok(call('POST', `/deliverables/${d.id}/review`, { decision: 'approve' }, w.manager));
  return ok(call('POST', `/deliverables/${d.id}/publish`, undefined, w.creator));
}

/** Sends a conversion as a brand's shop would: signed raw JSON. */
export async function sendConversion(
  t: TestApp,
  body: Record<string, unknown>,
  secret: string,
  opts: { at?: number; tamper?: boolean; header?: string } = {},
) {
  const raw = JSON.stringify(body);
  const seconds = Math.floor((opts.at ?? t.clock.now()) / 1000);
  const signature = opts.header ?? signBody(secret, raw, seconds);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/partnerships/conversions',
    headers: { 'content-type': 'application/json', 'x-hearth-signature': signature },
    payload: opts.tamper ? raw.replace(/"amountCents":(\d+)/, '"amountCents":1$1') : raw,
  });
  return { status: res.statusCode, body: res.json() };
}
