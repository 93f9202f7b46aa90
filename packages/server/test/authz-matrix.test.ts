import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../src/platform/errors.ts';
import {
  ACTORS,
  type Actor,
  buildWorld,
  type Call,
  type Cast,
  createCast,
  expectError,
  GHOST_ID,
  ghostWorld,
  ok,
  type Res,
  userOf,
  type Visibility,
  type World,
} from './fixtures.ts';
import { api, createTestApp, type TestApp, type TestUser } from './harness.ts';

/**
 * The authorization matrix: every route x every actor (anonymous, signed-in
 * non-member, member, moderator, owner), in a public and in a private
 * community, with the status and error code each must get. Rows that write get
 * a fresh world (community, members, thread, comment) per cell, so cells never
 * depend on each other. A route added to the app without a row here fails the
 * coverage test at the bottom. A denied write must also leave the world
 * exactly as it was (compared through the owner's eyes).
 *
 * Private communities: a non-member must get the same 404 as for a community,
 * thread or comment that does not exist (checked against a "ghost" world), so
 * their existence does not leak. Anonymous writes are 401 before anything is
 * looked up, which does not leak either.
 */

/** A success status, or a denial as [status, code]. */
type Outcome = number | [number, ErrorCode];
type Expect = Record<Actor, Outcome>;
const row5 = (
  anonymous: Outcome,
  nonMember: Outcome,
  member: Outcome,
  moderator: Outcome,
  owner: Outcome,
): Expect => ({
  anonymous,
  nonMember,
  member,
  moderator,
  owner,
});

const UNAUTH: Outcome = [401, 'UNAUTHENTICATED'];
const NOT_MEMBER: Outcome = [403, 'NOT_A_MEMBER'];
const FORBIDDEN: Outcome = [403, 'FORBIDDEN'];
const NO_COMMUNITY: Outcome = [404, 'COMMUNITY_NOT_FOUND'];
const NO_THREAD: Outcome = [404, 'THREAD_NOT_FOUND'];
const NO_COMMENT: Outcome = [404, 'COMMENT_NOT_FOUND'];
const OWNER_STAYS: Outcome = [409, 'OWNER_CANNOT_LEAVE'];
const ALREADY: Outcome = [409, 'ALREADY_MEMBER'];

/** Everyone may read; outsiders of a private community get `hidden`. */
const readable = (hidden: Outcome) => ({
  public: row5(200, 200, 200, 200, 200),
  private: row5(hidden, hidden, 200, 200, 200),
});
/** Active members may write (status `okStatus`); outsiders of a private community get `hidden`. */
const memberWrite = (hidden: Outcome, okStatus = 200) => ({
  public: row5(UNAUTH, NOT_MEMBER, okStatus, okStatus, okStatus),
  private: row5(UNAUTH, hidden, okStatus, okStatus, okStatus),
});
/** Moderators and owners only. */
const moderatorOnly = (hidden: Outcome) => ({
  public: row5(UNAUTH, FORBIDDEN, FORBIDDEN, 200, 200),
  private: row5(UNAUTH, hidden, FORBIDDEN, 200, 200),
});
/** Owners only. */
const ownerOnly = (hidden: Outcome) => ({
  public: row5(UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, 200),
  private: row5(UNAUTH, hidden, FORBIDDEN, FORBIDDEN, 200),
});

interface Ctx {
  w: World;
  actor: Actor;
  user: TestUser | null;
  call: Call;
}

interface Row {
  /** Route as the OpenAPI document spells it, e.g. "PATCH /threads/{id}". */
  route: string;
  /** What this row exercises when a route has several (e.g. "pin"). */
  variant?: string;
  path: (c: Ctx) => string | Promise<string>;
  body?: (c: Ctx) => unknown;
  /** Read-only rows share one world per visibility; every other row gets its own. */
  readOnly?: boolean;
  pending?: boolean;
  /** `account` rows do not depend on a community: they run once, with `any`. */
  expect: { public: Expect; private: Expect } | { any: Expect };
}

let uniq = 0;
const fresh = (prefix: string) => `${prefix}${++uniq}_${Math.random().toString(36).slice(2, 6)}`;

