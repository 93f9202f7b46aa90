import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type Cast, createCast, ok, type World } from '../../../test/fixtures.ts';
import {
  api,
  createTestApp,
  createUser,
  dialect,
  type TestApp,
  type TestUser,
} from '../../../test/harness.ts';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.ts';
import { DAY, MINUTE } from '../../platform/clock.ts';

/**
 * Notifications end to end through the API, with mail delivered by nodemailer to a real SMTP
 * server on loopback: who is told what, preferences, batching, privacy, inbox, emails while
 * away, one-click unsubscribe and digests.
 */
describe(`notifications (${dialect})`, () => {
  let t: TestApp;
  let sink: SmtpSink;
  let cast: Cast;
  let pub: World;
  const call = () => api(t.app);
  const inbox = async (u: TestUser, query = '') =>
    (await ok(call()('GET', `/notifications${query}`, undefined, u))).body;
  const settle = async () => {
    await t.app.events.drain();
    await t.app.mail.flush();
  };
  /** Everyone goes quiet long enough to count as away. */
  const away = () => t.clock.advance(10 * MINUTE);

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ config: { smtpUrl: sink.url, publicUrl: 'https://hearth.example' } as never });
    cast = await createCast(t.app);
    pub = await buildWorld(t.app, cast, 'public');
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('tells the replied-to author and the mentioned, never the actor', async () => {
    await ok(
      call()(
        'POST',
        `/threads/${pub.threadId}/comments`,
        {
          body: `Agreed @${cast.moderator.username} and @${cast.member.username}`,
          parentId: pub.commentId,
        },
        cast.member,
      ),
      201,
    );
    await settle();
    const a = await inbox(cast.author);
    expect(a.items[0]).toMatchObject({
      type: 'reply',
      read: false,
      actor: { username: cast.member.username },
      thread: { id: pub.threadId, title: 'A thread' },
      excerpt: expect.stringContaining('Agreed'),
      url: expect.stringMatching(new RegExp(`^/c/${pub.slug}/t/${pub.threadId}#comment-\\d+$`)),
    });
    expect(a.items[0].text).toContain('replied to your comment');
    expect(a.unreadCount).toBe(1);
    const m = await inbox(cast.moderator);
    expect(m.items.map((n: { type: string }) => n.type)).toEqual(['mention']);
    // The member mentioned themself: nothing.
    expect((await inbox(cast.member)).items).toEqual([]);
  });

  it('batches reactions into one notification, and counts and marks read', async () => {
    const c = await ok(
      call()('POST', `/threads/${pub.threadId}/comments`, { body: 'React to me' }, cast.author),
      201,
    );
    for (const u of [cast.member, cast.moderator, cast.owner])
      await ok(call()('POST', `/comments/${c.body.id}/reactions`, { kind: 'like' }, u));
    await ok(call()('POST', `/comments/${c.body.id}/reactions`, { kind: 'love' }, cast.owner)); // a change, not news
    await settle();
    const reactions = (await inbox(cast.author)).items.filter((n: { type: string }) => n.type === 'reaction');
    expect(reactions).toHaveLength(1);
    expect(reactions[0]).toMatchObject({ actorCount: 3, actor: { username: cast.owner.username } });
    expect(reactions[0].text).toContain('and 2 others reacted');

    const before = (await ok(call()('GET', '/notifications/unread-count', undefined, cast.author))).body
      .unreadCount;
    const marked = await ok(call()('POST', '/notifications/read', { ids: [reactions[0].id] }, cast.author));
    expect(marked.body.unreadCount).toBe(before - 1);
    // Someone else cannot mark my notifications.
    await ok(call()('POST', '/notifications/read', { ids: [reactions[0].id] }, cast.member));
    expect((await inbox(cast.author, '?unread=true')).items.map((n: { id: number }) => n.id)).not.toContain(
      reactions[0].id,
    );
    // A new reaction after reading starts a new notification.
    await ok(call()('POST', `/comments/${c.body.id}/reactions`, { kind: 'like' }, cast.nonMember)).catch(
      () => {},
    );
    const bad = await call()('POST', '/notifications/read', {}, cast.author);
    expect(bad.status).toBe(400);
    await ok(call()('POST', '/notifications/read', { all: true }, cast.author));
    expect((await inbox(cast.author)).unreadCount).toBe(0);
  });

  it('respects per-type preferences', async () => {
    const prefs = await ok(call()('GET', '/notifications/preferences', undefined, cast.author));
    expect(prefs.body.types.find((p: { type: string }) => p.type === 'mention').channel).toBe('email');
    expect(prefs.body.digest).toBe('off');
    await ok(call()('PATCH', '/notifications/preferences', { types: { reply: 'off' } }, cast.author));
    await ok(
      call()(
        'POST',
        `/threads/${pub.threadId}/comments`,
        { body: 'quiet reply', parentId: pub.commentId },
        cast.owner,
      ),
      201,
    );
    await settle();
    expect((await inbox(cast.author, '?unread=true')).items).toEqual([]);
    const bad = await call()(
      'PATCH',
      '/notifications/preferences',
      { types: { reply: 'loud' } },
      cast.author,
    );
    expect(bad.status).toBe(400);
    await ok(call()('PATCH', '/notifications/preferences', { types: { reply: 'in_app' } }, cast.author));
  });

  it('never shows private content to someone who left, and never notifies outsiders', async () => {
    const w = await buildWorld(t.app, cast, 'private');
    await ok(
      call()(
        'POST',
        `/threads/${w.threadId}/comments`,
        { body: `secret for @${cast.member.username} @${cast.nonMember.username}` },
        cast.author,
      ),
      201,
    );
    await settle();
    const text = (u: TestUser) => inbox(u).then((b) => JSON.stringify(b));
    expect(await text(cast.member)).toContain('A thread');
    expect(await text(cast.nonMember)).not.toContain(w.slug);
    await ok(call()('POST', `/communities/${w.slug}/leave`, {}, cast.member));
    const after = await inbox(cast.member);
    expect(JSON.stringify(after)).not.toContain(w.slug);
    expect(
      after.items.every((n: { community: { slug: string } | null }) => n.community?.slug !== w.slug),
    ).toBe(true);
  });

  it('tells watchers of a community and followers of a tag about new threads', async () => {
    const [watcher, tagFan] = [await createUser(t.app), await createUser(t.app)];
    await ok(call()('POST', `/communities/${pub.slug}/watch`, {}, watcher));
    expect(
      (await ok(call()('GET', `/communities/${pub.slug}/watch`, undefined, watcher))).body.watching,
    ).toBe(true);
    await ok(call()('POST', '/follows/tags/trailshoes', {}, tagFan));
    await ok(
      call()(
        'POST',
        `/communities/${pub.slug}/threads`,
        { title: 'New shoes', body: 'Look', tags: ['trailshoes'] },
        cast.member,
      ),
      201,
    );
    await settle();
    expect((await inbox(watcher)).items[0]).toMatchObject({
      type: 'watched_community',
      thread: { title: 'New shoes' },
    });
    expect((await inbox(tagFan)).items[0]).toMatchObject({ type: 'followed_tag' });
    expect((await inbox(tagFan)).items[0].text).toContain('#trailshoes');
    // Watching a private community needs read access, and answers like a missing one.
    const w = await buildWorld(t.app, cast, 'private');
    const refused = await call()('POST', `/communities/${w.slug}/watch`, {}, watcher);
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('COMMUNITY_NOT_FOUND');
  });

  it('tells a member about moderator actions on their content', async () => {
    const c = await ok(
      call()('POST', `/threads/${pub.threadId}/comments`, { body: 'rude words' }, cast.member),
      201,
    );
    await ok(
      call()(
        'POST',
        `/communities/${pub.slug}/moderation/actions`,
        {
          action: 'remove',
          reason: 'Be kind (rule 1)',
          targetType: 'comment',
          targetId: c.body.id,
        },
        cast.moderator,
      ),
    );
    await settle();
    const n = (await inbox(cast.member)).items.find((x: { type: string }) => x.type === 'moderation');
    expect(n.text).toContain('remove');
    expect(n.text).toContain('Be kind (rule 1)');
  });

  it('emails mentions right away only while the member is away, with one-click unsubscribe', async () => {
    sink.mails.length = 0;
    // Present (just active): no email.
    await ok(call()('GET', '/me', undefined, cast.moderator));
    await ok(
      call()(
        'POST',
        `/threads/${pub.threadId}/comments`,
        { body: `hi @${cast.moderator.username}` },
        cast.member,
      ),
      201,
    );
    await settle();
    expect(sink.mails).toHaveLength(0);

    away();
    await ok(
      call()(
        'POST',
        `/threads/${pub.threadId}/comments`,
        { body: `are you there @${cast.moderator.username}?` },
        cast.member,
      ),
      201,
    );
    await settle();
    const mail = await sink.waitFor((m) => m.to.includes(`${cast.moderator.username}@example.test`));
    expect(mail.subject).toContain('mentioned you in “A thread”');
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    expect(mail.decoded).toContain(`https://hearth.example/c/${pub.slug}/t/${pub.threadId}#comment-`);
    expect(mail.decoded).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    // From the raw headers (unfolded): headers are not quoted-printable, and decoding them as if
    // they were would turn a token starting "=4f…" into another character.
    const oneClick =
      /List-Unsubscribe:\s*<https:\/\/hearth\.example(\/api\/v1\/notifications\/unsubscribe\?token=[\w-]+)>/.exec(
        mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ''),
      );
    expect(oneClick).not.toBeNull();
    const path = oneClick![1]!.replace('/api/v1', '');
    // Looking changes nothing; the one click (POST, no sign-in) stops mention emails only.
    expect((await ok(call()('GET', path))).body).toMatchObject({ type: 'mention', done: false });
    expect((await ok(call()('POST', path))).body).toMatchObject({ type: 'mention', done: true });
    const prefs = (await ok(call()('GET', '/notifications/preferences', undefined, cast.moderator))).body
      .types;
    expect(prefs.find((p: { type: string }) => p.type === 'mention').channel).toBe('in_app');
    expect(prefs.find((p: { type: string }) => p.type === 'dm').channel).toBe('email');
    const junk = await call()('POST', '/notifications/unsubscribe?token=not-a-real-token');
    expect(junk.body.error.code).toBe('INVALID_UNSUBSCRIBE_TOKEN');

    sink.mails.length = 0;
    away();
    await ok(
      call()(
        'POST',
        `/threads/${pub.threadId}/comments`,
        { body: `again @${cast.moderator.username}` },
        cast.member,
      ),
      201,
    );
    await settle();
    expect(sink.mails).toHaveLength(0);
    expect((await inbox(cast.moderator)).items[0].type).toBe('mention');
  });

  it('sends a daily digest of what was missed, then nothing until there is more', async () => {
    const reader = await createUser(t.app);
    await ok(call()('POST', `/communities/${pub.slug}/join`, {}, reader));
    await ok(call()('PATCH', '/notifications/preferences', { digest: 'daily' }, reader));
    const thread = await ok(
      call()('POST', `/communities/${pub.slug}/threads`, { title: 'Digest me', body: 'x' }, reader),
      201,
    );
    for (const u of [cast.member, cast.owner])
      await ok(
        call()('POST', `/threads/${thread.body.id}/comments`, { body: `reply from ${u.username}` }, u),
        201,
      );
    await settle();
    sink.mails.length = 0;
    await t.app.jobs.runNow('notifications.digest');
    await t.app.mail.flush();
    expect(sink.mails).toHaveLength(0); // the day is not over

    t.clock.advance(DAY + MINUTE);
    await t.app.jobs.runNow('notifications.digest');
    await t.app.mail.flush();
    const digest = await sink.waitFor((m) => m.to.includes(`${reader.username}@example.test`));
    expect(digest.subject).toContain('daily Hearth digest: 2 things');
    expect(digest.decoded).toContain('replied to your thread in “Digest me”');
    expect(digest.decoded.replace(/\r?\n[ \t]+/g, '')).toMatch(
      /List-Unsubscribe:\s*<https:\/\/hearth\.example\/api\/v1\/notifications\/unsubscribe/,
    );

    sink.mails.length = 0;
    t.clock.advance(DAY + MINUTE);
    await t.app.jobs.runNow('notifications.digest');
    await t.app.mail.flush();
    expect(sink.mails).toHaveLength(0); // nothing new since
  });
});
