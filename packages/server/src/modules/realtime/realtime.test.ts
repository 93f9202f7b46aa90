import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type Cast, createCast, ok, type World } from '../../../test/fixtures.ts';
import { api, createTestApp, dialect, type TestApp } from '../../../test/harness.ts';
import { connectLive, type LiveClient } from '../../../test/live-client.ts';
import { RETENTION_MS } from './realtime.hub.ts';

/**
 * The live endpoint against a listening server and real WebSocket clients: who may connect and
 * subscribe, what arrives, resuming after a disconnect, and losing access mid-connection.
 */
describe(`realtime (${dialect})`, () => {
  let t: TestApp;
  let base: string;
  let cast: Cast;
  let pub: World;
  let priv: World;
  const call = () => api(t.app);
  const open: LiveClient[] = [];
  const connect = async (headers: Record<string, string>) => {
    const c = await connectLive(base, headers);
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await createTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    cast = await createCast(t.app);
    pub = await buildWorld(t.app, cast, 'public');
    priv = await buildWorld(t.app, cast, 'private');
  });
  afterAll(async () => {
    for (const c of open) await c.close();
    await t?.close();
  });

  it('refuses anonymous connections and cross-site cookie handshakes', async () => {
    await expect(connectLive(base, {})).rejects.toMatchObject({ status: 401 });
    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: {
        username: 'livecookie',
        email: 'livecookie@example.test',
        password: 'correct horse battery',
      },
    });
    const cookie = signup.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    await expect(connectLive(base, { cookie, origin: 'https://evil.example' })).rejects.toMatchObject({
      status: 403,
    });
    const host = new URL(base).host;
    const c = await connect({ cookie, origin: `http://${host}` });
    expect((await c.subscribe({ topic: 'inbox' })).type).toBe('subscribed');
    // A plain GET (no upgrade) is told what to do.
    const plain = await call()('GET', '/live', undefined, cast.member);
    expect(plain.status).toBe(426);
    expect(plain.body.error.code).toBe('UPGRADE_REQUIRED');
  });

  it('authorizes every subscription like the REST reads (private = not found)', async () => {
    const outsider = await connect(cast.nonMember.headers);
    const member = await connect(cast.member.headers);
    const ans = async (c: LiveClient, topic: Record<string, unknown>) => {
      const f = await c.subscribe(topic);
      return f.type === 'error' ? f.code : f.type;
    };
    expect(await ans(outsider, { topic: 'thread', id: pub.threadId })).toBe('subscribed');
    expect(await ans(outsider, { topic: 'community', slug: pub.slug })).toBe('subscribed');
    // Private: exactly the answer for something that does not exist.
    expect(await ans(outsider, { topic: 'thread', id: priv.threadId })).toBe('THREAD_NOT_FOUND');
    expect(await ans(outsider, { topic: 'thread', id: 999_999 })).toBe('THREAD_NOT_FOUND');
    expect(await ans(outsider, { topic: 'community', slug: priv.slug })).toBe('COMMUNITY_NOT_FOUND');
    expect(await ans(outsider, { topic: 'community', slug: 'no-such-place' })).toBe('COMMUNITY_NOT_FOUND');
    expect(await ans(member, { topic: 'thread', id: priv.threadId })).toBe('subscribed');
    expect(await ans(member, { topic: 'community', slug: priv.slug })).toBe('subscribed');
    // Inboxes: one's own only.
    expect(await ans(member, { topic: 'inbox', userId: cast.owner.id })).toBe('FORBIDDEN');
    expect(await ans(member, { topic: 'inbox', userId: cast.member.id })).toBe('subscribed');
    // Junk is a coded error, and the connection stays usable.
    member.send({ type: 'subscribe', topic: 'thread', id: 'x', ref: 'junk' });
    expect((await member.next((f) => f.ref === 'junk')).code).toBe('VALIDATION_FAILED');
    member.ws.send('not json');
    expect((await member.next((f) => f.type === 'error')).code).toBe('VALIDATION_FAILED');
    member.send({ type: 'ping', ref: 'p' });
    expect((await member.next((f) => f.ref === 'p')).type).toBe('pong');
  });

  it('delivers comments, edits, reactions and deletions to thread subscribers', async () => {
    const watcher = await connect(cast.nonMember.headers);
    expect((await watcher.subscribe({ topic: 'thread', id: pub.threadId })).type).toBe('subscribed');
    const listing = await connect(cast.outsider.headers);
    await listing.subscribe({ topic: 'community', slug: pub.slug });

    const posted = await ok(
      call()('POST', `/threads/${pub.threadId}/comments`, { body: 'Live **hello**' }, cast.member),
      201,
    );
    const created = await watcher.next((f) => f.kind === 'comment.created', 5000, 'comment.created');
    expect(created).toMatchObject({ type: 'event', channel: `thread:${pub.threadId}` });
    expect(created.data.comment).toMatchObject({
      id: posted.body.id,
      bodyHtml: posted.body.bodyHtml,
      author: { username: cast.member.username },
      myReaction: null,
    });
    expect(typeof created.id).toBe('number');
    const activity = await listing.next((f) => f.kind === 'thread.activity');
    expect(activity.data).toMatchObject({ threadId: pub.threadId });

    await ok(call()('PATCH', `/comments/${posted.body.id}`, { body: 'Live, edited' }, cast.member));
    const edited = await watcher.next((f) => f.kind === 'comment.edited');
    expect(edited.data.comment.body).toBe('Live, edited');
    expect(edited.id).toBeGreaterThan(created.id);

    await ok(call()('POST', `/comments/${posted.body.id}/reactions`, { kind: 'love' }, cast.owner));
    const reacted = await watcher.next((f) => f.kind === 'reaction.changed');
    expect(reacted.data).toMatchObject({
      targetType: 'comment',
      targetId: posted.body.id,
      reactionCounts: { love: 1 },
    });

    await ok(call()('DELETE', `/comments/${posted.body.id}`, undefined, cast.member));
    const deleted = await watcher.next((f) => f.kind === 'comment.deleted');
    expect(deleted.data).toEqual({ commentId: posted.body.id, threadId: pub.threadId });

    const thread = await ok(
      call()('POST', `/communities/${pub.slug}/threads`, { title: 'Fresh', body: 'New here' }, cast.member),
      201,
    );
    const announced = await listing.next((f) => f.kind === 'thread.created');
    expect(announced.data.thread).toMatchObject({ id: thread.body.id, title: 'Fresh' });
  });

  it('resumes after a disconnect with what was missed, or asks for a resync when too old', async () => {
    const first = await connect(cast.member.headers);
    await first.subscribe({ topic: 'thread', id: pub.threadId });
    await ok(call()('POST', `/threads/${pub.threadId}/comments`, { body: 'seen' }, cast.owner), 201);
    const seen = await first.next((f) => f.kind === 'comment.created');
    await first.close();

    const missed: number[] = [];
    for (const body of ['missed one', 'missed two']) {
      missed.push(
        (await ok(call()('POST', `/threads/${pub.threadId}/comments`, { body }, cast.owner), 201)).body.id,
      );
    }
    await t.app.events.drain();

    const again = await connect(cast.member.headers);
    const answer = again.subscribe({ topic: 'thread', id: pub.threadId }, seen.id);
    const replayed = [
      await again.next((f) => f.kind === 'comment.created' && f.data.comment.id === missed[0]),
      await again.next((f) => f.kind === 'comment.created' && f.data.comment.id === missed[1]),
    ];
    expect((await answer).type).toBe('subscribed');
    expect(replayed[1]!.id).toBeGreaterThan(replayed[0]!.id);
    // Still live after the replay.
    await ok(call()('POST', `/threads/${pub.threadId}/comments`, { body: 'after' }, cast.owner), 201);
    // (The replay may also repeat events from just before `since`, see listLiveEvents; clients drop known ids.)
    const after = await again.next((f) => f.kind === 'comment.created' && f.data.comment.body === 'after');
    expect(after.id).toBeGreaterThan(replayed[1]!.id);

    // Past the retention window the history is gone: the client is told to reload instead.
    t.clock.advance(RETENTION_MS + 60_000);
    await t.app.jobs.runNow('realtime.prune');
    const late = await connect(cast.member.headers);
    const late1 = late.subscribe({ topic: 'thread', id: pub.threadId }, seen.id);
    expect((await late.next((f) => f.type === 'resync')).channel).toBe(`thread:${pub.threadId}`);
    expect((await late1).type).toBe('subscribed');
  });

  it('stops delivering a private community to a member who is removed', async () => {
    const w = await buildWorld(t.app, cast, 'private');
    const member = await connect(cast.member.headers);
    expect((await member.subscribe({ topic: 'thread', id: w.threadId })).type).toBe('subscribed');
    expect((await member.subscribe({ topic: 'community', slug: w.slug })).type).toBe('subscribed');
    await ok(call()('POST', `/threads/${w.threadId}/comments`, { body: 'before' }, cast.author), 201);
    await member.next((f) => f.kind === 'comment.created');

    await ok(
      call()('DELETE', `/communities/${w.slug}/members/${cast.member.username}`, undefined, cast.owner),
    );
    const gone = await member.next((f) => f.type === 'unsubscribed' && f.channel === `thread:${w.threadId}`);
    expect(gone.reason).toBe('forbidden');
    await member.next((f) => f.type === 'unsubscribed' && f.channel === `community:${w.communityId}`);

    await ok(
      call()('POST', `/threads/${w.threadId}/comments`, { body: 'secret after removal' }, cast.author),
      201,
    );
    await t.app.events.drain();
    expect(
      await member.quiet((f) => f.type === 'event' && JSON.stringify(f).includes('secret after removal')),
    ).toBe(true);
    // And subscribing again is refused like for any outsider.
    expect((await member.subscribe({ topic: 'thread', id: w.threadId })).code).toBe('THREAD_NOT_FOUND');
  });

  it('brings notifications to the inbox live, and only to its owner', async () => {
    const author = await connect(cast.author.headers);
    const other = await connect(cast.moderator.headers);
    await author.subscribe({ topic: 'inbox' });
    await other.subscribe({ topic: 'inbox' });
    await ok(
      call()(
        'POST',
        `/threads/${pub.threadId}/comments`,
        { body: 'A reply to you', parentId: pub.commentId },
        cast.member,
      ),
      201,
    );
    const n = await author.next((f) => f.kind === 'notification.created', 5000, 'notification');
    expect(n.channel).toBe(`user:${cast.author.id}`);
    expect(n.data.notification).toMatchObject({ type: 'reply', actor: { username: cast.member.username } });
    expect(n.data.unreadCount).toBeGreaterThan(0);
    expect(
      await other.quiet((f) => f.kind === 'notification.created' && f.data.notification.type === 'reply'),
    ).toBe(true);
  });
});