const ACCOUNT_ROWS: Row[] = [
  {
    route: 'GET /health',
    path: () => '/health',
    readOnly: true,
    expect: { any: row5(200, 200, 200, 200, 200) },
  },
  {
    route: 'POST /auth/signup',
    path: () => '/auth/signup',
    body: () => {
      const username = fresh('su');
      return { username, email: `${username}@example.test`, password: 'correct horse battery' };
    },
    expect: { any: row5(201, 201, 201, 201, 201) },
  },
  {
    route: 'POST /auth/login',
    path: () => '/auth/login',
    body: ({ w }) => ({ login: w.cast.author.username, password: 'correct horse battery' }),
    expect: { any: row5(200, 200, 200, 200, 200) },
  },
  {
    route: 'POST /auth/logout',
    path: () => '/auth/logout',
    expect: { any: row5(UNAUTH, 200, 200, 200, 200) },
  },
  { route: 'GET /me', path: () => '/me', readOnly: true, expect: { any: row5(UNAUTH, 200, 200, 200, 200) } },
  {
    route: 'PATCH /me',
    path: () => '/me',
    body: () => ({ bio: 'Hello from the matrix' }),
    expect: { any: row5(UNAUTH, 200, 200, 200, 200) },
  },
  {
    route: 'GET /me/tokens',
    path: () => '/me/tokens',
    readOnly: true,
    expect: { any: row5(UNAUTH, 200, 200, 200, 200) },
  },
  {
    route: 'POST /me/tokens',
    path: () => '/me/tokens',
    body: () => ({ name: 'matrix' }),
    expect: { any: row5(UNAUTH, 201, 201, 201, 201) },
  },
  {
    route: 'DELETE /me/tokens/{id}',
    variant: 'own token',
    // A fresh token of the actor's own (of `author` for anonymous, who must not get to revoke it).
    path: async ({ w, user, call }) => {
      const tok = await ok(
        call('POST', '/me/tokens', { name: 'to revoke' }, user ?? w.cast.author),
        201,
        'token',
      );
      return `/me/tokens/${tok.body.id}`;
    },
    expect: { any: row5(UNAUTH, 200, 200, 200, 200) },
  },
  {
    route: 'DELETE /me/tokens/{id}',
    variant: "someone else's token",
    path: async ({ w, call }) => {
      const tok = await ok(call('POST', '/me/tokens', { name: 'not yours' }, w.cast.outsider), 201, 'token');
      return `/me/tokens/${tok.body.id}`;
    },
    expect: {
      any: row5(
        UNAUTH,
        [404, 'TOKEN_NOT_FOUND'],
        [404, 'TOKEN_NOT_FOUND'],
        [404, 'TOKEN_NOT_FOUND'],
        [404, 'TOKEN_NOT_FOUND'],
      ),
    },
  },
  {
    route: 'GET /users/{username}',
    path: ({ w }) => `/users/${w.cast.author.username}`,
    readOnly: true,
    expect: { any: row5(200, 200, 200, 200, 200) },
  },
  {
    route: 'GET /communities',
    path: () => '/communities',
    readOnly: true,
    expect: { any: row5(200, 200, 200, 200, 200) },
  },
  {
    route: 'POST /communities',
    path: () => '/communities',
    body: () => ({ slug: fresh('new-').replace(/_/g, '-'), name: 'New' }),
    expect: { any: row5(UNAUTH, 201, 201, 201, 201) },
  },
];

const slugOf = (c: Ctx) => `/communities/${c.w.slug}`;
const threadOf = (c: Ctx) => `/threads/${c.w.threadId}`;
const commentOf = (c: Ctx) => `/comments/${c.w.commentId}`;

