import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  type Cast,
  createCast,
  ok,
  openDirectMessages,
  type World,
} from '../../../test/fixtures.ts';
import {
  api,
  createTestApp,
  createUser,
  dialect,
  type TestApp,
  type TestUser,
} from '../../../test/harness.ts';

/** Direct messages through the API: who may write, groups, blocks, unread counts, reports. */
describe(`messaging (${dialect})`, () => {
  let t: TestApp;
  let cast: Cast;
  let world: World;
  const call = () => api(t.app);
  const start = (from: TestUser, to: TestUser[], body = 'Hello there') =>
    call()('POST', '/conversations', { usernames: to.map((u) => u.username), body }, from);

  beforeAll(async () => {
    t = await createTestApp();
    cast = await createCast(t.app);
    world = await buildWorld(t.app, cast, 'public');
    await openDirectMessages(t.app, world.slug, cast.owner);
  });
  afterAll(async () => t?.close());

  it('lets members of a shared community write one-to-one, one conversation per pair', async () => {
    const first = await ok(start(cast.member, [cast.author]), 201);
    expect(first.body.conversation).toMatchObject({ kind: 'direct', unreadCount: 0 });
    expect(first.body.conversation.members.map((m: { username: string }) => m.username).sort()).toEqual(
      [cast.member.username, cast.author.username].sort(),
    );
    const again = await ok(start(cast.author, [cast.member], 'Hi back'), 201);
    expect(again.body.conversation.id).toBe(first.body.conversation.id);

    const list = await ok(call()('GET', '/conversations', undefined, cast.member));
    expect(list.body.items[0]).toMatchObject({ id: first.body.conversation.id, unreadCount: 1 });
    expect(list.body.items[0].lastMessage.body).toBe('Hi back');
    const msgs = await ok(
      call()('GET', `/conversations/${first.body.conversation.id}/messages`, undefined, cast.member),
    );
    expect(msgs.body.items.map((m: { body: string }) => m.body)).toEqual(['Hi back', 'Hello there']);
    await ok(call()('POST', `/conversations/${first.body.conversation.id}/read`, {}, cast.member));
    expect(
      (await ok(call()('GET', '/conversations', undefined, cast.member))).body.items[0].unreadCount,
    ).toBe(0);

    // Outsiders of a conversation get 404, like a conversation that does not exist.
    for (const path of [
      `/conversations/${first.body.conversation.id}`,
      `/conversations/${first.body.conversation.id}/messages`,
    ]) {
      const r = await call()('GET', path, undefined, cast.owner);
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('CONVERSATION_NOT_FOUND');
    }
    const send = await call()(
      'POST',
      `/conversations/${first.body.conversation.id}/messages`,
      { body: 'sneak' },
      cast.owner,
    );
    expect(send.body.error.code).toBe('CONVERSATION_NOT_FOUND');
  });

  it('unlocks starting a conversation at trust level 1; answering one someone else started needs none', async () => {
    // A community with the default unlocks (direct messages at trust level 1).
    const [owner, newcomer, regular] = await Promise.all([
      createUser(t.app),
      createUser(t.app),
      createUser(t.app),
    ]);
    const slug = `dm-trust-${Math.random().toString(36).slice(2, 8)}`;
    await ok(call()('POST', '/communities', { slug, name: 'Default unlocks' }, owner), 201);
    for (const u of [newcomer, regular]) await ok(call()('POST', `/communities/${slug}/join`, {}, u));
    const refused = await start(newcomer, [regular]);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('TRUST_LEVEL_TOO_LOW');
    expect(refused.body.error.message).toContain('trust level 1');
    expect((await ok(call()('GET', '/me/trust', undefined, newcomer))).body.directMessages).toBe(false);
    // The owner pins the regular at trust level 1: they may start one, and the newcomer may answer.
    await ok(call()('PATCH', `/communities/${slug}/members/${regular.username}/trust`, { level: 1 }, owner));
    expect((await ok(call()('GET', '/me/trust', undefined, regular))).body.directMessages).toBe(true);
    const first = await ok(start(regular, [newcomer], 'Welcome!'), 201);
    await ok(
      call()('POST', `/conversations/${first.body.conversation.id}/messages`, { body: 'Thanks!' }, newcomer),
      201,
    );
    // Writing to the same person again goes on in that conversation, so it is no new one.
    await ok(start(newcomer, [regular], 'One more thing'), 201);
  });

  it("follows each member's choice of who may write to them", async () => {
    const stranger = await createUser(t.app);
    // The stranger belongs to a community of their own (none shared), where DMs are open to all.
    const elsewhere = `elsewhere-${Math.random().toString(36).slice(2, 8)}`;
    await ok(call()('POST', '/communities', { slug: elsewhere, name: 'Elsewhere' }, stranger), 201);
    await openDirectMessages(t.app, elsewhere, stranger);
    // Default: members of a shared community only.
    expect((await start(stranger, [cast.owner])).body.error.code).toBe('DM_NOT_ALLOWED');
    await ok(call()('PATCH', '/messaging/settings', { allowFrom: 'everyone' }, cast.owner));
    await ok(start(stranger, [cast.owner]), 201);
    await ok(call()('PATCH', '/messaging/settings', { allowFrom: 'nobody' }, cast.owner));
    expect((await start(cast.member, [cast.owner])).body.error.code).toBe('DM_NOT_ALLOWED');
    expect((await ok(call()('GET', '/messaging/settings', undefined, cast.owner))).body.allowFrom).toBe(
      'nobody',
    );
    expect((await call()('PATCH', '/messaging/settings', { allowFrom: 'friends' }, cast.owner)).status).toBe(
      400,
    );
    await ok(call()('PATCH', '/messaging/settings', { allowFrom: 'communities' }, cast.owner));
    expect((await start(cast.member, [{ ...cast.owner, username: 'nosuchuser' }])).body.error.code).toBe(
      'USER_NOT_FOUND',
    );
  });

  it('blocks both ways, without telling the blocked member', async () => {
    const c = await ok(start(cast.moderator, [cast.member]), 201);
    await ok(call()('POST', `/blocks/${cast.moderator.username}`, {}, cast.member));
    const blocked = await call()(
      'POST',
      `/conversations/${c.body.conversation.id}/messages`,
      { body: 'hey' },
      cast.moderator,
    );
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('DM_NOT_ALLOWED');
    expect((await start(cast.moderator, [cast.member])).body.error.code).toBe('DM_NOT_ALLOWED');
    expect((await start(cast.member, [cast.moderator])).body.error.code).toBe('BLOCKED');
    expect((await ok(call()('GET', '/blocks', undefined, cast.member))).body.items[0].username).toBe(
      cast.moderator.username,
    );
    expect((await call()('POST', `/blocks/${cast.member.username}`, {}, cast.member)).status).toBe(400);
    await ok(call()('DELETE', `/blocks/${cast.moderator.username}`, undefined, cast.member));
    await ok(
      call()('POST', `/conversations/${c.body.conversation.id}/messages`, { body: 'hey' }, cast.moderator),
      201,
    );
  });

  it('runs small groups, where a member who blocked someone stops hearing from them', async () => {
    const g = await ok(
      call()(
        'POST',
        '/conversations',
        {
          usernames: [cast.author.username, cast.member.username],
          title: 'Trail crew',
          body: 'Group hello',
        },
        cast.owner,
      ),
      201,
    );
    expect(g.body.conversation).toMatchObject({ kind: 'group', title: 'Trail crew' });
    await ok(call()('POST', `/blocks/${cast.owner.username}`, {}, cast.author));
    await ok(
      call()(
        'POST',
        `/conversations/${g.body.conversation.id}/messages`,
        { body: 'Only some see this' },
        cast.owner,
      ),
      201,
    );
    const seen = async (u: TestUser) =>
      (
        await ok(call()('GET', `/conversations/${g.body.conversation.id}/messages`, undefined, u))
      ).body.items.map((m: { body: string }) => m.body);
    expect(await seen(cast.member)).toContain('Only some see this');
    expect(await seen(cast.author)).not.toContain('Only some see this');
    await t.app.events.drain();
    const inbox = (await ok(call()('GET', '/notifications', undefined, cast.member))).body.items;
    expect(inbox.find((n: { type: string }) => n.type === 'dm')).toMatchObject({
      url: `/messages/${g.body.conversation.id}`,
    });
    // Reading the conversation reads its notification.
    await ok(call()('POST', `/conversations/${g.body.conversation.id}/read`, {}, cast.member));
    await t.app.events.drain();
    const after = (await ok(call()('GET', '/notifications?unread=true', undefined, cast.member))).body.items;
    expect(
      after.find((n: { url: string }) => n.url === `/messages/${g.body.conversation.id}`),
    ).toBeUndefined();
    await ok(call()('DELETE', `/blocks/${cast.owner.username}`, undefined, cast.author));
    // Too big for a small group.
    const many = await Promise.all(Array.from({ length: 8 }, () => createUser(t.app)));
    const big = await call()(
      'POST',
      '/conversations',
      { usernames: many.map((u) => u.username), body: 'x' },
      cast.owner,
    );
    expect(big.status).toBe(400);
    await ok(call()('POST', `/conversations/${g.body.conversation.id}/leave`, {}, cast.member));
    expect(
      (await call()('GET', `/conversations/${g.body.conversation.id}`, undefined, cast.member)).status,
    ).toBe(404);
  });

  it("reports a message to the site queue with the reporter's copy of it", async () => {
    const c = await ok(start(cast.author, [cast.member], 'You are all idiots'), 201);
    const messageId = c.body.message.id;
    // Not a participant: like a message that does not exist.
    const outsider = await call()(
      'POST',
      `/messages/${messageId}/report`,
      { reason: 'harassment' },
      cast.owner,
    );
    expect(outsider.body.error.code).toBe('MESSAGE_NOT_FOUND');
    expect(
      (await call()('POST', `/messages/${messageId}/report`, { reason: 'harassment' }, cast.author)).status,
    ).toBe(400);
    const r = await ok(
      call()(
        'POST',
        `/messages/${messageId}/report`,
        { reason: 'harassment', note: 'out of nowhere' },
        cast.member,
      ),
      201,
    );
    expect(
      (await call()('POST', `/messages/${messageId}/report`, { reason: 'spam' }, cast.member)).body.error
        .code,
    ).toBe('ALREADY_REPORTED');
    // Via the moderation route the answer points here.
    const viaReports = await call()(
      'POST',
      '/reports',
      { targetType: 'message', targetId: messageId, reason: 'spam' },
      cast.member,
    );
    expect(viaReports.body.error.message).toContain('/messages/{id}/report');

    const admin = await createUser(t.app);
    await t.db.updateTable('users').set({ is_admin: 1 }).where('id', '=', admin.id).execute();
    const item = await ok(call()('GET', `/moderation/items/${r.body.itemId}`, undefined, admin));
    expect(item.body).toMatchObject({
      queue: 'site',
      target: { type: 'message', id: messageId, body: 'You are all idiots' },
      author: { username: cast.author.username },
    });
    expect(item.body.reports[0]).toMatchObject({ reason: 'harassment', note: 'out of nowhere' });
    expect(
      (await call()('GET', `/moderation/items/${r.body.itemId}`, undefined, cast.moderator)).status,
    ).toBe(404);
    expect(world.slug).toBeTruthy();
  });
});
