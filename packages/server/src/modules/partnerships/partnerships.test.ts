import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { buildWorld, ok, publishThread, runningCampaign, type World } from './partnerships.fixtures.ts';

/**
 * The campaign flow end to end over HTTP on the suite's dialect: community approval (and
 * opt-out), invitations and applications, the content workflow, publication with the
 * "Sponsored · brand" label everywhere content appears (thread, lists, comments, home feed,
 * search, the server-rendered page), labels surviving edits, and brand-level authorization.
 */
describe('partnerships: campaigns through publication', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t);
  });
  afterAll(async () => t?.close());

  it('runs a campaign through approval to a labelled thread, shown everywhere', async () => {
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
          budgetCents: 50000,
          startsAt: '2026-05-01',
          endsAt: '2026-07-31',
          landingUrl: 'https://shop.acme.test/s',
          status: 'active',
        },
        w.manager,
      ),
      201,
    );
    expect(c).toMatchObject({
      status: 'active',
      budgetCents: 50000,
      viewer: { isManager: true },
      communities: [],
    });
    await ok(
      call(
        'POST',
        `/campaigns/${c.id}/invites`,
        { username: w.creator.username, feeCents: 10000 },
        w.manager,
      ),
    );
    // The creator sees the invitation (not the budget) and accepts it.
    const seen = await ok(call('GET', `/campaigns/${c.id}`, undefined, w.creator));
    expect(seen).toMatchObject({ budgetCents: null, viewer: { isManager: false, creatorStatus: 'invited' } });
    await ok(
      call('POST', `/campaigns/${c.id}/creators/${w.creator.username}/respond`, { accept: true }, w.creator),
    );

    // Content is drafted only for communities the brand asked (pending here: the owner decides later).
    const asked = { community: w.community, kind: 'thread', title: 'Shoes', body: 'Draft one' };
    expect((await call('POST', `/campaigns/${c.id}/deliverables`, asked, w.creator)).body.error.code).toBe(
      'CAMPAIGN_NOT_APPROVED',
    );
    await ok(call('POST', `/campaigns/${c.id}/communities`, { community: w.community }, w.manager));

    // Draft → review → changes → review → approved.
    const d = await ok(
      call(
        'POST',
        `/campaigns/${c.id}/deliverables`,
        { community: w.community, kind: 'thread', title: 'Shoes', body: 'Draft one' },
        w.creator,
      ),
      201,
    );
    expect(d.status).toBe('draft');
    // Nothing reaches the community before the brand approved the content.
    expect((await call('POST', `/deliverables/${d.id}/publish`, undefined, w.creator)).body.error.code).toBe(
      'PARTNERSHIP_STATE',
    );
    await ok(call('POST', `/deliverables/${d.id}/submit`, undefined, w.creator));
    expect((await call('PATCH', `/deliverables/${d.id}`, { body: 'sneaky' }, w.creator)).status).toBe(409);
    // Only brand managers review; the creator cannot approve their own content.
    expect(
      (await call('POST', `/deliverables/${d.id}/review`, { decision: 'approve' }, w.creator)).status,
    ).toBe(403);
    const back = await ok(
      call(
        'POST',
        `/deliverables/${d.id}/review`,
        { decision: 'request_changes', note: 'Mention the grip' },
        w.manager,
      ),
    );
    expect(back).toMatchObject({ status: 'changes_requested', reviewNote: 'Mention the grip' });
    await ok(call('PATCH', `/deliverables/${d.id}`, { body: 'They grip on wet rock. #trail' }, w.creator));
    await ok(call('POST', `/deliverables/${d.id}/submit`, undefined, w.creator));
    expect(
      (await ok(call('POST', `/deliverables/${d.id}/review`, { decision: 'approve' }, w.manager))).status,
    ).toBe('approved');

    // The community's owner has not agreed yet: no publication.
    const early = await call('POST', `/deliverables/${d.id}/publish`, undefined, w.creator);
    expect(early.body.error.code).toBe('CAMPAIGN_NOT_APPROVED');
    // Only the owner decides (the creator, a member, cannot).
    expect(
      (
        await call(
          'POST',
          `/communities/${w.community}/campaigns/${c.id}/decision`,
          { decision: 'approved' },
          w.creator,
        )
      ).status,
    ).toBe(403);
    const pending = await ok(call('GET', `/communities/${w.community}/campaigns`, undefined, w.owner));
    expect(pending.items.map((x: any) => [x.id, x.communities[0].status])).toEqual([[c.id, 'pending']]);
    await ok(
      call(
        'POST',
        `/communities/${w.community}/campaigns/${c.id}/decision`,
        { decision: 'approved' },
        w.owner,
      ),
    );

    const published = await ok(call('POST', `/deliverables/${d.id}/publish`, undefined, w.creator));
    expect(published).toMatchObject({ status: 'published', published: { type: 'thread' } });
    const threadId = published.published.id;
    const label = { campaignId: c.id, brand: { slug: w.brand, name: expect.stringMatching(/^Acme/) } };
    await t.app.events.drain();

    expect((await ok(call('GET', `/threads/${threadId}`))).sponsored).toEqual(label);
    const list = await ok(call('GET', `/communities/${w.community}/threads?sort=new`));
    expect(list.items.find((x: any) => x.id === threadId).sponsored).toEqual(label);
    const feed = await ok(call('GET', '/feed', undefined, w.fan));
    expect(feed.items.find((x: any) => x.id === threadId)?.sponsored).toEqual(label);
    const found = await ok(call('GET', `/search?q=grip&community=${w.community}`));
    expect(found.items.find((x: any) => x.id === threadId)?.sponsored).toEqual(label);
    const html = (await t.app.inject({ method: 'GET', url: `/c/${w.community}/t/${threadId}` })).body;
    expect(html).toMatch(
      /class="sponsored-label"[^>]*>Sponsored · <a href="\/brands\/acme\d+">Acme \d+<\/a>/,
    );

    // An unsponsored thread carries null.
    const plain = await ok(
      call('POST', `/communities/${w.community}/threads`, { title: 'Plain', body: 'x' }, w.fan),
      201,
    );
    expect(plain.sponsored).toBeNull();

    // The author edits: the label stays. A thread PATCH has no way to drop it.
    const edited = await ok(
      call('PATCH', `/threads/${threadId}`, { body: 'Edited, still sponsored', title: 'Shoes!' }, w.creator),
    );
    expect(edited.sponsored).toEqual(label);
  });

  it('labels sponsored comments, and only a site admin removes a label (logged)', async () => {
    const { call } = w;
    const w2 = await buildWorld(t);
    const id = await runningCampaign(t, w2);
    const host = await ok(
      w2.call('POST', `/communities/${w2.community}/threads`, { title: 'Which shoes?', body: '?' }, w2.fan),
      201,
    );
    const d = await ok(
      call(
        'POST',
        `/campaigns/${id}/deliverables`,
        { community: w2.community, kind: 'comment', threadId: host.id, body: 'These ones.' },
        w2.creator,
      ),
      201,
    );
    await ok(call('POST', `/deliverables/${d.id}/submit`, undefined, w2.creator));
    await ok(call('POST', `/deliverables/${d.id}/review`, { decision: 'approve' }, w2.manager));
    const p = await ok(call('POST', `/deliverables/${d.id}/publish`, undefined, w2.creator));
    expect(p.published).toEqual({ type: 'comment', id: expect.any(Number), threadId: host.id });
    const comments = await ok(call('GET', `/threads/${host.id}/comments`));
    expect(comments.items[0].sponsored).toMatchObject({ campaignId: id, brand: { slug: w2.brand } });
    expect(
      (await ok(call('PATCH', `/comments/${p.published.id}`, { body: 'Edited' }, w2.creator))).sponsored,
    ).not.toBeNull();
    const html = (await t.app.inject({ method: 'GET', url: `/c/${w2.community}/t/${host.id}` })).body;
    expect(html).toContain('Sponsored · ');

    // Not the author, not the brand, not the community owner: only a site admin, with a reason.
    for (const u of [w2.creator, w2.manager, w2.owner]) {
      const r = await call('POST', `/sponsored/comment/${p.published.id}/remove`, { reason: 'x' }, u);
      expect(r.status).toBe(403);
    }
    await ok(
      call('POST', `/sponsored/comment/${p.published.id}/remove`, { reason: 'Wrongly marked' }, w2.admin),
    );
    expect((await ok(call('GET', `/comments/${p.published.id}`))).sponsored).toBeNull();
    const log = await t.db
      .selectFrom('partnership_audit')
      .selectAll()
      .where('action', '=', 'label_removed')
      .execute();
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!.detail)).toMatchObject({ targetType: 'comment', reason: 'Wrongly marked' });
    expect(log[0]!.actor_id).toBe(w2.admin.id);
  });

  it('respects a community that opts out, and applications to open campaigns', async () => {
    const w3 = await buildWorld(t);
    const { call } = w3;
    const id = await runningCampaign(t, w3, { openApplications: true });
    // The owner opts out: approved campaigns can no longer publish, new requests are refused.
    expect(
      (await call('PATCH', `/communities/${w3.community}/partnerships`, { sponsoredAllowed: false }, w3.fan))
        .status,
    ).toBe(403);
    await ok(
      call('PATCH', `/communities/${w3.community}/partnerships`, { sponsoredAllowed: false }, w3.owner),
    );
    expect(await ok(call('GET', `/communities/${w3.community}/partnerships`))).toEqual({
      sponsoredAllowed: false,
    });
    const d = await ok(
      call(
        'POST',
        `/campaigns/${id}/deliverables`,
        { community: w3.community, kind: 'thread', title: 'T', body: 'B' },
        w3.creator,
      ),
      201,
    );
    await ok(call('POST', `/deliverables/${d.id}/submit`, undefined, w3.creator));
    await ok(call('POST', `/deliverables/${d.id}/review`, { decision: 'approve' }, w3.manager));
    expect((await call('POST', `/deliverables/${d.id}/publish`, undefined, w3.creator)).body.error.code).toBe(
      'SPONSORED_NOT_ALLOWED',
    );
    expect(
      (await call('POST', `/campaigns/${id}/communities`, { community: w3.community }, w3.manager)).body.error
        .code,
    ).toBe('SPONSORED_NOT_ALLOWED');
    const threads = await ok(call('GET', `/communities/${w3.community}/threads`));
    expect(threads.items).toHaveLength(0);

    // A private community is invisible to a brand manager who is not in it.
    expect(
      (await call('POST', `/campaigns/${id}/communities`, { community: w3.privateCommunity }, w3.manager))
        .body.error.code,
    ).toBe('COMMUNITY_NOT_FOUND');

    // Open applications: an opted-in creator sees the campaign and applies; the manager accepts.
    expect((await call('GET', `/campaigns/${id}`, undefined, w3.fan)).status).toBe(404);
    await ok(call('PATCH', '/me/creator', { headline: 'Fan', niches: ['trail'] }, w3.fan));
    const work = await ok(call('GET', '/me/creator/work', undefined, w3.fan));
    expect(work.campaigns.map((c: any) => c.id)).toContain(id);
    await ok(call('POST', `/campaigns/${id}/apply`, { message: 'Me too' }, w3.fan));
    expect(
      (await call('POST', `/campaigns/${id}/creators/${w3.fan.username}/respond`, { accept: true }, w3.fan))
        .status,
    ).toBe(403);
    const c = await ok(
      call('POST', `/campaigns/${id}/creators/${w3.fan.username}/respond`, { accept: true }, w3.manager),
    );
    expect(c.creators.find((p: any) => p.user.username === w3.fan.username).status).toBe('accepted');
  });

  it('keeps brands and campaigns to their managers', async () => {
    const w4 = await buildWorld(t);
    const { call } = w4;
    const id = await runningCampaign(t, w4);
    // Outsiders: the campaign does not exist for them; brand writes are forbidden.
    expect((await call('GET', `/campaigns/${id}`, undefined, w4.outsider)).body.error.code).toBe(
      'CAMPAIGN_NOT_FOUND',
    );
    expect((await call('GET', `/campaigns/${id}`)).status).toBe(401);
    expect((await call('PATCH', `/campaigns/${id}`, { title: 'x' }, w4.creator)).status).toBe(403);
    expect((await call('PATCH', `/brands/${w4.brand}`, { name: 'x' }, w4.outsider)).status).toBe(403);
    expect((await call('GET', `/brands/${w4.brand}/campaigns`, undefined, w4.owner)).status).toBe(403);
    expect((await call('GET', '/creators?tag=trail', undefined, w4.creator)).body.error.code).toBe(
      'FORBIDDEN',
    );
    expect((await call('GET', `/campaigns/${id}/report`, undefined, w4.creator)).status).toBe(403);
    // The community owner sees the brief but not the budget, and cannot edit.
    expect(await ok(call('GET', `/campaigns/${id}`, undefined, w4.owner))).toMatchObject({
      budgetCents: null,
      viewer: { ownsCommunities: [w4.community] },
    });
    // A second manager, added by the owner of the brand, manages; a manager cannot add others.
    await ok(call('POST', `/brands/${w4.brand}/members`, { username: w4.outsider.username }, w4.manager));
    expect((await ok(call('PATCH', `/campaigns/${id}`, { title: 'Renamed' }, w4.outsider))).title).toBe(
      'Renamed',
    );
    expect(
      (await call('POST', `/brands/${w4.brand}/members`, { username: w4.fan.username }, w4.outsider)).status,
    ).toBe(403);
    expect(
      (await call('DELETE', `/brands/${w4.brand}/members/${w4.manager.username}`, undefined, w4.manager)).body
        .error.code,
    ).toBe('OWNER_CANNOT_LEAVE');
    // Site admins may do everything.
    expect((await ok(call('GET', `/campaigns/${id}/report`, undefined, w4.admin))).campaignId).toBe(id);
    // Published content by the creator only.
    const other = await buildWorld(t);
    const pub = await publishThread(w4, id);
    expect(pub.status).toBe('published');
    expect((await call('GET', `/deliverables/${pub.id}`, undefined, other.manager)).body.error.code).toBe(
      'DELIVERABLE_NOT_FOUND',
    );
    // Landing URLs are http(s) only.
    const bad = await call('PATCH', `/campaigns/${id}`, { landingUrl: 'javascript:alert(1)//x' }, w4.manager);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'landingUrl' });
  });
});