const COMMUNITY_ROWS: Row[] = [
  { route: 'GET /communities/{slug}', path: slugOf, readOnly: true, expect: readable(NO_COMMUNITY) },
  {
    route: 'PATCH /communities/{slug}',
    variant: 'name, description, guidelines',
    path: slugOf,
    body: () => ({ name: 'Renamed', description: 'New words', guidelines: 'Be kind' }),
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}',
    variant: 'visibility and joinPolicy',
    path: slugOf,
    body: ({ w }) =>
      w.visibility === 'public'
        ? { visibility: 'private', joinPolicy: 'invite' }
        : { visibility: 'public', joinPolicy: 'open' },
    expect: ownerOnly(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}',
    variant: 'joinPolicy only',
    path: slugOf,
    body: ({ w }) => ({ joinPolicy: w.visibility === 'public' ? 'request' : 'invite' }),
    expect: ownerOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/join',
    path: (c) => `${slugOf(c)}/join`,
    body: () => ({}),
    expect: {
      public: row5(UNAUTH, 200, ALREADY, ALREADY, ALREADY),
      // Not JOIN_BY_INVITE_ONLY: that would confirm the community exists.
      private: row5(UNAUTH, NO_COMMUNITY, ALREADY, ALREADY, ALREADY),
    },
  },
  {
    route: 'POST /communities/{slug}/leave',
    path: (c) => `${slugOf(c)}/leave`,
    expect: {
      public: row5(UNAUTH, NOT_MEMBER, 200, 200, OWNER_STAYS),
      private: row5(UNAUTH, NO_COMMUNITY, 200, 200, OWNER_STAYS),
    },
  },
  {
    route: 'GET /communities/{slug}/members',
    variant: 'active',
    path: (c) => `${slugOf(c)}/members`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  ...(['pending', 'invited'] as const).map(
    (status): Row => ({
      route: 'GET /communities/{slug}/members',
      variant: `status=${status}`,
      path: (c) => `${slugOf(c)}/members?status=${status}`,
      readOnly: true,
      expect: {
        public: row5(FORBIDDEN, FORBIDDEN, FORBIDDEN, 200, 200),
        private: row5(NO_COMMUNITY, NO_COMMUNITY, FORBIDDEN, 200, 200),
      },
    }),
  ),
  {
    route: 'POST /communities/{slug}/invites',
    path: (c) => `${slugOf(c)}/invites`,
    body: ({ w }) => ({ username: w.cast.outsider.username }),
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/members/{username}/approve',
    path: (c) => `${slugOf(c)}/members/${c.w.cast.applicant.username}/approve`,
    pending: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}/members/{username}',
    variant: 'promote a member',
    path: (c) => `${slugOf(c)}/members/${c.w.cast.author.username}`,
    body: () => ({ role: 'moderator' }),
    expect: ownerOnly(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}/members/{username}',
    variant: 'demote a moderator',
    path: (c) => `${slugOf(c)}/members/${c.w.cast.moderator.username}`,
    body: () => ({ role: 'member' }),
    expect: ownerOnly(NO_COMMUNITY),
  },
  {
    route: 'DELETE /communities/{slug}/members/{username}',
    variant: 'remove a member',
    path: (c) => `${slugOf(c)}/members/${c.w.cast.author.username}`,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'DELETE /communities/{slug}/members/{username}',
    variant: 'remove a moderator',
    path: (c) => `${slugOf(c)}/members/${c.w.cast.moderator.username}`,
    expect: ownerOnly(NO_COMMUNITY),
  },
  {
    route: 'DELETE /communities/{slug}/members/{username}',
    variant: 'reject a pending request',
    path: (c) => `${slugOf(c)}/members/${c.w.cast.applicant.username}`,
    pending: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
];

/**
 * A thread or comment written by the actor itself. The non-member wrote it as a
 * member and left since ("former member"); anonymous gets the author's.
 */
async function authoredByActor(c: Ctx, kind: 'thread' | 'comment'): Promise<number> {
  const { w, actor, user, call } = c;
  if (!user || w.threadId === GHOST_ID) return kind === 'thread' ? w.threadId : w.commentId;
  const former = actor === 'nonMember';
  if (former) {
    if (w.visibility === 'private') {
      await ok(
        call('POST', `/communities/${w.slug}/invites`, { username: user.username }, w.cast.owner),
        200,
        'invite',
      );
    }
    await ok(call('POST', `/communities/${w.slug}/join`, {}, user), 200, 'join');
  }
  const thread = await ok(
    call('POST', `/communities/${w.slug}/threads`, { title: 'Mine', body: 'My words' }, user),
    201,
  );
  const comment = await ok(
    call('POST', `/threads/${thread.body.id}/comments`, { body: 'My comment' }, user),
    201,
  );
  if (former) await ok(call('POST', `/communities/${w.slug}/leave`, undefined, user), 200, 'leave');
  return kind === 'thread' ? thread.body.id : comment.body.id;
}

