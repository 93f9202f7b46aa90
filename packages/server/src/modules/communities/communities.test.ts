import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';

describe('communities', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let ann: TestUser;
  let ben: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [owner, ann, ben] = await createUsers(t.app, 'k_owner', 'k_ann', 'k_ben');
  });
  afterAll(async () => t.close());

  it('creates a community with its creator as owner and refuses a taken or malformed slug', async () => {
    const res = await call(
      'POST',
      '/communities',
      { slug: 'vegan-cooks', name: 'Vegan Cooks', description: 'Plants', guidelines: 'No meat talk' },
      owner,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: 'vegan-cooks',
      visibility: 'public',
      joinPolicy: 'open',
      memberCount: 1,
      membership: { role: 'owner', status: 'active' },
    });
    expect(
      (await call('POST', '/communities', { slug: 'vegan-cooks', name: 'Again' }, ann)).body.error.code,
    ).toBe('SLUG_TAKEN');
    const bad = await call('POST', '/communities', { slug: 'No Spaces!', name: 'x' }, ann);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/slug/);
    const privOpen = await call(
      'POST',
      '/communities',
      { slug: 'secret-open', name: 'x', visibility: 'private', joinPolicy: 'open' },
      ann,
    );
    expect(privOpen.status).toBe(400);
    expect(privOpen.body.error.field).toBe('joinPolicy');
  });

  it('records guideline acceptance with its time when a member joins an open community', async () => {
    const refused = await call('POST', '/communities/vegan-cooks/join', {}, ann);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('GUIDELINES_NOT_ACCEPTED');
    t.clock.advance(1000);
    const joined = await call('POST', '/communities/vegan-cooks/join', { acceptGuidelines: true }, ann);
    expect(joined.body).toEqual({ status: 'active', role: 'member' });
    const m = await call('GET', '/communities/vegan-cooks', undefined, ann);
    expect(m.body.membership.guidelinesAcceptedAt).toBe(new Date(t.clock.now()).toISOString());
    expect(m.body.memberCount).toBe(2);
    expect(
      (await call('POST', '/communities/vegan-cooks/join', { acceptGuidelines: true }, ann)).body.error.code,
    ).toBe('ALREADY_MEMBER');
    const members = await call('GET', '/communities/vegan-cooks/members');
    expect(members.body.items.map((x: { username: string }) => x.username).sort()).toEqual([
      'k_ann',
      'k_owner',
    ]);
  });

  it('handles requests to join: pending, approved by a moderator, then active', async () => {
    await call('POST', '/communities', { slug: 'clay', name: 'Clay', joinPolicy: 'request' }, owner);
    const req = await call('POST', '/communities/clay/join', {}, ben);
    expect(req.body).toEqual({ status: 'pending', role: 'member' });
    expect((await call('POST', '/communities/clay/join', {}, ben)).body.error.code).toBe('ALREADY_REQUESTED');
    // Pending members cannot post yet.
    expect(
      (await call('POST', '/communities/clay/threads', { title: 'x', body: 'y' }, ben)).body.error.code,
    ).toBe('NOT_A_MEMBER');
    const pending = await call('GET', '/communities/clay/members?status=pending', undefined, owner);
    expect(pending.body.items.map((x: { username: string }) => x.username)).toEqual(['k_ben']);
    expect((await call('GET', '/communities/clay/members?status=pending', undefined, ben)).status).toBe(403);
    expect(
      (await call('POST', '/communities/clay/members/k_ann/approve', undefined, owner)).body.error.code,
    ).toBe('REQUEST_NOT_FOUND');
    expect((await call('POST', '/communities/clay/members/k_ben/approve', undefined, owner)).status).toBe(
      200,
    );
    expect((await call('GET', '/communities/clay', undefined, ben)).body).toMatchObject({
      memberCount: 2,
      membership: { status: 'active' },
    });
    expect((await call('POST', '/communities/clay/threads', { title: 'x', body: 'y' }, ben)).status).toBe(
      201,
    );
  });

  it('lets an applicant withdraw a request after the community turned private', async () => {
    const [applicant] = await createUsers(t.app, 'k_applicant');
    await call('POST', '/communities', { slug: 'turning', name: 'Turning', joinPolicy: 'request' }, owner);
    expect((await call('POST', '/communities/turning/join', {}, applicant)).body.status).toBe('pending');
    expect(
      (await call('PATCH', '/communities/turning', { visibility: 'private', joinPolicy: 'invite' }, owner))
        .status,
    ).toBe(200);
    expect((await call('GET', '/communities/turning', undefined, applicant)).body.membership.status).toBe(
      'pending',
    );
    expect((await call('GET', '/communities/turning/threads', undefined, applicant)).status).toBe(404);
    expect((await call('POST', '/communities/turning/leave', undefined, applicant)).status).toBe(200);
    expect((await call('GET', '/communities/turning', undefined, applicant)).status).toBe(404);
  });

  it('handles invitations to a private community', async () => {
    await call(
      'POST',
      '/communities',
      { slug: 'hidden', name: 'Hidden', visibility: 'private', guidelines: 'Keep it here' },
      owner,
    );
    expect((await call('GET', '/communities/hidden', undefined, ann)).status).toBe(404);
    expect((await call('POST', '/communities/hidden/join', { acceptGuidelines: true }, ann)).status).toBe(
      404,
    );
    expect((await call('POST', '/communities/hidden/invites', { username: 'k_ann' }, owner)).status).toBe(
      200,
    );
    const seen = await call('GET', '/communities/hidden', undefined, ann);
    expect(seen.body.membership).toMatchObject({ status: 'invited' });
    expect((await call('GET', '/communities/hidden/threads', undefined, ann)).status).toBe(404);
    expect((await call('POST', '/communities/hidden/join', {}, ann)).body.error.code).toBe(
      'GUIDELINES_NOT_ACCEPTED',
    );
    expect(
      (await call('POST', '/communities/hidden/join', { acceptGuidelines: true }, ann)).body.status,
    ).toBe('active');
    expect((await call('GET', '/communities/hidden/threads', undefined, ann)).status).toBe(200);
    const mine = await call('GET', '/communities?mine=true', undefined, ann);
    expect(mine.body.items.map((c: { slug: string }) => c.slug).sort()).toEqual(['hidden', 'vegan-cooks']);
    // The invite-only public community refuses uninvited joins.
    await call('POST', '/communities', { slug: 'club', name: 'Club', joinPolicy: 'invite' }, owner);
    expect((await call('POST', '/communities/club/join', {}, ben)).body.error.code).toBe(
      'JOIN_BY_INVITE_ONLY',
    );
  });

  it('manages roles: owners promote, the last owner cannot leave, members leave', async () => {
    expect(
      (await call('PATCH', '/communities/vegan-cooks/members/k_ann', { role: 'moderator' }, ann)).status,
    ).toBe(403);
    expect(
      (await call('PATCH', '/communities/vegan-cooks/members/k_ann', { role: 'moderator' }, owner)).status,
    ).toBe(200);
    // A moderator edits the description but not the visibility.
    expect(
      (await call('PATCH', '/communities/vegan-cooks', { description: 'Plants only' }, ann)).body.description,
    ).toBe('Plants only');
    expect((await call('PATCH', '/communities/vegan-cooks', { joinPolicy: 'request' }, ann)).status).toBe(
      403,
    );
    expect((await call('POST', '/communities/vegan-cooks/leave', undefined, owner)).body.error.code).toBe(
      'OWNER_CANNOT_LEAVE',
    );
    expect((await call('POST', '/communities/vegan-cooks/leave', undefined, ann)).status).toBe(200);
    expect((await call('GET', '/communities/vegan-cooks')).body.memberCount).toBe(1);
    expect((await call('POST', '/communities/vegan-cooks/leave', undefined, ann)).body.error.code).toBe(
      'NOT_A_MEMBER',
    );
  });

  it('counts threads through the content events', async () => {
    await call('POST', '/communities', { slug: 'counted', name: 'Counted' }, owner);
    const th = await call('POST', '/communities/counted/threads', { title: 'one', body: 'b' }, owner);
    await call('POST', '/communities/counted/threads', { title: 'two', body: 'b' }, owner);
    await t.app.events.drain();
    expect((await call('GET', '/communities/counted')).body.threadCount).toBe(2);
    await call('DELETE', `/threads/${th.body.id}`, undefined, owner);
    await t.app.events.drain();
    expect((await call('GET', '/communities/counted')).body.threadCount).toBe(1);
  });

  it('lists communities by size with a working cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call('GET', `/communities?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((c: { slug: string }) => c.slug));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain('clay');
    expect(seen).not.toContain('hidden');
    expect(seen[0]).toBe('clay');
  });
});
