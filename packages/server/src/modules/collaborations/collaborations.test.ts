import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';
import { HOUR } from '../../platform/clock.ts';

describe('collaborations: collaborations, cross-posted threads, co-hosted events', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let ownerA: TestUser;
  let ownerB: TestUser;
  let modA: TestUser;
  let memberA: TestUser;
  let memberB: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [ownerA, ownerB, modA, memberA, memberB, outsider] = await createUsers(
      t.app,
      'co_ownera',
      'co_ownerb',
      'co_moda',
      'co_membera',
      'co_memberb',
      'co_out',
    );
    await call('POST', '/communities', { slug: 'alpha', name: 'Alpha' }, ownerA);
    await call('POST', '/communities', { slug: 'beta', name: 'Beta' }, ownerB);
    await call('POST', '/communities', { slug: 'gamma', name: 'Gamma', visibility: 'private' }, ownerA);
    for (const u of [modA, memberA]) await call('POST', '/communities/alpha/join', {}, u);
    await call('PATCH', `/communities/alpha/members/${modA.username}`, { role: 'moderator' }, ownerA);
    await call('POST', '/communities/beta/join', {}, memberB);
  });
  afterAll(async () => t?.close());

  const partner = async (from: string, to: string, owner: TestUser, other: TestUser) => {
    const proposed = await call('POST', `/communities/${from}/collaborations`, { partner: to }, owner);
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    const accepted = await call('POST', `/collaborations/${proposed.body.id}/accept`, undefined, other);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    return proposed.body.id as number;
  };

  it('needs both owners: one proposes, the other accepts; moderators cannot, and either owner can end it', async () => {
    const byMod = await call('POST', '/communities/alpha/collaborations', { partner: 'beta' }, modA);
    expect(byMod.body.error.code).toBe('FORBIDDEN');
    const self = await call('POST', '/communities/alpha/collaborations', { partner: 'alpha' }, ownerA);
    expect(self.body.error.field).toBe('partner');
    const p = await call('POST', '/communities/alpha/collaborations', { partner: 'beta' }, ownerA);
    expect(p.body).toMatchObject({ status: 'proposed', direction: 'outgoing', partner: { slug: 'beta' } });
    expect(
      (await call('POST', `/collaborations/${p.body.id}/accept`, undefined, ownerA)).body.error.code,
    ).toBe('FORBIDDEN');
    expect(
      (await call('POST', `/collaborations/${p.body.id}/accept`, undefined, memberB)).body.error.code,
    ).toBe('COLLABORATION_NOT_FOUND');
    const listB = await call('GET', '/communities/beta/collaborations', undefined, ownerB);
    expect(listB.body.items).toMatchObject([
      { status: 'proposed', direction: 'incoming', partner: { slug: 'alpha' } },
    ]);
    const ok = await call('POST', `/collaborations/${p.body.id}/accept`, undefined, ownerB);
    expect(ok.body.status).toBe('active');
    expect(
      (await call('POST', '/communities/beta/collaborations', { partner: 'alpha' }, ownerB)).body.error.code,
    ).toBe('COLLABORATION_EXISTS');
    expect((await call('POST', `/collaborations/${p.body.id}/end`, undefined, ownerB)).status).toBe(200);
    expect((await call('GET', '/communities/alpha/collaborations', undefined, modA)).body.items).toEqual([]);
    // A private community nobody invited you to cannot be proposed to: it does not exist for you.
    const hidden = await call('POST', '/communities/beta/collaborations', { partner: 'gamma' }, ownerB);
    expect(hidden.body.error).toMatchObject({ code: 'COMMUNITY_NOT_FOUND', field: 'partner' });
  });

  it('shows a cross-posted thread in both lists and home feeds, with one comment thread open to both communities', async () => {
    const pid = await partner('alpha', 'beta', ownerA, ownerB);
    const th = (
      await call('POST', '/communities/alpha/threads', { title: 'Joint run', body: 'Both clubs' }, memberA)
    ).body;
    expect(
      (await call('POST', `/threads/${th.id}/crossposts`, { community: 'beta' }, memberA)).body.error.code,
    ).toBe('FORBIDDEN');
    const shared = await call('POST', `/threads/${th.id}/crossposts`, { community: 'beta' }, modA);
    expect(shared.body).toEqual({
      origin: { id: expect.any(Number), slug: 'alpha', name: 'Alpha' },
      items: [{ id: expect.any(Number), slug: 'beta', name: 'Beta' }],
    });
    expect(
      (await call('POST', `/threads/${th.id}/crossposts`, { community: 'beta' }, modA)).body.error.code,
    ).toBe('ALREADY_CROSSPOSTED');
    const inBeta = await call('GET', '/communities/beta/threads?sort=new');
    expect(inBeta.body.items.map((x: any) => x.id)).toContain(th.id);
    expect(
      (await call('GET', '/communities/alpha/threads?sort=new')).body.items.map((x: any) => x.id),
    ).toContain(th.id);
    // A member of the partner comments; members of both see one thread of comments.
    const c = await call('POST', `/threads/${th.id}/comments`, { body: 'Count me in (from Beta)' }, memberB);
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    await call('POST', `/threads/${th.id}/comments`, { body: 'Great (from Alpha)' }, memberA);
    const comments = (await call('GET', `/threads/${th.id}/comments`, undefined, memberB)).body.items;
    expect(comments.map((x: any) => x.body)).toEqual(['Count me in (from Beta)', 'Great (from Alpha)']);
    // Someone in neither community still cannot comment.
    expect((await call('POST', `/threads/${th.id}/comments`, { body: 'x' }, outsider)).body.error.code).toBe(
      'NOT_A_MEMBER',
    );
    // Beta's home feed carries it.
    await t.app.events.drain();
    const feed = await call('GET', '/feed', undefined, memberB);
    expect(feed.status).toBe(200);
    expect(JSON.stringify(feed.body)).toContain('Joint run');
    // Ending the collaboration takes it out of Beta.
    await call('POST', `/collaborations/${pid}/end`, undefined, ownerA);
    expect(
      (await call('GET', '/communities/beta/threads?sort=new')).body.items.map((x: any) => x.id),
    ).not.toContain(th.id);
    expect(
      (await call('POST', `/threads/${th.id}/comments`, { body: 'again' }, memberB)).body.error.code,
    ).toBe('NOT_A_MEMBER');
  });

  it("never puts a private community's thread into a public partner without its owner's explicit choice", async () => {
    await call('POST', '/communities/gamma/invites', { username: modA.username }, ownerA);
    await call('POST', '/communities/gamma/join', {}, modA);
    await call('PATCH', `/communities/gamma/members/${modA.username}`, { role: 'moderator' }, ownerA);
    await partner('gamma', 'beta', ownerA, ownerB);
    const th = (
      await call('POST', '/communities/gamma/threads', { title: 'Inner circle', body: 'Private words' }, modA)
    ).body;
    expect((await call('GET', `/threads/${th.id}`, undefined, memberB)).status).toBe(404);
    const byMod = await call('POST', `/threads/${th.id}/crossposts`, { community: 'beta' }, modA);
    expect(byMod.body.error.code).toBe('FORBIDDEN');
    const unconfirmed = await call('POST', `/threads/${th.id}/crossposts`, { community: 'beta' }, ownerA);
    expect(unconfirmed.body.error).toMatchObject({
      code: 'CROSSPOST_CONFIRMATION_REQUIRED',
      field: 'confirmPrivateToPublic',
    });
    expect(
      (await call('GET', '/communities/beta/threads?sort=new')).body.items.map((x: any) => x.id),
    ).not.toContain(th.id);
    const ok = await call(
      'POST',
      `/threads/${th.id}/crossposts`,
      { community: 'beta', confirmPrivateToPublic: true },
      ownerA,
    );
    expect(ok.status).toBe(200);
    expect((await call('GET', `/threads/${th.id}`, undefined, memberB)).status).toBe(200);
    // Not partners with alpha: refused.
    const notPartner = await call('POST', `/threads/${th.id}/crossposts`, { community: 'alpha' }, ownerA);
    expect(notPartner.body.error.code).toBe('NOT_PARTNERS');
    // The partner's moderators (here Beta's owner) may take a cross-post back out.
    const removed = await call('DELETE', `/threads/${th.id}/crossposts/beta`, undefined, ownerB);
    expect(removed.body.items).toEqual([]);
    expect((await call('GET', `/threads/${th.id}`, undefined, memberB)).status).toBe(404);
  });

  it('lists a co-hosted event in both communities, with one RSVP list open to members of both', async () => {
    await partner('alpha', 'beta', ownerA, ownerB);
    const e = (
      await call(
        'POST',
        '/communities/alpha/events',
        {
          title: 'Joint meetup',
          mode: 'in_person',
          location: 'Bridge',
          startsAt: new Date(t.clock.now() + 24 * HOUR).toISOString(),
          endsAt: new Date(t.clock.now() + 26 * HOUR).toISOString(),
          timeZone: 'Europe/Berlin',
          capacity: 10,
        },
        modA,
      )
    ).body;
    expect((await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, memberB)).body.error.code).toBe(
      'NOT_A_MEMBER',
    );
    const co = await call('POST', `/events/${e.id}/cohosts`, { community: 'beta' }, modA);
    expect(co.body.items.map((c: any) => c.slug)).toEqual(['beta']);
    expect((await call('GET', '/communities/beta/events')).body.items.map((x: any) => x.id)).toContain(e.id);
    expect((await call('GET', '/communities/alpha/events')).body.items.map((x: any) => x.id)).toContain(e.id);
    await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, memberB);
    await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, memberA);
    const ev = (await call('GET', `/events/${e.id}`, undefined, memberB)).body;
    expect(ev).toMatchObject({ goingCount: 2, cohosts: [{ slug: 'beta' }], community: { slug: 'alpha' } });
    const removed = await call('DELETE', `/events/${e.id}/cohosts/beta`, undefined, ownerB);
    expect(removed.body.items).toEqual([]);
    expect((await call('GET', '/communities/beta/events')).body.items.map((x: any) => x.id)).not.toContain(
      e.id,
    );
  });
});