/** The author may edit and delete (also after leaving a public community); outsiders of a private one get 404. */
const authorOrModerator = (hidden: Outcome) => ({
  public: row5(UNAUTH, 200, 200, 200, 200),
  private: row5(UNAUTH, hidden, 200, 200, 200),
});

const CONTENT_ROWS: Row[] = [
  {
    route: 'GET /communities/{slug}/threads',
    path: (c) => `${slugOf(c)}/threads`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/threads',
    path: (c) => `${slugOf(c)}/threads`,
    body: () => ({ title: 'Matrix thread', body: 'Body' }),
    expect: memberWrite(NO_COMMUNITY, 201),
  },
  { route: 'GET /threads/{id}', path: threadOf, readOnly: true, expect: readable(NO_THREAD) },
  {
    route: 'PATCH /threads/{id}',
    variant: "edit someone else's",
    path: threadOf,
    body: () => ({ title: 'Edited by someone' }),
    expect: moderatorOnly(NO_THREAD),
  },
  {
    route: 'PATCH /threads/{id}',
    variant: 'pin',
    path: threadOf,
    body: () => ({ pinned: true }),
    expect: moderatorOnly(NO_THREAD),
  },
  {
    route: 'PATCH /threads/{id}',
    variant: 'lock',
    path: threadOf,
    body: () => ({ locked: true }),
    expect: moderatorOnly(NO_THREAD),
  },
  {
    route: 'DELETE /threads/{id}',
    variant: "someone else's",
    path: threadOf,
    expect: moderatorOnly(NO_THREAD),
  },
  {
    route: 'PATCH /threads/{id}',
    variant: 'edit own',
    path: async (c) => `/threads/${await authoredByActor(c, 'thread')}`,
    body: () => ({ title: 'Edited by its author' }),
    expect: authorOrModerator(NO_THREAD),
  },
  {
    route: 'PATCH /threads/{id}',
    variant: 'pin own',
    path: async (c) => `/threads/${await authoredByActor(c, 'thread')}`,
    body: () => ({ pinned: true }),
    expect: {
      public: row5(UNAUTH, FORBIDDEN, FORBIDDEN, 200, 200),
      private: row5(UNAUTH, NO_THREAD, FORBIDDEN, 200, 200),
    },
  },
  {
    route: 'DELETE /threads/{id}',
    variant: 'own',
    path: async (c) => `/threads/${await authoredByActor(c, 'thread')}`,
    expect: authorOrModerator(NO_THREAD),
  },
  {
    route: 'GET /threads/{id}/revisions',
    path: (c) => `${threadOf(c)}/revisions`,
    readOnly: true,
    expect: readable(NO_THREAD),
  },
  {
    route: 'GET /threads/{id}/comments',
    path: (c) => `${threadOf(c)}/comments`,
    readOnly: true,
    expect: readable(NO_THREAD),
  },
  {
    route: 'POST /threads/{id}/comments',
    path: (c) => `${threadOf(c)}/comments`,
    body: () => ({ body: 'Matrix comment' }),
    expect: memberWrite(NO_THREAD, 201),
  },
  {
    route: 'POST /threads/{id}/comments',
    variant: 'reply',
    path: (c) => `${threadOf(c)}/comments`,
    body: ({ w }) => ({ body: 'Matrix reply', parentId: w.commentId }),
    expect: memberWrite(NO_THREAD, 201),
  },
  { route: 'GET /comments/{id}', path: commentOf, readOnly: true, expect: readable(NO_COMMENT) },
  {
    route: 'PATCH /comments/{id}',
    variant: "someone else's",
    path: commentOf,
    body: () => ({ body: 'Edited by someone' }),
    expect: moderatorOnly(NO_COMMENT),
  },
  {
    route: 'DELETE /comments/{id}',
    variant: "someone else's",
    path: commentOf,
    expect: moderatorOnly(NO_COMMENT),
  },
  {
    route: 'PATCH /comments/{id}',
    variant: 'edit own',
    path: async (c) => `/comments/${await authoredByActor(c, 'comment')}`,
    body: () => ({ body: 'Edited by its author' }),
    expect: authorOrModerator(NO_COMMENT),
  },
  {
    route: 'DELETE /comments/{id}',
    variant: 'own',
    path: async (c) => `/comments/${await authoredByActor(c, 'comment')}`,
    expect: authorOrModerator(NO_COMMENT),
  },
  {
    route: 'GET /comments/{id}/revisions',
    path: (c) => `${commentOf(c)}/revisions`,
    readOnly: true,
    expect: readable(NO_COMMENT),
  },
  {
    route: 'POST /threads/{id}/reactions',
    path: (c) => `${threadOf(c)}/reactions`,
    body: () => ({ kind: 'like' }),
    expect: memberWrite(NO_THREAD),
  },
  {
    route: 'DELETE /threads/{id}/reactions',
    path: (c) => `${threadOf(c)}/reactions`,
    // Members only, like adding one (docs/API.md); a non-member used to get 200 here.
    expect: memberWrite(NO_THREAD),
  },
  {
    route: 'POST /comments/{id}/reactions',
    path: (c) => `${commentOf(c)}/reactions`,
    body: () => ({ kind: 'insightful' }),
    expect: memberWrite(NO_COMMENT),
  },
  {
    route: 'DELETE /comments/{id}/reactions',
    path: (c) => `${commentOf(c)}/reactions`,
    expect: memberWrite(NO_COMMENT),
  },
];

