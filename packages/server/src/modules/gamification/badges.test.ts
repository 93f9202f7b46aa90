import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../../../test/harness.ts';
import { DAY } from '../../platform/clock.ts';
import { setTrust } from '../moderation/moderation.fixtures.ts';
import { DEFAULT_BADGES } from './badges.rules.ts';
import {
  badgeJob,
  badgesOf,
  createScene,
  fails,
  must,
  post,
  pts,
  react,
  reply,
  type Scene,
} from './gamification.fixtures.ts';

const earnedEvents = async (s: Scene) =>
  (
    await s.t.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'gamification.badge_earned')
      .orderBy('id')
      .execute()
  ).map((r) => JSON.parse(r.payload));

describe('gamification: badges from rules, by a job, idempotent', () => {
  let s: Scene;
  beforeAll(async () => {
    s = await createScene();
  });
  afterAll(async () => s?.t.close());

  it('gives every new community the default set, and older communities lazily', async () => {
    await s.t.app.events.drain();
    const list = await must(s.call('GET', `/communities/${s.slug}/badges`));
    expect(list.body.items.map((b: { slug: string }) => b.slug)).toEqual(DEFAULT_BADGES.map((b) => b.slug));
    expect(list.body.items[0]).toMatchObject({
      tier: 'bronze',
      isDefault: true,
      enabled: true,
      rule: { kind: 'guidelines' },
    });
    // A community from before badges existed has none; the first look adds them.
    await s.t.db.deleteFrom('badges').where('community_id', '=', s.communityId).execute();
    const again = await must(s.call('GET', `/communities/${s.slug}/badges`));
    expect(again.body.items).toHaveLength(DEFAULT_BADGES.length);
  });

  it('grants what the rules say once, announces it, and re-running grants nothing', async () => {
    const t = await post(s, s.alice, 'Hello');
    await reply(s, s.bob, t.id);
    const first = await badgeJob(s);
    expect(first.granted).toBeGreaterThanOrEqual(4);
    expect(await badgesOf(s, s.alice)).toEqual(['first-thread', 'read-the-guidelines']);
    expect(await badgesOf(s, s.bob)).toEqual(['first-comment', 'read-the-guidelines']);
    const announced = await earnedEvents(s);
    expect(announced).toContainEqual(
      expect.objectContaining({
        communityId: s.communityId,
        userId: s.alice.id,
        badgeSlug: 'first-thread',
        tier: 'bronze',
      }),
    );
    // Everyone is queued again; nothing new is due, so nothing is granted or announced twice.
    for (const u of [s.alice, s.bob, s.carol, s.owner])
      await s.t.db
        .insertInto('badge_queue')
        .values({ community_id: s.communityId, user_id: u.id, queued_at: 1 })
        .onConflict((oc) => oc.columns(['community_id', 'user_id']).doNothing())
        .execute();
    const second = await badgeJob(s);
    expect(second).toMatchObject({ evaluated: 4, granted: 0 });
    expect((await earnedEvents(s)).length).toBe(announced.length);
    const rows = await s.t.db
      .selectFrom('member_badges')
      .select('id')
      .where('user_id', '=', s.alice.id)
      .execute();
    expect(rows).toHaveLength(2);
  });

  it('counts replies with reactions from distinct members (not downvotes, not their own)', async () => {
    const t = await post(s, s.carol, 'Question');
    const c = await reply(s, s.bob, t.id);
    await react(s, s.alice, 'comments', c.id);
    await react(s, s.carol, 'comments', c.id);
    await react(s, s.mod, 'comments', c.id, 'downvote');
    await react(s, s.bob, 'comments', c.id);
    await badgeJob(s);
    expect(await badgesOf(s, s.bob)).not.toContain('good-reply');
    await react(s, s.owner, 'comments', c.id, 'insightful');
    await badgeJob(s);
    expect(await badgesOf(s, s.bob)).toContain('good-reply');
  });

  it('awards a 7-day streak of visits (with one freeze day) and shows unseen badges until acknowledged', async () => {
    const visit = () => must(s.call('POST', `/communities/${s.slug}/visit`, undefined, s.carol));
    for (let d = 0; d < 7; d++) {
      if (d !== 4) await visit(); // day 4 missed: the freeze covers it, but it does not count
      s.t.clock.advance(DAY);
    }
    await badgeJob(s);
    expect(await badgesOf(s, s.carol)).not.toContain('week-streak');
    await visit();
    await badgeJob(s);
    expect(await badgesOf(s, s.carol)).toContain('week-streak');
    const summary = await must(
      s.call('GET', `/communities/${s.slug}/members/${s.carol.username}/gamification`, undefined, s.carol),
    );
    expect(summary.body.streak.current).toBe(7);
    expect(summary.body.streak.frozenDays).toHaveLength(1);

    const unseen = await must(s.call('GET', '/me/badges/unseen', undefined, s.carol));
    const slugs = unseen.body.items.map((i: { badge: { slug: string } }) => i.badge.slug);
    expect(slugs).toContain('week-streak');
    expect(unseen.body.items[0].community).toEqual({ slug: s.slug, name: expect.any(String) });
    const ids = unseen.body.items.map((i: { id: number }) => i.id);
    // Someone else's ids do nothing.
    expect((await must(s.call('POST', '/me/badges/seen', { ids }, s.bob))).body.acknowledged).toBe(0);
    expect((await must(s.call('POST', '/me/badges/seen', { ids }, s.carol))).body.acknowledged).toBe(
      ids.length,
    );
    expect((await must(s.call('GET', '/me/badges/unseen', undefined, s.carol))).body.items).toEqual([]);
    await fails(s.call('GET', '/me/badges/unseen'), 401, 'UNAUTHENTICATED');
    await fails(s.call('POST', '/me/badges/seen', { ids: [] }, s.carol), 400, 'VALIDATION_FAILED');
  });
});

