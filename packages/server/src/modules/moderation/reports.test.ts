import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../test/harness.ts';
import {
  comment,
  createScene,
  fails,
  makeAdmin,
  must,
  newCommunity,
  type Scene,
  setTrust,
  thread,
} from './moderation.fixtures.ts';
import { accuracyBonus, flagWeight } from './trust.ts';

describe("flag weight (Discourse's ReviewableScore.user_flag_score)", () => {
  it('is 1 + trust level, 5 for staff, plus an accuracy bonus after 5 decided flags', () => {
    expect(flagWeight(0, false, 0, 0)).toBe(1);
    expect(flagWeight(3, false, 0, 0)).toBe(4);
    expect(flagWeight(1, true, 0, 0)).toBe(6);
    expect(accuracyBonus(5, 0)).toBe(0);
    // 10 flags, all agreed: (1 - 0.7) / 0.3 * log4(10) * 5 = 8.3
    expect(accuracyBonus(10, 0)).toBeCloseTo(8.3, 1);
    // 10 flags, 30% agreed: -(0.7 - 0.3) / 0.7 * log4(10) * 5
    expect(accuracyBonus(3, 7)).toBeCloseTo(-4.74, 1);
  });
});

describe('reports and the review queue', () => {
  let s: Scene;
  beforeAll(async () => {
    s = await createScene();
  });
  afterAll(async () => s?.t.close());

  it('files reports on threads, comments and profiles with a reason and the rule broken', async () => {
    const t = await thread(s, s.alice, 'Questionable', 'Something rude');
    const r = await must(
      s.call(
        'POST',
        '/reports',
        { targetType: 'thread', targetId: t.id, reason: 'breaks_rule', ruleNumber: 1, note: 'rude' },
        s.bob,
      ),
      201,
    );
    expect(r.body).toMatchObject({ itemId: expect.any(Number), weight: 1 });
    const c = await comment(s, s.alice, t.id, 'A rude comment');
    await must(
      s.call('POST', '/reports', { targetType: 'comment', targetId: c.id, reason: 'harassment' }, s.bob),
      201,
    );
    await must(
      s.call(
        'POST',
        '/reports',
        { targetType: 'user', targetId: s.alice.id, reason: 'spam', community: s.slug },
        s.bob,
      ),
      201,
    );
    const q = await must(s.call('GET', `/communities/${s.slug}/moderation/queue`, undefined, s.mod));
    expect(q.body.items).toHaveLength(3);
    const item = q.body.items.find((i: { target: { type: string } }) => i.target.type === 'thread');
    expect(item).toMatchObject({
      queue: 'community',
      community: s.slug,
      held: false,
      reportCount: 1,
      reasons: { breaks_rule: 1 },
      target: { id: t.id, title: 'Questionable', body: 'Something rude', pending: false, deleted: false },
      author: { username: s.alice.username },
      authorRecord: { counts: {}, activeSanction: null, suggested: { action: 'warn', priorSteps: 0 } },
    });
    expect(item.reports[0]).toMatchObject({
      source: 'member',
      reason: 'breaks_rule',
      rule: { number: 1, version: 1, text: 'Be kind' },
      note: 'rude',
      reporter: { username: s.bob.username },
    });
  });

  it('refuses rules that do not exist, double reports, self reports and (for now) messages', async () => {
    const t = await thread(s, s.alice, 'Another', 'text');
    await fails(
      s.call(
        'POST',
        '/reports',
        { targetType: 'thread', targetId: t.id, reason: 'breaks_rule', ruleNumber: 9 },
        s.bob,
      ),
      400,
      'VALIDATION_FAILED',
    );
    await must(
      s.call('POST', '/reports', { targetType: 'thread', targetId: t.id, reason: 'spam' }, s.bob),
      201,
    );
    await fails(
      s.call('POST', '/reports', { targetType: 'thread', targetId: t.id, reason: 'spam' }, s.bob),
      409,
      'ALREADY_REPORTED',
    );
    await fails(
      s.call('POST', '/reports', { targetType: 'thread', targetId: t.id, reason: 'spam' }, s.alice),
      400,
      'VALIDATION_FAILED',
    );
    await fails(
      s.call('POST', '/reports', { targetType: 'message', targetId: 1, reason: 'spam' }, s.bob),
      400,
      'VALIDATION_FAILED',
    );
    await fails(
      s.call('POST', '/reports', { targetType: 'thread', targetId: t.id, reason: 'spam' }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it("orders the queue by the reporters' trust-weighted score", async () => {
    const slug = await newCommunity(s, s.owner, { members: [s.mod, s.alice, s.bob, s.carol] });
    await must(
      s.call('PATCH', `/communities/${slug}/members/${s.mod.username}`, { role: 'moderator' }, s.owner),
    );
    const low = await thread(s, s.alice, 'Reported by two newcomers', 'x', slug);
    const high = await thread(s, s.alice, 'Reported by one regular', 'y', slug);
    await setTrust(s, s.carol, 3, slug);
    for (const u of [s.bob, s.outsider]) {
      await must(
        s.call('POST', '/reports', { targetType: 'thread', targetId: low.id, reason: 'spam' }, u),
        201,
      );
    }
    const r = await must(
      s.call('POST', '/reports', { targetType: 'thread', targetId: high.id, reason: 'spam' }, s.carol),
      201,
    );
    expect(r.body.weight).toBe(4);
    const q = await must(s.call('GET', `/communities/${slug}/moderation/queue`, undefined, s.mod));
    expect(
      q.body.items.map((i: { target: { id: number }; score: number }) => [i.target.id, i.score]),
    ).toEqual([
      [high.id, 4],
      [low.id, 2],
    ]);
    // Cursor pagination walks the same order.
    const p1 = await must(s.call('GET', `/communities/${slug}/moderation/queue?limit=1`, undefined, s.mod));
    const p2 = await must(
      s.call(
        'GET',
        `/communities/${slug}/moderation/queue?limit=1&cursor=${p1.body.nextCursor}`,
        undefined,
        s.mod,
      ),
    );
    expect([p1.body.items[0].target.id, p2.body.items[0].target.id]).toEqual([high.id, low.id]);
    expect(p2.body.nextCursor).toBeNull();
  });

  it('keeps queues to moderators and site admins; private content stays 404 to outsiders', async () => {
    await fails(
      s.call('GET', `/communities/${s.slug}/moderation/queue`, undefined, s.alice),
      403,
      'FORBIDDEN',
    );
    await fails(s.call('GET', `/communities/${s.slug}/moderation/queue`), 401, 'UNAUTHENTICATED');
    const priv = await newCommunity(s, s.owner, { visibility: 'private', members: [s.alice] });
    const t = await thread(s, s.alice, 'Private words', 'secret', priv);
    await fails(
      s.call('GET', `/communities/${priv}/moderation/queue`, undefined, s.bob),
      404,
      'COMMUNITY_NOT_FOUND',
    );
    await fails(
      s.call('POST', '/reports', { targetType: 'thread', targetId: t.id, reason: 'spam' }, s.bob),
      404,
      'THREAD_NOT_FOUND',
    );
    await fails(
      s.call(
        'POST',
        '/reports',
        { targetType: 'user', targetId: s.alice.id, reason: 'spam', community: priv },
        s.bob,
      ),
      404,
      'COMMUNITY_NOT_FOUND',
    );
    const q = await must(s.call('GET', `/communities/${s.slug}/moderation/queue`, undefined, s.mod));
    const id = q.body.items[0].id;
    await fails(s.call('GET', `/moderation/items/${id}`, undefined, s.alice), 404, 'ITEM_NOT_FOUND');
    await must(s.call('GET', `/moderation/items/${id}`, undefined, s.mod));
  });

  it('sends profile reports made outside any community to the site queue (site admins only)', async () => {
    const admin = await createUser(s.t.app);
    await makeAdmin(s, admin);
    await must(
      s.call('POST', '/reports', { targetType: 'user', targetId: s.carol.id, reason: 'hate' }, s.bob),
      201,
    );
    await fails(s.call('GET', '/moderation/queue', undefined, s.mod), 403, 'FORBIDDEN');
    const q = await must(s.call('GET', '/moderation/queue', undefined, admin));
    expect(q.body.items).toHaveLength(1);
    expect(q.body.items[0]).toMatchObject({
      queue: 'site',
      community: null,
      target: { type: 'user', id: s.carol.id },
    });
    // Site admins also moderate every community.
    await must(s.call('GET', `/communities/${s.slug}/moderation/queue`, undefined, admin));
  });
});