/** Issue 7: gamification (reads follow the community's readability; writes are members-only). */
const GAMIFICATION_ROWS: Row[] = [
  {
    route: 'GET /communities/{slug}/members/{username}/gamification',
    path: (c) => `${slugOf(c)}/members/${c.w.cast.author.username}/gamification`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'GET /communities/{slug}/leaderboard',
    path: (c) => `${slugOf(c)}/leaderboard`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/visit',
    path: (c) => `${slugOf(c)}/visit`,
    expect: memberWrite(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}/me/gamification',
    path: (c) => `${slugOf(c)}/me/gamification`,
    body: () => ({ hideFromLeaderboards: true }),
    expect: memberWrite(NO_COMMUNITY),
  },
];

/** Issue 4: follows, mutes, home feed, discovery, search (about the viewer; private communities 404 to outsiders). */
const SIGNED_IN = row5(UNAUTH, 200, 200, 200, 200);
const FEED_ROWS: Row[] = [
  ...(['follows', 'mutes'] as const).flatMap((rel) =>
    (['users', 'tags'] as const).flatMap((kind): Row[] => {
      const target = (c: Ctx) => (kind === 'users' ? c.w.cast.author.username : 'matrix-tag');
      const param = kind === 'users' ? '{username}' : '{name}';
      return [
        {
          route: `POST /${rel}/${kind}/${param}`,
          path: (c) => `/${rel}/${kind}/${target(c)}`,
          expect: { any: SIGNED_IN },
        },
        {
          route: `DELETE /${rel}/${kind}/${param}`,
          path: (c) => `/${rel}/${kind}/${target(c)}`,
          expect: { any: SIGNED_IN },
        },
        {
          route: `GET /${rel}/${kind}`,
          path: () => `/${rel}/${kind}`,
          readOnly: true,
          expect: { any: SIGNED_IN },
        },
      ];
    }),
  ),
  {
    route: 'POST /mutes/communities/{slug}',
    path: (c) => `/mutes/communities/${c.w.slug}`,
    expect: { public: SIGNED_IN, private: row5(UNAUTH, NO_COMMUNITY, 200, 200, 200) },
  },
  {
    // Unmuting removes the viewer's own row; the answer is the same whether the community exists or not.
    route: 'DELETE /mutes/communities/{slug}',
    path: (c) => `/mutes/communities/${c.w.slug}`,
    expect: { public: SIGNED_IN, private: SIGNED_IN },
  },
  {
    route: 'GET /mutes/communities',
    path: () => '/mutes/communities',
    readOnly: true,
    expect: { any: SIGNED_IN },
  },
  { route: 'GET /feed', path: () => '/feed', readOnly: true, expect: { any: SIGNED_IN } },
  {
    route: 'GET /discover/communities',
    path: () => '/discover/communities',
    readOnly: true,
    expect: { any: row5(200, 200, 200, 200, 200) },
  },
  {
    route: 'GET /discover/tags',
    path: () => '/discover/tags',
    readOnly: true,
    expect: { any: row5(200, 200, 200, 200, 200) },
  },
  {
    route: 'GET /search',
    path: (c) => `/search?q=thread&community=${c.w.slug}`,
    readOnly: true,
    expect: { public: row5(200, 200, 200, 200, 200), private: row5(200, 200, 200, 200, 200) },
  },
];

