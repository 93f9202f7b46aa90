import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../test/harness.ts';
import { comment, createScene, fails, makeAdmin, must, type Scene, thread } from './moderation.fixtures.ts';

const HOUR = 3_600_000;

describe('moderator actions, sanctions, the ladder, appeals', () => {
  let s: Scene;
  beforeAll(async () => {
    s = await createScene();
  });
  afterAll(async () => s?.t.close());

  const report = async (type: string, id: number, by = s.bob) =>
    (
      await must(
        s.call(
          'POST',
          '/reports',
          { targetType: type, targetId: id, reason: 'breaks_rule', ruleNumber: 2 },
          by,
        ),
        201,
      )
    ).body.itemId as number;
  const act = (itemId: number, body: object, by = s.mod) =>
    s.call('POST', `/moderation/items/${itemId}/actions`, body, by);

  it('approve dismisses the reports and leaves the content alone', async () => {
    const t = await thread(s, s.alice, 'Fine actually', 'Nothing wrong here');
    const itemId = await report('thread', t.id);
    const r = await must(act(itemId, { action: 'approve' }));
    expect(r.body).toMatchObject({ itemId, resolution: 'approve' });
    const item = await must(s.call('GET', `/moderation/items/${itemId}`, undefined, s.mod));
    expect(item.body).toMatchObject({
      status: 'resolved',
      resolution: 'approve',
      resolvedBy: { username: s.mod.username },
    });
    await must(s.call('GET', `/threads/${t.id}`, undefined, s.bob));
    await fails(act(itemId, { action: 'remove', reason: 'x' }), 409, 'ALREADY_DECIDED');
  });

  it('remove soft-deletes with a reason the author sees, and shows in the public log citing the rule', async () => {
    const t = await thread(s, s.alice, 'Buy my stuff', 'Selling things');
    const c = await comment(s, s.carol, t.id, 'Spammy comment');
    const before = (await must(s.call('GET', `/threads/${t.id}`))).body.commentCount;
    await fails(act(await report('comment', c.id), { action: 'remove' }), 400, 'VALIDATION_FAILED');
    const itemId = (
      await must(s.call('GET', `/communities/${s.slug}/moderation/queue`, undefined, s.mod))
    ).body.items.find(
      (i: { target: { id: number; type: string } }) => i.target.type === 'comment' && i.target.id === c.id,
    ).id;
    await must(act(itemId, { action: 'remove', reason: 'Advertising is not allowed', ruleNumber: 2 }));
    await s.t.app.events.drain();
    const after = await must(s.call('GET', `/threads/${t.id}`));
    expect(after.body.commentCount).toBe(before - 1);
    const comments = await must(s.call('GET', `/threads/${t.id}/comments`, undefined, s.bob));
    expect(comments.body.items.find((x: { id: number }) => x.id === c.id)).toMatchObject({
      deleted: true,
      body: null,
    });
    const mine = await must(s.call('GET', '/me/moderation', undefined, s.carol));
    expect(mine.body.items[0]).toMatchObject({
      action: 'remove',
      community: s.slug,
      reason: 'Advertising is not allowed',
      rule: { number: 2, text: 'No spam' },
      target: { type: 'comment', id: c.id },
    });
    const log = await must(s.call('GET', `/communities/${s.slug}/modlog`));
    expect(log.body.items[0]).toMatchObject({
      action: 'remove',
      reason: 'Advertising is not allowed',
      rule: { number: 2, version: 1, text: 'No spam' },
      member: s.carol.username,
      moderator: s.mod.username,
      target: { type: 'comment', id: c.id },
    });
    expect(JSON.stringify(log.body)).not.toContain('Spammy comment');
  });

  it('lock closes the thread to new comments', async () => {
    const t = await thread(s, s.alice, 'Heated', 'Argument');
    const c = await comment(s, s.bob, t.id, 'Reply in anger');
    await must(act(await report('comment', c.id, s.carol), { action: 'lock', reason: 'Cooling off' }));
    await fails(s.call('POST', `/threads/${t.id}/comments`, { body: 'more' }, s.alice), 409, 'THREAD_LOCKED');
    expect((await must(s.call('GET', `/threads/${t.id}`))).body.locked).toBe(true);
  });

  it('mute blocks posting, commenting and reacting in that community until it expires', async () => {
    const t = await thread(s, s.mod, 'Open thread', 'Talk here');
    await must(
      s.call(
        'POST',
        `/communities/${s.slug}/moderation/actions`,
        { action: 'mute', targetType: 'user', targetId: s.bob.id, reason: 'Take a break', durationHours: 2 },
        s.mod,
      ),
    );
    await fails(
      s.call('POST', `/communities/${s.slug}/threads`, { title: 'a', body: 'b' }, s.bob),
      403,
      'MUTED',
    );
    await fails(s.call('POST', `/threads/${t.id}/comments`, { body: 'b' }, s.bob), 403, 'MUTED');
    await fails(s.call('POST', `/threads/${t.id}/reactions`, { kind: 'like' }, s.bob), 403, 'MUTED');
    const mine = await must(s.call('GET', '/me/moderation', undefined, s.bob));
    expect(mine.body.items[0]).toMatchObject({ action: 'mute', active: true, reason: 'Take a break' });
    s.t.clock.advance(2 * HOUR + 1);
    await must(s.call('POST', `/threads/${t.id}/reactions`, { kind: 'like' }, s.bob));
    await comment(s, s.bob, t.id, 'I am back');
  });

  it('suggests the next step of the ladder from the history: warn, 24 h, 72 h, 7 days, ban', async () => {
    const rec = () =>
      s.call('GET', `/communities/${s.slug}/members/${s.carol.username}/moderation`, undefined, s.mod);
    // Carol had her comment removed (not a ladder step) earlier: the ladder starts at warn.
    expect((await must(rec())).body.suggested).toEqual({
      action: 'warn',
      durationHours: null,
      priorSteps: 0,
    });
    const steps = [];
    for (const expected of [
      { action: 'warn', durationHours: null },
      { action: 'mute', durationHours: 24 },
      { action: 'mute', durationHours: 72 },
      { action: 'mute', durationHours: 168 },
      { action: 'ban', durationHours: null },
    ]) {
      const r = (await must(rec())).body;
      expect(r.suggested).toMatchObject(expected);
      steps.push(r.suggested.action);
      // Take the suggested step (mutes without a duration follow the ladder).
      await must(
        s.call(
          'POST',
          `/communities/${s.slug}/moderation/actions`,
          {
            action: r.suggested.action,
            targetType: 'user',
            targetId: s.carol.id,
            reason: `step ${steps.length}`,
          },
          s.mod,
        ),
      );
      if (r.suggested.action === 'mute') {
        const active = (await must(rec())).body.activeSanction;
        const hours = (Date.parse(active.expiresAt) - s.t.clock.now()) / HOUR;
        expect(hours).toBe(expected.durationHours);
        s.t.clock.advance((expected.durationHours ?? 0) * HOUR + 1);
      }
    }
    const banned = (await must(rec())).body;
    expect(banned.activeSanction).toMatchObject({ kind: 'ban', expiresAt: null });
    await fails(
      s.call('POST', `/communities/${s.slug}/threads`, { title: 'a', body: 'b' }, s.carol),
      403,
      'BANNED',
    );
  });

  it('appeals go to another moderator; overturning lifts the ban and says so in the log', async () => {
    const ban = (await must(s.call('GET', '/me/moderation', undefined, s.carol))).body.items.find(
      (i: { action: string }) => i.action === 'ban',
    );
    const appeal = await must(
      s.call('POST', `/moderation/actions/${ban.id}/appeal`, { body: 'I changed' }, s.carol),
      201,
    );
    await fails(
      s.call('POST', `/moderation/actions/${ban.id}/appeal`, { body: 'again' }, s.carol),
      409,
      'ALREADY_APPEALED',
    );
    await fails(
      s.call('POST', `/moderation/actions/${ban.id}/appeal`, { body: 'not mine' }, s.bob),
      404,
      'ACTION_NOT_FOUND',
    );
    const list = await must(s.call('GET', `/communities/${s.slug}/moderation/appeals`, undefined, s.mod));
    expect(list.body.items[0]).toMatchObject({
      id: appeal.body.id,
      member: s.carol.username,
      canDecide: false,
      action: { kind: 'ban' },
    });
    // The moderator who banned cannot decide; the owner (another moderator) can.
    await fails(
      s.call('POST', `/moderation/appeals/${appeal.body.id}/decision`, { decision: 'overturn' }, s.mod),
      403,
      'FORBIDDEN',
    );
    await fails(
      s.call('POST', `/moderation/appeals/${appeal.body.id}/decision`, { decision: 'overturn' }, s.alice),
      404,
      'APPEAL_NOT_FOUND',
    );
    await must(
      s.call(
        'POST',
        `/moderation/appeals/${appeal.body.id}/decision`,
        { decision: 'overturn', note: 'Second chance' },
        s.owner,
      ),
    );
    await fails(
      s.call('POST', `/moderation/appeals/${appeal.body.id}/decision`, { decision: 'uphold' }, s.owner),
      409,
      'ALREADY_DECIDED',
    );
    await thread(s, s.carol, 'Thank you', 'for the second chance');
    const log = await must(s.call('GET', `/communities/${s.slug}/modlog`));
    expect(log.body.items[0]).toMatchObject({
      action: 'appeal_overturned',
      reason: 'Second chance',
      member: s.carol.username,
    });
    const mine = (await must(s.call('GET', '/me/moderation', undefined, s.carol))).body.items.find(
      (i: { id: number }) => i.id === ban.id,
    );
    expect(mine).toMatchObject({ active: false, revoked: true, appeal: { status: 'overturned' } });
  });

  it('overturning a removal restores the content', async () => {
    const t = await thread(s, s.alice, 'Misjudged', 'This was fine');
    const itemId = await report('thread', t.id);
    await must(act(itemId, { action: 'remove', reason: 'Looked like spam' }));
    await fails(s.call('GET', `/threads/${t.id}`, undefined, s.bob), 404, 'THREAD_NOT_FOUND');
    const removal = (await must(s.call('GET', '/me/moderation', undefined, s.alice))).body.items[0];
    const appeal = await must(
      s.call('POST', `/moderation/actions/${removal.id}/appeal`, { body: 'It was not spam' }, s.alice),
      201,
    );
    await must(
      s.call('POST', `/moderation/appeals/${appeal.body.id}/decision`, { decision: 'overturn' }, s.owner),
    );
    await s.t.app.events.drain();
    await must(s.call('GET', `/threads/${t.id}`, undefined, s.bob));
    const list = await must(s.call('GET', `/communities/${s.slug}/threads?sort=new`, undefined, s.bob));
    expect(list.body.items.map((x: { id: number }) => x.id)).toContain(t.id);
  });

  it('revokes a mute early; only owners sanction moderators; only site admins suspend (everywhere)', async () => {
    await must(
      s.call(
        'POST',
        `/communities/${s.slug}/moderation/actions`,
        { action: 'mute', targetType: 'user', targetId: s.bob.id, reason: 'again' },
        s.mod,
      ),
    );
    const mute = (
      await must(
        s.call('GET', `/communities/${s.slug}/members/${s.bob.username}/moderation`, undefined, s.mod),
      )
    ).body.activeSanction;
    await fails(
      s.call('POST', `/moderation/actions/${mute.id}/revoke`, {}, s.alice),
      404,
      'ACTION_NOT_FOUND',
    );
    await must(s.call('POST', `/moderation/actions/${mute.id}/revoke`, { note: 'Sorted out' }, s.owner));
    await thread(s, s.bob, 'Unmuted', 'hello');
    const log = await must(s.call('GET', `/communities/${s.slug}/modlog`));
    expect(log.body.items[0]).toMatchObject({
      action: 'revoke',
      reason: 'Sorted out',
      member: s.bob.username,
    });

    const sanctionMod = { action: 'mute', targetType: 'user', targetId: s.mod.id, reason: 'x' };
    await fails(
      s.call('POST', `/communities/${s.slug}/moderation/actions`, sanctionMod, s.mod),
      403,
      'FORBIDDEN',
    );
    const otherMod = await createUser(s.t.app);
    await must(s.call('POST', `/communities/${s.slug}/join`, { acceptGuidelines: true }, otherMod));
    await must(
      s.call('PATCH', `/communities/${s.slug}/members/${otherMod.username}`, { role: 'moderator' }, s.owner),
    );
    await fails(
      s.call('POST', `/communities/${s.slug}/moderation/actions`, sanctionMod, otherMod),
      403,
      'FORBIDDEN',
    );

    const suspend = {
      action: 'suspend',
      targetType: 'user',
      targetId: s.alice.id,
      reason: 'Spam everywhere',
      durationHours: 24,
    };
    await fails(
      s.call('POST', `/communities/${s.slug}/moderation/actions`, suspend, s.owner),
      403,
      'FORBIDDEN',
    );
    const admin = await createUser(s.t.app);
    await makeAdmin(s, admin);
    await must(s.call('POST', `/communities/${s.slug}/moderation/actions`, suspend, admin));
    await fails(
      s.call('POST', `/communities/${s.slug}/threads`, { title: 'a', body: 'b' }, s.alice),
      403,
      'SUSPENDED',
    );
    // Suspensions are site-wide: another community too, and they stay out of community logs.
    const elsewhere = await s.call(
      'POST',
      '/communities',
      { slug: `alice-${Date.now() % 100000}`, name: 'Mine' },
      s.alice,
    );
    expect(elsewhere.status).toBe(201);
    await fails(
      s.call('POST', `/communities/${elsewhere.body.slug}/threads`, { title: 'a', body: 'b' }, s.alice),
      403,
      'SUSPENDED',
    );
    const log2 = await must(s.call('GET', `/communities/${s.slug}/modlog`));
    expect(log2.body.items.map((i: { action: string }) => i.action)).not.toContain('suspend');
  });

  it('hides moderator names from the public log when the community says so (moderators still see them)', async () => {
    await must(
      s.call('PATCH', `/communities/${s.slug}/moderation/settings`, { modlogShowModerators: false }, s.mod),
    );
    const pub = await must(s.call('GET', `/communities/${s.slug}/modlog`, undefined, s.bob));
    expect(pub.body.moderatorsShown).toBe(false);
    expect(pub.body.items.every((i: { moderator: string | null }) => i.moderator === null)).toBe(true);
    const mods = await must(s.call('GET', `/communities/${s.slug}/modlog`, undefined, s.mod));
    expect(mods.body.items.some((i: { moderator: string | null }) => i.moderator === s.owner.username)).toBe(
      true,
    );
    // Warnings are between the moderator and the member, not public.
    expect(pub.body.items.map((i: { action: string }) => i.action)).not.toContain('warn');
    await fails(
      s.call('PATCH', `/communities/${s.slug}/moderation/settings`, { modlogShowModerators: true }, s.bob),
      403,
      'FORBIDDEN',
    );
  });
});