describe('gamification: custom and manual badges, moderators, the log', () => {
  let s: Scene;
  beforeAll(async () => {
    s = await createScene();
  });
  afterAll(async () => s?.t.close());
  const grant = (by: TestUser, who: TestUser, badgeId: number, reason = 'Thanks!') =>
    s.call('POST', `/communities/${s.slug}/members/${who.username}/badges`, { badgeId, reason }, by);
  const badgeId = async (slug: string) =>
    (await must(s.call('GET', `/communities/${s.slug}/badges`, undefined, s.mod))).body.items.find(
      (b: { slug: string }) => b.slug === slug,
    ).id as number;

  it('grants and revokes by hand (moderators), logs it, and the job never re-grants a revoked badge', async () => {
    const hero = await badgeId('community-hero');
    await fails(grant(s.alice, s.bob, hero), 403, 'FORBIDDEN');
    await fails(grant(s.mod, s.outsider, hero), 404, 'USER_NOT_FOUND');
    await fails(grant(s.mod, s.bob, 999_999), 404, 'BADGE_NOT_FOUND');
    await must(grant(s.mod, s.bob, hero));
    await fails(grant(s.mod, s.bob, hero), 409, 'BADGE_ALREADY_HELD');
    const summary = await must(
      s.call('GET', `/communities/${s.slug}/members/${s.bob.username}/gamification`),
    );
    expect(summary.body.badges).toContainEqual(
      expect.objectContaining({ slug: 'community-hero', tier: 'gold', manual: true }),
    );

    await post(s, s.bob, 'A thread');
    await badgeJob(s);
    const first = await badgeId('first-thread');
    expect(await badgesOf(s, s.bob)).toContain('first-thread');
    const revoke = (by: TestUser, id: number) =>
      s.call(
        'DELETE',
        `/communities/${s.slug}/members/${s.bob.username}/badges/${id}?reason=Gaming`,
        undefined,
        by,
      );
    await fails(revoke(s.alice, first), 403, 'FORBIDDEN');
    await must(revoke(s.mod, first));
    await fails(revoke(s.mod, first), 409, 'BADGE_NOT_HELD');
    await post(s, s.bob, 'Another thread');
    await badgeJob(s);
    expect(await badgesOf(s, s.bob)).not.toContain('first-thread');
    await must(grant(s.owner, s.bob, first, 'On reflection'));
    expect(await badgesOf(s, s.bob)).toContain('first-thread');

    await fails(
      s.call('GET', `/communities/${s.slug}/gamification/log`, undefined, s.alice),
      403,
      'FORBIDDEN',
    );
    const log = await must(
      s.call('GET', `/communities/${s.slug}/gamification/log?limit=2`, undefined, s.mod),
    );
    expect(log.body.items).toEqual([
      expect.objectContaining({
        action: 'badge_granted',
        actor: s.owner.username,
        target: s.bob.username,
        badge: 'First thread',
        reason: 'On reflection',
      }),
      expect.objectContaining({ action: 'badge_revoked', actor: s.mod.username, reason: 'Gaming' }),
    ]);
    const older = await must(
      s.call(
        'GET',
        `/communities/${s.slug}/gamification/log?before=${log.body.nextBefore}`,
        undefined,
        s.mod,
      ),
    );
    expect(older.body.items[0]).toMatchObject({
      action: 'badge_granted',
      badge: 'Community hero',
      reason: 'Thanks!',
    });
  });

  it('adds custom rule badges (validated), disables badges, and welcomes newcomers', async () => {
    const create = (body: unknown, by = s.mod) => s.call('POST', `/communities/${s.slug}/badges`, body, by);
    const noThreshold = await fails(
      create({ slug: 'greeter', name: 'Greeter', tier: 'bronze', rule: { kind: 'welcomed' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(noThreshold.body.error.field).toBe('body.rule.threshold');
    await fails(
      create(
        { slug: 'greeter', name: 'Greeter', tier: 'bronze', rule: { kind: 'welcomed', threshold: 2 } },
        s.alice,
      ),
      403,
      'FORBIDDEN',
    );
    await fails(
      create({ slug: 'Bad Slug', name: 'x', tier: 'bronze', rule: { kind: 'manual' } }),
      400,
      'VALIDATION_FAILED',
    );
    await fails(
      create({ slug: 'x', name: 'x', tier: 'platinum', rule: { kind: 'manual' } }),
      400,
      'VALIDATION_FAILED',
    );
    const greeter = await must(
      create({ slug: 'greeter', name: 'Greeter', tier: 'bronze', rule: { kind: 'welcomed', threshold: 2 } }),
      201,
    );
    expect(greeter.body).toMatchObject({
      slug: 'greeter',
      isDefault: false,
      rule: { kind: 'welcomed', threshold: 2 },
    });
    await fails(
      create({ slug: 'greeter', name: 'Again', tier: 'gold', rule: { kind: 'manual' } }),
      409,
      'BADGE_EXISTS',
    );
    const firstComment = await badgeId('first-comment');
    await fails(
      s.call(
        'PATCH',
        `/communities/${s.slug}/badges/${firstComment}`,
        { rule: { kind: 'comments', threshold: 5 } },
        s.mod,
      ),
      400,
      'VALIDATION_FAILED',
    );
    await must(
      s.call(
        'PATCH',
        `/communities/${s.slug}/badges/${firstComment}`,
        { enabled: false, name: 'Said hi' },
        s.mod,
      ),
    );
    const forMembers = (await must(s.call('GET', `/communities/${s.slug}/badges`))).body.items;
    expect(forMembers.find((b: { id: number }) => b.id === firstComment)).toBeUndefined();

    // Two newcomers join and post; Carol replies to both within their first two weeks, to a third too late.
    const [n1, n2, n3] = await Promise.all([createUser(s.t.app), createUser(s.t.app), createUser(s.t.app)]);
    for (const n of [n1!, n2!, n3!])
      await must(s.call('POST', `/communities/${s.slug}/join`, { acceptGuidelines: true }, n));
    const t1 = await post(s, n1!, 'Hi, new here');
    const t2 = await post(s, n2!, 'Hello all');
    const t3 = await post(s, n3!, 'Late hello');
    await reply(s, s.carol, t1.id);
    await badgeJob(s);
    expect(await badgesOf(s, s.carol)).not.toContain('greeter');
    expect(await badgesOf(s, s.carol)).not.toContain('first-comment');
    s.t.clock.advance(15 * DAY);
    await reply(s, s.carol, t3.id);
    await badgeJob(s);
    expect(await badgesOf(s, s.carol)).not.toContain('greeter');
    s.t.clock.advance(-15 * DAY + DAY);
    await reply(s, s.carol, t2.id);
    await badgeJob(s);
    expect(await badgesOf(s, s.carol)).toContain('greeter');
  });
});

describe('gamification: helpful context notes', () => {
  it('awards the author when their note is rated helpful and takes it back when the note goes', async () => {
    const s = await createScene();
    // Two camps of raters who usually disagree (as in the moderation suite): only a note both
    // camps rate helpful is shown, which is what earns its author points.
    const raters = await Promise.all(Array.from({ length: 6 }, () => createUser(s.t.app)));
    for (const u of raters)
      await must(s.call('POST', `/communities/${s.slug}/join`, { acceptGuidelines: true }, u));
    await Promise.all(raters.map((u) => setTrust(s, u, 1)));
    await setTrust(s, s.bob, 2);
    await setTrust(s, s.alice, 2);
    const rate = (id: number, u: TestUser, helpful: string) =>
      must(s.call('POST', `/notes/${id}/ratings`, { helpful }, u));
    for (let i = 0; i < 2; i++) {
      const h = await post(s, s.carol, `Topic ${i}`);
      const n = await must(
        s.call('POST', '/notes', { targetType: 'thread', targetId: h.id, body: `Partisan ${i}` }, s.alice),
        201,
      );
      for (const [j, u] of raters.entries()) await rate(n.body.id, u, j < 3 === (i % 2 === 0) ? 'yes' : 'no');
    }
    const t = await post(s, s.carol, 'A claim');
    const note = await must(
      s.call('POST', '/notes', { targetType: 'thread', targetId: t.id, body: 'Sourced context.' }, s.bob),
      201,
    );
    const before = await pts(s, s.bob);
    for (const u of raters) await rate(note.body.id, u, 'yes');
    await must(s.call('POST', `/communities/${s.slug}/notes/score`, undefined, s.mod));
    const status = (await must(s.call('GET', `/notes/${note.body.id}`, undefined, s.bob))).body.status;
    expect(status).toBe('helpful');
    expect(await pts(s, s.bob)).toBe(before + 10);
    await badgeJob(s);
    expect(await badgesOf(s, s.bob)).toContain('context-giver');
    // Deleting the note emits nothing; the sweep job takes the points back.
    await must(s.call('DELETE', `/notes/${note.body.id}`, undefined, s.bob));
    expect(await s.t.app.jobs.runNow('gamification.note_sweep')).toEqual({ notesRevoked: 1 });
    expect(await s.t.app.jobs.runNow('gamification.note_sweep')).toEqual({ notesRevoked: 0 });
    expect(await pts(s, s.bob)).toBe(before);
    await s.t.close();
  }, 60_000);
});