/** Issue 7 (complete): settings, badges, rewards, accepted answers, profiles, toasts. */
const ghost = (c: Ctx) => c.w.communityId === GHOST_ID;
/** A badge of the world's community by slug (ghost worlds: an id that does not exist). */
async function badgeOf(c: Ctx, slug = 'community-hero'): Promise<number> {
  if (ghost(c)) return GHOST_ID;
  const list = await ok(c.call('GET', `${slugOf(c)}/badges`, undefined, c.w.cast.owner), 200, 'badges');
  return list.body.items.find((b: { slug: string }) => b.slug === slug).id;
}
/** A free, unlimited reward offered by the owner. */
async function rewardOf(c: Ctx): Promise<number> {
  if (ghost(c)) return GHOST_ID;
  const body = { kind: 'seat', title: 'Matrix seat', costPoints: 0, perMemberLimit: null };
  return (await ok(c.call('POST', `${slugOf(c)}/rewards`, body, c.w.cast.owner), 201, 'reward')).body.id;
}
type Stash = Ctx & { stash?: number };
const moderatorCreates = (hidden: Outcome) => ({
  public: row5(UNAUTH, FORBIDDEN, FORBIDDEN, 201, 201),
  private: row5(UNAUTH, hidden, FORBIDDEN, 201, 201),
});
const signedInReader = (hidden: Outcome) => ({
  public: row5(UNAUTH, 200, 200, 200, 200),
  private: row5(UNAUTH, hidden, 200, 200, 200),
});
const GAMIFICATION_MORE_ROWS: Row[] = [
  {
    route: 'GET /communities/{slug}/member-levels',
    path: (c) =>
      `${slugOf(c)}/member-levels?usernames=${c.w.cast.author.username},${c.w.cast.member.username}`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'GET /users/{username}/gamification',
    path: (c) => `/users/${c.w.cast.author.username}/gamification`,
    readOnly: true,
    expect: { any: row5(200, 200, 200, 200, 200) },
  },
  {
    route: 'GET /communities/{slug}/gamification/settings',
    path: (c) => `${slugOf(c)}/gamification/settings`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}/gamification/settings',
    path: (c) => `${slugOf(c)}/gamification/settings`,
    body: () => ({ weights: { comment_created: 3 }, levels: [{ name: 'Only', minPoints: 0 }] }),
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'GET /communities/{slug}/gamification/log',
    path: (c) => `${slugOf(c)}/gamification/log`,
    readOnly: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'GET /communities/{slug}/badges',
    path: (c) => `${slugOf(c)}/badges`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/badges',
    path: (c) => `${slugOf(c)}/badges`,
    body: () => ({
      slug: fresh('b').replace(/_/g, '-'),
      name: 'Matrix',
      tier: 'silver',
      rule: { kind: 'manual' },
    }),
    expect: moderatorCreates(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}/badges/{id}',
    path: async (c) => `${slugOf(c)}/badges/${await badgeOf(c)}`,
    body: () => ({ name: 'Renamed badge', enabled: false }),
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/members/{username}/badges',
    path: async (c) => {
      (c as Stash).stash = await badgeOf(c);
      return `${slugOf(c)}/members/${c.w.cast.author.username}/badges`;
    },
    body: (c) => ({ badgeId: (c as Stash).stash, reason: 'Matrix' }),
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'DELETE /communities/{slug}/members/{username}/badges/{badgeId}',
    path: async (c) => {
      const id = await badgeOf(c);
      const member = `${slugOf(c)}/members/${c.w.cast.author.username}/badges`;
      if (!ghost(c)) await ok(c.call('POST', member, { badgeId: id }, c.w.cast.owner), 200, 'grant');
      return `${member}/${id}?reason=matrix`;
    },
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'GET /me/badges/unseen',
    path: () => '/me/badges/unseen',
    readOnly: true,
    expect: { any: row5(UNAUTH, 200, 200, 200, 200) },
  },
  {
    route: 'POST /me/badges/seen',
    path: () => '/me/badges/seen',
    body: () => ({ ids: [1, 2] }),
    expect: { any: row5(UNAUTH, 200, 200, 200, 200) },
  },
  {
    route: 'GET /communities/{slug}/rewards',
    path: (c) => `${slugOf(c)}/rewards`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/rewards',
    path: (c) => `${slugOf(c)}/rewards`,
    body: () => ({ kind: 'promo_code', title: 'Matrix promo', costPoints: 5, codes: ['M-1', 'M-2'] }),
    expect: moderatorCreates(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}/rewards/{id}',
    path: async (c) => `${slugOf(c)}/rewards/${await rewardOf(c)}`,
    body: () => ({ title: 'Renamed reward', costPoints: 3 }),
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/rewards/{id}/redeem',
    path: async (c) => `${slugOf(c)}/rewards/${await rewardOf(c)}/redeem`,
    expect: memberWrite(NO_COMMUNITY),
  },
  {
    route: 'GET /communities/{slug}/rewards/{id}/redemptions',
    path: async (c) => `${slugOf(c)}/rewards/${await rewardOf(c)}/redemptions`,
    readOnly: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'GET /communities/{slug}/me/redemptions',
    path: (c) => `${slugOf(c)}/me/redemptions`,
    readOnly: true,
    expect: signedInReader(NO_COMMUNITY),
  },
  ...(['PUT', 'DELETE'] as const).flatMap((method): Row[] => [
    {
      route: `${method} /threads/{id}/accepted-answer`,
      variant: "someone else's thread",
      path: (c) => `${threadOf(c)}/accepted-answer`,
      body: method === 'PUT' ? ({ w }) => ({ commentId: w.commentId }) : undefined,
      expect: moderatorOnly(NO_THREAD),
    },
    {
      route: `${method} /threads/{id}/accepted-answer`,
      variant: 'own thread',
      path: async (c) => {
        const commentId = await authoredByActor(c, 'comment');
        (c as Stash).stash = commentId;
        if (commentId === c.w.commentId) return `${threadOf(c)}/accepted-answer`;
        const comment = await ok(
          c.call('GET', `/comments/${commentId}`, undefined, c.w.cast.owner),
          200,
          'comment',
        );
        return `/threads/${comment.body.threadId}/accepted-answer`;
      },
      body: method === 'PUT' ? (c) => ({ commentId: (c as Stash).stash }) : undefined,
      expect: authorOrModerator(NO_THREAD),
    },
  ]),
];

