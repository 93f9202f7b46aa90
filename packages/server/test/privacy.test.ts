import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, cookiesOf, expectError, ok, type Res } from './fixtures.ts';
import { api, createTestApp, createUser, createUsers, type TestApp, type TestUser } from './harness.ts';

/**
 * Privacy of private communities: their existence, content, members, counts
 * and mentions reach no one outside them (anonymous, signed-in non-members),
 * in any list or profile; invitees see the about page only. And cookie
 * sessions need the CSRF header for every write.
 */
describe('privacy', () => {
  let t: TestApp;
  let call: Call;
  let owner: TestUser;
  let member: TestUser;
  let invitee: TestUser;
  /** Signed in, active in the public community, never in the private one. */
  let stranger: TestUser;
  /** A member of the private community only (not of the public one). */
  let insider: TestUser;
  const PRIV = 'secret-garden';
  const PUB = 'town-square';
  const PRIV_NAME = 'Secret Garden Society';
  const PRIV_TITLE = 'Hidden plans for the orchard';
  let privThread: number;
  let privComment: number;
  let pubThread: number;
  let pubDeletedThread: number;

  const as = (user: TestUser | null) => ({
    get: (path: string) => call('GET', path, undefined, user),
  });
  const slugs = (res: Res) => res.body.items.map((c: { slug: string }) => c.slug);
  const usernames = (res: Res) => res.body.items.map((m: { username: string }) => m.username);

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [owner, member, invitee, stranger, insider] = await createUsers(
      t.app,
      'p_owner',
      'p_member',
      'p_invitee',
      'p_stranger',
      'p_insider',
    );
    const priv = await ok(
      call(
        'POST',
        '/communities',
        { slug: PRIV, name: PRIV_NAME, description: 'orchard', visibility: 'private' },
        owner,
      ),
      201,
    );
    expect(priv.body.joinPolicy).toBe('invite');
    await ok(call('POST', '/communities', { slug: PUB, name: 'Town Square' }, owner), 201);
    for (const u of [member, insider]) {
      await ok(call('POST', `/communities/${PRIV}/invites`, { username: u.username }, owner));
      await ok(call('POST', `/communities/${PRIV}/join`, {}, u));
    }
    await ok(call('POST', `/communities/${PRIV}/invites`, { username: invitee.username }, owner));
    for (const u of [member, stranger]) await ok(call('POST', `/communities/${PUB}/join`, {}, u));

    const th = await ok(
      call(
        'POST',
        `/communities/${PRIV}/threads`,
        { title: PRIV_TITLE, body: 'Plant the #quince trees' },
        insider,
      ),
      201,
    );
    privThread = th.body.id;
    privComment = (await ok(call('POST', `/threads/${privThread}/comments`, { body: 'Agreed' }, member), 201))
      .body.id;
    await ok(call('POST', `/threads/${privThread}/reactions`, { kind: 'love' }, owner));
    pubThread = (
      await ok(
        call('POST', `/communities/${PUB}/threads`, { title: 'Hello', body: 'Open to all' }, member),
        201,
      )
    ).body.id;
    pubDeletedThread = (
      await ok(call('POST', `/communities/${PUB}/threads`, { title: 'Oops', body: 'x' }, stranger), 201)
    ).body.id;
    await ok(call('DELETE', `/threads/${pubDeletedThread}`, undefined, stranger));
    // thread_count follows content through the outbox; wait for it.
    await t.app.events.drain();
  });
  afterAll(async () => t?.close());

  describe('GET /communities', () => {
    it('lists a private community to its members and invitees only', async () => {
      for (const who of [null, stranger]) {
        const res = await ok(as(who).get('/communities'));
        expect(slugs(res)).toContain(PUB);
        expect(slugs(res)).not.toContain(PRIV);
        expect(JSON.stringify(res.body)).not.toContain(PRIV_NAME);
      }
      for (const who of [owner, member, insider]) {
        const res = await ok(as(who).get('/communities'));
        expect(slugs(res)).toContain(PRIV);
        expect(res.body.items.find((c: { slug: string }) => c.slug === PRIV).membership.status).toBe(
          'active',
        );
      }
      const invited = await ok(as(invitee).get('/communities'));
      expect(invited.body.items.find((c: { slug: string }) => c.slug === PRIV)).toMatchObject({
        name: PRIV_NAME,
        membership: { role: 'member', status: 'invited' },
      });
      // "mine" is active memberships only.
      expect(slugs(await ok(as(invitee).get('/communities?mine=true')))).toEqual([]);
      expect(slugs(await ok(as(insider).get('/communities?mine=true')))).toEqual([PRIV]);
      expectError(await as(null).get('/communities?mine=true'), 401, 'UNAUTHENTICATED');
    });

    it('does not leak the private community through pagination', async () => {
      for (const who of [null, stranger]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res: Res = await ok(as(who).get(`/communities?limit=1${cursor ? `&cursor=${cursor}` : ''}`));
          seen.push(...slugs(res));
          cursor = res.body.nextCursor;
        } while (cursor);
        expect(seen).toEqual([PUB]);
      }
    });

    it('shows the counts of public communities only, and counts only active members and live threads', async () => {
      for (const who of [null, stranger, member]) {
        const res = await ok(as(who).get('/communities'));
        const pub = res.body.items.find((c: { slug: string }) => c.slug === PUB);
        // owner, member, stranger; one live thread (the deleted one no longer counts)
        expect({ memberCount: pub.memberCount, threadCount: pub.threadCount }).toEqual({
          memberCount: 3,
          threadCount: 1,
        });
      }
      const outsiderView = await ok(as(null).get('/communities'));
      expect(
        outsiderView.body.items.map((c: { memberCount: number; threadCount: number }) => [
          c.memberCount,
          c.threadCount,
        ]),
      ).toEqual([[3, 1]]);
      // The private community's own counts are for the people inside: the invitee is not counted.
      const inside = await ok(as(member).get(`/communities/${PRIV}`));
      expect({ memberCount: inside.body.memberCount, threadCount: inside.body.threadCount }).toEqual({
        memberCount: 3,
        threadCount: 1,
      });
    });
  });

  describe('an outsider of a private community', () => {
    const paths = () => ({
      community: [`/communities/${PRIV}`, `/communities/no-such-place`, 'COMMUNITY_NOT_FOUND'],
      members: [`/communities/${PRIV}/members`, `/communities/no-such-place/members`, 'COMMUNITY_NOT_FOUND'],
      threads: [`/communities/${PRIV}/threads`, `/communities/no-such-place/threads`, 'COMMUNITY_NOT_FOUND'],
      tagged: [
        `/communities/${PRIV}/threads?tag=quince`,
        `/communities/no-such-place/threads?tag=quince`,
        'COMMUNITY_NOT_FOUND',
      ],
      thread: [`/threads/${privThread}`, '/threads/999999', 'THREAD_NOT_FOUND'],
      revisions: [`/threads/${privThread}/revisions`, '/threads/999999/revisions', 'THREAD_NOT_FOUND'],
      comments: [`/threads/${privThread}/comments`, '/threads/999999/comments', 'THREAD_NOT_FOUND'],
      comment: [`/comments/${privComment}`, '/comments/999999', 'COMMENT_NOT_FOUND'],
      commentRevisions: [
        `/comments/${privComment}/revisions`,
        '/comments/999999/revisions',
        'COMMENT_NOT_FOUND',
      ],
    });

    it('gets exactly the 404 of something that does not exist, for every read', async () => {
      for (const who of [null, stranger]) {
        for (const [name, [real, ghost, code]] of Object.entries(paths())) {
          const a = await as(who).get(real as string);
          const b = await as(who).get(ghost as string);
          expectError(a, 404, code as 'THREAD_NOT_FOUND');
          expect({ status: a.status, code: a.body.error.code }, name).toEqual({
            status: b.status,
            code: b.body.error.code,
          });
        }
      }
    });

    it('cannot find private content through a public thread (reply to a private comment)', async () => {
      const real = await call(
        'POST',
        `/threads/${pubThread}/comments`,
        { body: 'hi', parentId: privComment },
        stranger,
      );
      const ghost = await call(
        'POST',
        `/threads/${pubThread}/comments`,
        { body: 'hi', parentId: 999999 },
        stranger,
      );
      expectErrorWithField(real, 'parentId');
      expect(real.body).toEqual(ghost.body);
    });

    it('finds nothing of it in thread lists', async () => {
      for (const who of [null, stranger, member]) {
        const pub = await ok(as(who).get(`/communities/${PUB}/threads?sort=new`));
        const ids = [...pub.body.items, ...pub.body.pinned].map((x: { id: number }) => x.id);
        expect(ids).toEqual([pubThread]);
        expect(JSON.stringify(pub.body)).not.toContain(PRIV_TITLE);
        // A tag used only inside the private community finds nothing in the public one.
        expect((await ok(as(who).get(`/communities/${PUB}/threads?tag=quince`))).body.items).toEqual([]);
      }
      const inside = await ok(as(member).get(`/communities/${PRIV}/threads?tag=quince`));
      expect(inside.body.items.map((x: { id: number }) => x.id)).toEqual([privThread]);
    });

    it('learns nothing of it from profiles', async () => {
      for (const who of [null, stranger]) {
        for (const u of [insider, owner, member]) {
          const res = await ok(as(who).get(`/users/${u.username}`));
          expect(Object.keys(res.body).sort()).toEqual(
            ['avatarUrl', 'bio', 'createdAt', 'displayName', 'id', 'interests', 'username'].sort(),
          );
          const text = JSON.stringify(res.body);
          for (const secret of [PRIV, PRIV_NAME, PRIV_TITLE, 'quince']) expect(text).not.toContain(secret);
        }
      }
    });

    it('cannot see who is a member, and the public member list shows public memberships only', async () => {
      const pub = await ok(as(null).get(`/communities/${PUB}/members`));
      expect(usernames(pub).sort()).toEqual([owner.username, member.username, stranger.username].sort());
      const inside = await ok(as(member).get(`/communities/${PRIV}/members`));
      expect(usernames(inside).sort()).toEqual([owner.username, member.username, insider.username].sort());
      expectError(
        await as(stranger).get(`/communities/${PRIV}/members?status=invited`),
        404,
        'COMMUNITY_NOT_FOUND',
      );
      const invited = await ok(as(owner).get(`/communities/${PRIV}/members?status=invited`));
      expect(usernames(invited)).toEqual([invitee.username]);
    });
  });

  describe('an invitee (invited, not yet joined)', () => {
    it('sees the about page but no threads, comments or members until joining', async () => {
      const about = await ok(as(invitee).get(`/communities/${PRIV}`));
      expect(about.body).toMatchObject({ slug: PRIV, name: PRIV_NAME, membership: { status: 'invited' } });
      expectError(await as(invitee).get(`/communities/${PRIV}/threads`), 404, 'COMMUNITY_NOT_FOUND');
      expectError(await as(invitee).get(`/communities/${PRIV}/members`), 404, 'COMMUNITY_NOT_FOUND');
      expectError(await as(invitee).get(`/threads/${privThread}`), 404, 'THREAD_NOT_FOUND');
      expectError(await as(invitee).get(`/threads/${privThread}/comments`), 404, 'THREAD_NOT_FOUND');
      expectError(await as(invitee).get(`/comments/${privComment}`), 404, 'COMMENT_NOT_FOUND');
      // ...nor write there.
      expectError(
        await call('POST', `/communities/${PRIV}/threads`, { title: 'x', body: 'y' }, invitee),
        404,
        'COMMUNITY_NOT_FOUND',
      );
      expectError(
        await call('POST', `/threads/${privThread}/comments`, { body: 'y' }, invitee),
        404,
        'THREAD_NOT_FOUND',
      );
      expectError(
        await call('POST', `/threads/${privThread}/reactions`, { kind: 'like' }, invitee),
        404,
        'THREAD_NOT_FOUND',
      );
    });

    it('reads everything after accepting, and loses it all again on leaving', async () => {
      const late = await createUser(t.app);
      await ok(call('POST', `/communities/${PRIV}/invites`, { username: late.username }, owner));
      expectError(await as(late).get(`/threads/${privThread}`), 404, 'THREAD_NOT_FOUND');
      expect(await ok(call('POST', `/communities/${PRIV}/join`, {}, late))).toMatchObject({
        body: { status: 'active', role: 'member' },
      });
      await ok(as(late).get(`/communities/${PRIV}/threads`));
      await ok(as(late).get(`/threads/${privThread}`));
      await ok(as(late).get(`/comments/${privComment}`));
      await ok(call('POST', `/communities/${PRIV}/leave`, undefined, late));
      expect(slugs(await ok(as(late).get('/communities')))).not.toContain(PRIV);
      expectError(await as(late).get(`/communities/${PRIV}`), 404, 'COMMUNITY_NOT_FOUND');
      expectError(await as(late).get(`/threads/${privThread}`), 404, 'THREAD_NOT_FOUND');
    });

    it('a removed member loses access at once', async () => {
      const gone = await createUser(t.app);
      await ok(call('POST', `/communities/${PRIV}/invites`, { username: gone.username }, owner));
      await ok(call('POST', `/communities/${PRIV}/join`, {}, gone));
      await ok(as(gone).get(`/threads/${privThread}`));
      await ok(call('DELETE', `/communities/${PRIV}/members/${gone.username}`, undefined, owner));
      expectError(await as(gone).get(`/threads/${privThread}`), 404, 'THREAD_NOT_FOUND');
      expectError(await as(gone).get(`/communities/${PRIV}`), 404, 'COMMUNITY_NOT_FOUND');
      expect(slugs(await ok(as(gone).get('/communities')))).not.toContain(PRIV);
    });
  });

  describe('mentions', () => {
    const mentionRows = async (userId: number) =>
      t.db
        .selectFrom('mentions')
        .select(['target_type', 'target_id'])
        .where('user_id', '=', userId)
        .execute();

    it('inside a private community store active members only', async () => {
      const body = `Ping @${member.username} @${stranger.username} @${invitee.username} @nobody_here @${insider.username}`;
      const th = await ok(
        call('POST', `/communities/${PRIV}/threads`, { title: 'Mentions', body }, insider),
        201,
      );
      // The author is not mentioned by herself; stranger (non-member) and invitee (not yet joined) are left out.
      expect(th.body.mentions).toEqual([member.username]);
      const cm = await ok(call('POST', `/threads/${th.body.id}/comments`, { body }, owner), 201);
      expect(cm.body.mentions.sort()).toEqual([insider.username, member.username].sort());
      // Editing does not let them in either.
      const edited = await ok(
        call('PATCH', `/threads/${th.body.id}`, { body: `${body} and again @${stranger.username}` }, insider),
      );
      expect(edited.body.mentions).toEqual([member.username]);
      const cmEdited = await ok(
        call('PATCH', `/comments/${cm.body.id}`, { body: `@${stranger.username} again` }, owner),
      );
      expect(cmEdited.body.mentions).toEqual([]);
      // Not stored at all (the mentions table feeds notifications).
      expect(await mentionRows(stranger.id)).toEqual([]);
      expect(await mentionRows(invitee.id)).toEqual([]);
      // The members see the same list the API gave at creation time.
      expect((await ok(as(member).get(`/threads/${th.body.id}`))).body.mentions).toEqual([member.username]);
    });

    it('in a public community store anyone mentioned', async () => {
      const body = `Hello @${invitee.username} and @${insider.username}`;
      const th = await ok(
        call('POST', `/communities/${PUB}/threads`, { title: 'Public mentions', body }, member),
        201,
      );
      expect(th.body.mentions.sort()).toEqual([insider.username, invitee.username].sort());
      expect(await mentionRows(invitee.id)).toEqual([{ target_type: 'thread', target_id: th.body.id }]);
    });
  });

  describe('cookie sessions and CSRF', () => {
    let session: Record<string, string>;
    let csrf: string;
    let name: string;

    const withCookies = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      opts: { payload?: object; csrf?: string | null; cookies?: Record<string, string> } = {},
    ) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        cookies: opts.cookies ?? session,
        headers: opts.csrf ? { 'x-csrf-token': opts.csrf } : {},
        ...(opts.payload && { payload: opts.payload }),
      });

    beforeAll(async () => {
      name = `cookie_${Date.now() % 100000}`;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { username: name, email: `${name}@example.test`, password: 'correct horse battery' },
      });
      expect(res.statusCode).toBe(201);
      session = cookiesOf(res);
      csrf = session.hearth_csrf!;
      const byName = Object.fromEntries(res.cookies.map((c) => [c.name, c]));
      expect(byName.hearth_session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      // The page's script must read the CSRF cookie to echo it.
      expect(byName.hearth_csrf?.httpOnly).toBeFalsy();
      expect(res.json().user.csrfToken).toBe(csrf);
    });

    it('reads without the header', async () => {
      const me = await withCookies('GET', '/me');
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ username: name, csrfToken: csrf });
    });

    it('refuses a write without the header, or with a wrong one, and changes nothing', async () => {
      const body = { slug: 'cookie-made', name: 'Cookie made' };
      const otherUser = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { login: owner.username, password: 'correct horse battery' },
      });
      const foreign = cookiesOf(otherUser).hearth_csrf!;
      for (const sent of [null, '', 'wrong', foreign, `${csrf}x`]) {
        const res = await withCookies('POST', '/communities', { payload: body, csrf: sent });
        expectError({ status: res.statusCode, body: res.json(), headers: res.headers }, 403, 'CSRF_FAILED');
      }
      const patched = await withCookies('PATCH', '/me', { payload: { bio: 'forged' } });
      expectError(
        { status: patched.statusCode, body: patched.json(), headers: patched.headers },
        403,
        'CSRF_FAILED',
      );
      const joined = await withCookies('POST', `/communities/${PUB}/join`, { payload: {} });
      expectError(
        { status: joined.statusCode, body: joined.json(), headers: joined.headers },
        403,
        'CSRF_FAILED',
      );
      expectError(await as(owner).get('/communities/cookie-made'), 404, 'COMMUNITY_NOT_FOUND');
      expect((await withCookies('GET', '/me')).json().bio).toBe('');
    });

    it('accepts the write with the header', async () => {
      const res = await withCookies('POST', '/communities', {
        payload: { slug: 'cookie-made', name: 'Cookie made' },
        csrf,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().membership).toMatchObject({ role: 'owner', status: 'active' });
      const me = await withCookies('PATCH', '/me', { payload: { bio: 'real' }, csrf });
      expect(me.statusCode).toBe(200);
      expect(me.json().bio).toBe('real');
    });

    it('bearer tokens need no CSRF header, even alongside a session cookie', async () => {
      const res = await t.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        cookies: session,
        headers: owner.headers,
        payload: { bio: 'via token' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().username).toBe(owner.username);
    });

    it('log-out needs the header too, and ends the session', async () => {
      const refused = await withCookies('POST', '/auth/logout');
      expectError(
        { status: refused.statusCode, body: refused.json(), headers: refused.headers },
        403,
        'CSRF_FAILED',
      );
      expect((await withCookies('GET', '/me')).statusCode).toBe(200);
      const out = await withCookies('POST', '/auth/logout', { csrf });
      expect(out.statusCode).toBe(200);
      const me = await withCookies('GET', '/me');
      expectError({ status: me.statusCode, body: me.json(), headers: me.headers }, 401, 'UNAUTHENTICATED');
      // An ended session is simply anonymous: writes are 401, not a CSRF failure.
      const write = await withCookies('PATCH', '/me', { payload: { bio: 'late' }, csrf });
      expectError(
        { status: write.statusCode, body: write.json(), headers: write.headers },
        401,
        'UNAUTHENTICATED',
      );
    });
  });
});

/** A 400 naming the field, in the one error shape. */
function expectErrorWithField(res: Res, field: string): void {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ error: { code: 'VALIDATION_FAILED', message: expect.any(String), field } });
}