const ROWS = [
  ...ACCOUNT_ROWS,
  ...COMMUNITY_ROWS,
  ...CONTENT_ROWS,
  ...GAMIFICATION_ROWS,
  ...FEED_ROWS,
  ...GAMIFICATION_MORE_ROWS,
];

const describeOutcome = (o: Outcome) => (typeof o === 'number' ? String(o) : `${o[0]} ${o[1]}`);
const rowName = (r: Row) => (r.variant ? `${r.route} (${r.variant})` : r.route);

/** Resolves the row's path (which may set up its target) and its body; `go` sends the request. */
async function prepare(c: Ctx, r: Row) {
  const method = r.route.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  const path = await r.path(c);
  const body = r.body?.(c);
  return { go: () => c.call(method, path, body, c.user) };
}

function expectOutcome(res: Res, outcome: Outcome, label: string): void {
  if (typeof outcome === 'number') {
    expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(outcome);
    expect(res.body?.error, label).toBeUndefined();
  } else {
    expectError(res, outcome[0], outcome[1]);
  }
}

/** What the owner sees of a world: a denied request must leave all of it unchanged. */
async function snapshot(app: FastifyInstance, w: World) {
  // Counters follow content through the outbox: let pending events land first.
  await app.events.drain();
  const call = api(app);
  const owner = w.cast.owner;
  const get = async (path: string) =>
    (await ok(call('GET', path, undefined, owner), 200, `snapshot ${path}`)).body;
  const c = `/communities/${w.slug}`;
  const [community, active, pending, invited, threads, thread, threadRevisions, comments, commentRevisions] =
    await Promise.all([
      get(c),
      get(`${c}/members?status=active`),
      get(`${c}/members?status=pending`),
      get(`${c}/members?status=invited`),
      get(`${c}/threads?sort=new`),
      get(`/threads/${w.threadId}`),
      get(`/threads/${w.threadId}/revisions`),
      get(`/threads/${w.threadId}/comments`),
      get(`/comments/${w.commentId}/revisions`),
    ]);
  return {
    community,
    active,
    pending,
    invited,
    threads,
    thread,
    threadRevisions,
    comments,
    commentRevisions,
  };
}

describe('authorization matrix', () => {
  let t: TestApp;
  let call: Call;
  let cast: Cast;
  const shared = {} as Record<Visibility, World>;

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    cast = await createCast(t.app);
    shared.public = await buildWorld(t.app, cast, 'public', { edited: true });
    shared.private = await buildWorld(t.app, cast, 'private', { edited: true });
  });
  afterAll(async () => t?.close());

  it('builds worlds as the matrix assumes (roles, private = invite only)', async () => {
    for (const vis of ['public', 'private'] as const) {
      const w = shared[vis];
      const c = await ok(call('GET', `/communities/${w.slug}`, undefined, cast.owner));
      expect(c.body).toMatchObject({
        visibility: vis,
        joinPolicy: vis === 'private' ? 'invite' : 'open',
        membership: { role: 'owner', status: 'active' },
      });
      const members = await ok(call('GET', `/communities/${w.slug}/members`, undefined, cast.owner));
      const roles = Object.fromEntries(
        members.body.items.map((m: { username: string; role: string }) => [m.username, m.role]),
      );
      expect(roles).toEqual({
        [cast.owner.username]: 'owner',
        [cast.moderator.username]: 'moderator',
        [cast.member.username]: 'member',
        [cast.author.username]: 'member',
      });
      // The revision rows below read real history.
      for (const path of [`/threads/${w.threadId}/revisions`, `/comments/${w.commentId}/revisions`]) {
        expect((await ok(call('GET', path, undefined, cast.member))).body.items).toHaveLength(1);
      }
    }
    const pendingPrivate = await buildWorld(t.app, cast, 'private', { pending: true });
    const c = await ok(call('GET', `/communities/${pendingPrivate.slug}`, undefined, cast.owner));
    expect(c.body).toMatchObject({ visibility: 'private', joinPolicy: 'invite' });
    const pending = await ok(
      call('GET', `/communities/${pendingPrivate.slug}/members?status=pending`, undefined, cast.owner),
    );
    expect(pending.body.items.map((m: { username: string }) => m.username)).toEqual([
      cast.applicant.username,
    ]);
  });

  for (const r of ROWS) {
    const cells: [Visibility | 'any', Expect][] =
      'any' in r.expect
        ? [['any', r.expect.any]]
        : [
            ['public', r.expect.public],
            ['private', r.expect.private],
          ];
    for (const [vis, expected] of cells) {
      describe(`${vis} · ${rowName(r)}`, () => {
        for (const actor of ACTORS) {
          const outcome = expected[actor];
          it(`${actor} → ${describeOutcome(outcome)}`, async () => {
            const worldVis: Visibility = vis === 'any' ? 'public' : vis;
            // Account rows touch no community; read-only rows cannot disturb a shared world.
            const w =
              vis === 'any' || (r.readOnly && !r.pending)
                ? shared[worldVis]
                : await buildWorld(t.app, cast, worldVis, { pending: r.pending });
            const ctx: Ctx = { w, actor, user: userOf(cast, actor), call };
            const label = `${vis} ${rowName(r)} as ${actor}`;
            const denied = typeof outcome !== 'number';
            const req = await prepare(ctx, r);
            const before = denied && vis !== 'any' && !r.readOnly ? await snapshot(t.app, w) : null;
            expectOutcome(await req.go(), outcome, label);
            if (before) expect(await snapshot(t.app, w), `${label} changed something`).toEqual(before);
            // Existence must not leak: an outsider's answer for a private community, thread or
            // comment is exactly the answer for one that does not exist.
            if (vis === 'private' && denied && (actor === 'anonymous' || actor === 'nonMember')) {
              const ghost = await prepare({ ...ctx, w: ghostWorld(cast) }, r);
              expectOutcome(await ghost.go(), outcome, `${label} (nonexistent target)`);
            }
          });
        }
      });
    }
  }

  it('covers every route the app registers', async () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const registered = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/^\/api\/v1/, '')}`),
      )
      .sort();
    const covered = [...new Set(ROWS.map((r) => r.route))].sort();
    expect(covered).toEqual(registered);
  });
});
