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
  openDirectMessages,
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

/**
 * Issue 6: moderation. Guidelines follow the about page's visibility (invited people read what
 * they must accept); moderator tools are moderators-only and 404 (never 403) to outsiders of a
 * private community; review items, actions, appeals and hidden notes answer "not found" to
 * anyone who may not handle them, so their ids confirm nothing.
 */
const NOT_OURS: Record<'item' | 'action' | 'appeal' | 'note', Outcome> = {
  item: [404, 'ITEM_NOT_FOUND'],
  action: [404, 'ACTION_NOT_FOUND'],
  appeal: [404, 'APPEAL_NOT_FOUND'],
  note: [404, 'NOTE_NOT_FOUND'],
};
const TRUST_TOO_LOW: Outcome = [403, 'TRUST_LEVEL_TOO_LOW'];
const isGhost = (c: Ctx) => c.w.threadId === GHOST_ID;
/** Handled by moderators; everyone else (outsiders of a private community too) gets `notFound`. */
/** Signed-in readers get `okStatus`; outsiders of a private community get `hidden`. */
const signedInReaders = (hidden: Outcome, okStatus: number) => ({
  public: row5(UNAUTH, okStatus, okStatus, okStatus, okStatus),
  private: row5(UNAUTH, hidden, okStatus, okStatus, okStatus),
});
const moderatorsElseNotFound = (notFound: Outcome, okStatus = 200) => ({
  public: row5(UNAUTH, notFound, notFound, okStatus, okStatus),
  private: row5(UNAUTH, notFound, notFound, okStatus, okStatus),
});

/** The owner pins a member's trust level (TL2 writes context notes, TL1 rates them). */
const pinTrust = (c: Ctx, user: TestUser, level: number) =>
  ok(
    c.call('PATCH', `${slugOf(c)}/members/${user.username}/trust`, { level }, c.w.cast.owner),
    200,
    'pin trust level',
  );

/** A review item: the world's thread, reported by its member. */
async function reportedItem(c: Ctx): Promise<number> {
  if (isGhost(c)) return GHOST_ID;
  const body = { targetType: 'thread', targetId: c.w.threadId, reason: 'spam' };
  return (await ok(c.call('POST', '/reports', body, c.w.cast.member), 201, 'report')).body.itemId;
}

/** A moderator action taken directly in the world's community; its id. */
async function actionBy(c: Ctx, by: TestUser, body: Record<string, unknown>): Promise<number> {
  const res = await ok(c.call('POST', `${slugOf(c)}/moderation/actions`, body, by), 200, 'moderator action');
  return res.body.actionIds[0];
}
const removeThread = (threadId: number) => ({
  action: 'remove',
  reason: 'Off topic here',
  targetType: 'thread',
  targetId: threadId,
});

/** The author's thread removed by `by` and appealed by the author; the appeal's id. */
async function appealedRemoval(c: Ctx, by: TestUser): Promise<number> {
  if (isGhost(c)) return GHOST_ID;
  const actionId = await actionBy(c, by, removeThread(c.w.threadId));
  const appeal = await ok(
    c.call('POST', `/moderation/actions/${actionId}/appeal`, { body: 'Please look again' }, c.w.cast.author),
    201,
    'appeal',
  );
  return appeal.body.id;
}

/** A context note on the world's thread by its author, trusted (TL2) for it; not rated yet, so not shown. */
async function authorsNote(c: Ctx): Promise<number> {
  if (isGhost(c)) return GHOST_ID;
  await pinTrust(c, c.w.cast.author, 2);
  const body = { targetType: 'thread', targetId: c.w.threadId, body: 'Some context for readers' };
  return (await ok(c.call('POST', '/notes', body, c.w.cast.author), 201, 'note')).body.id;
}

const MODERATION_ROWS: Row[] = [
  // --- guidelines ---
  {
    route: 'GET /communities/{slug}/guidelines',
    path: (c) => `${slugOf(c)}/guidelines`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'GET /communities/{slug}/guidelines/versions',
    path: (c) => `${slugOf(c)}/guidelines/versions`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/guidelines/accept',
    path: (c) => `${slugOf(c)}/guidelines/accept`,
    // A world's guidelines never changed: version 1 is current.
    body: () => ({ version: 1 }),
    expect: memberWrite(NO_COMMUNITY),
  },
  // --- settings and automatic moderation ---
  {
    route: 'GET /communities/{slug}/moderation/settings',
    path: (c) => `${slugOf(c)}/moderation/settings`,
    readOnly: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}/moderation/settings',
    path: (c) => `${slugOf(c)}/moderation/settings`,
    body: () => ({ modlogShowModerators: false, automod: { floodPerMinute: 3 } }),
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'GET /communities/{slug}/moderation/watched-words',
    path: (c) => `${slugOf(c)}/moderation/watched-words`,
    readOnly: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/moderation/watched-words',
    path: (c) => `${slugOf(c)}/moderation/watched-words`,
    body: () => ({ pattern: 'matrixword', action: 'require_approval' }),
    expect: {
      public: row5(UNAUTH, FORBIDDEN, FORBIDDEN, 201, 201),
      private: row5(UNAUTH, NO_COMMUNITY, FORBIDDEN, 201, 201),
    },
  },
  {
    route: 'DELETE /communities/{slug}/moderation/watched-words/{id}',
    path: async (c) => {
      if (isGhost(c)) return `${slugOf(c)}/moderation/watched-words/${GHOST_ID}`;
      const word = await ok(
        c.call(
          'POST',
          `${slugOf(c)}/moderation/watched-words`,
          { pattern: 'gone', action: 'flag' },
          c.w.cast.owner,
        ),
        201,
        'watch a word',
      );
      return `${slugOf(c)}/moderation/watched-words/${word.body.id}`;
    },
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/moderation/test',
    path: (c) => `${slugOf(c)}/moderation/test`,
    body: () => ({ text: 'WIN a FREE prize, call 0800 123 4567' }),
    readOnly: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  // --- reports, queues, actions ---
  ...(['thread', 'comment'] as const).map(
    (kind): Row => ({
      route: 'POST /reports',
      variant: kind,
      path: () => '/reports',
      body: ({ w }) => ({
        targetType: kind,
        targetId: kind === 'thread' ? w.threadId : w.commentId,
        reason: 'breaks_rule',
        note: 'From the matrix',
      }),
      // Whoever may read it may report it; outsiders of a private community cannot tell it exists.
      expect: signedInReaders(kind === 'thread' ? NO_THREAD : NO_COMMENT, 201),
    }),
  ),
  {
    route: 'POST /reports',
    variant: 'a profile, in a community',
    path: () => '/reports',
    body: ({ w }) => ({
      targetType: 'user',
      targetId: w.cast.author.id,
      reason: 'harassment',
      community: w.slug,
    }),
    expect: signedInReaders(NO_COMMUNITY, 201),
  },
  {
    route: 'POST /reports',
    variant: 'a profile, to the site',
    path: () => '/reports',
    body: ({ w }) => ({ targetType: 'user', targetId: w.cast.author.id, reason: 'spam' }),
    expect: { any: row5(UNAUTH, 201, 201, 201, 201) },
  },
  {
    route: 'GET /communities/{slug}/moderation/queue',
    path: (c) => `${slugOf(c)}/moderation/queue`,
    readOnly: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'GET /moderation/queue',
    path: () => '/moderation/queue',
    readOnly: true,
    expect: { any: row5(UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN) },
  },
  {
    route: 'GET /moderation/items/{id}',
    path: async (c) => `/moderation/items/${await reportedItem(c)}`,
    expect: moderatorsElseNotFound(NOT_OURS.item),
  },
  ...[
    { variant: 'remove with a reason', body: { action: 'remove', reason: 'Spam' } },
    { variant: 'lock', body: { action: 'lock', reason: 'Cooling down' } },
    { variant: 'ban the author for a week', body: { action: 'ban', reason: 'Spam', durationHours: 168 } },
    { variant: 'approve', body: { action: 'approve' } },
  ].map(
    ({ variant, body }): Row => ({
      route: 'POST /moderation/items/{id}/actions',
      variant,
      path: async (c) => `/moderation/items/${await reportedItem(c)}/actions`,
      body: () => body,
      expect: moderatorsElseNotFound(NOT_OURS.item),
    }),
  ),
  {
    route: 'POST /communities/{slug}/moderation/actions',
    variant: 'lock a thread',
    path: (c) => `${slugOf(c)}/moderation/actions`,
    body: ({ w }) => ({ action: 'lock', reason: 'Heated', targetType: 'thread', targetId: w.threadId }),
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/moderation/actions',
    variant: 'mute a member',
    path: (c) => `${slugOf(c)}/moderation/actions`,
    body: ({ w }) => ({
      action: 'mute',
      reason: 'Rude',
      durationHours: 24,
      targetType: 'user',
      targetId: w.cast.author.id,
    }),
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/moderation/actions',
    variant: 'warn a moderator',
    path: (c) => `${slugOf(c)}/moderation/actions`,
    body: ({ w }) => ({ action: 'warn', reason: 'Tone', targetType: 'user', targetId: w.cast.moderator.id }),
    // Moderators answer to owners: a moderator may not sanction another (here: themselves).
    expect: ownerOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /moderation/actions/{id}/revoke',
    path: async (c) => {
      if (isGhost(c)) return `/moderation/actions/${GHOST_ID}/revoke`;
      const body = { action: 'mute', reason: 'Rude', durationHours: 24, targetType: 'user' };
      const id = await actionBy(c, c.w.cast.owner, { ...body, targetId: c.w.cast.author.id });
      return `/moderation/actions/${id}/revoke`;
    },
    body: () => ({ note: 'Lifted early' }),
    expect: moderatorsElseNotFound(NOT_OURS.action),
  },
  {
    route: 'POST /moderation/actions/{id}/appeal',
    variant: 'the removal of your own thread',
    // The actor's own thread (a former member's for nonMember), removed by the owner (by the moderator for the owner).
    path: async (c) => {
      const threadId = await authoredByActor(c, 'thread');
      if (isGhost(c)) return `/moderation/actions/${GHOST_ID}/appeal`;
      const by = c.actor === 'owner' ? c.w.cast.moderator : c.w.cast.owner;
      return `/moderation/actions/${await actionBy(c, by, removeThread(threadId))}/appeal`;
    },
    body: () => ({ body: 'It was on topic' }),
    expect: {
      public: row5(UNAUTH, 201, 201, 201, 201),
      private: row5(UNAUTH, 201, 201, 201, 201),
    },
  },
  {
    route: 'POST /moderation/actions/{id}/appeal',
    variant: "someone else's removal",
    path: async (c) => {
      if (isGhost(c)) return `/moderation/actions/${GHOST_ID}/appeal`;
      return `/moderation/actions/${await actionBy(c, c.w.cast.owner, removeThread(c.w.threadId))}/appeal`;
    },
    body: () => ({ body: 'Not mine to appeal' }),
    expect: {
      public: row5(UNAUTH, NOT_OURS.action, NOT_OURS.action, NOT_OURS.action, NOT_OURS.action),
      private: row5(UNAUTH, NOT_OURS.action, NOT_OURS.action, NOT_OURS.action, NOT_OURS.action),
    },
  },
  {
    route: 'GET /communities/{slug}/moderation/appeals',
    path: (c) => `${slugOf(c)}/moderation/appeals`,
    readOnly: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'GET /moderation/appeals',
    path: () => '/moderation/appeals',
    readOnly: true,
    expect: { any: row5(UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN) },
  },
  {
    route: 'POST /moderation/appeals/{id}/decision',
    variant: "another moderator's action",
    path: async (c) => {
      const by = c.actor === 'owner' ? c.w.cast.moderator : c.w.cast.owner;
      return `/moderation/appeals/${await appealedRemoval(c, by)}/decision`;
    },
    body: () => ({ decision: 'overturn', note: 'It was fine' }),
    expect: moderatorsElseNotFound(NOT_OURS.appeal),
  },
  {
    route: 'POST /moderation/appeals/{id}/decision',
    variant: 'your own action',
    path: async (c) => {
      const by = c.actor === 'moderator' ? c.w.cast.moderator : c.w.cast.owner;
      return `/moderation/appeals/${await appealedRemoval(c, by)}/decision`;
    },
    body: () => ({ decision: 'uphold' }),
    // Another moderator must decide an appeal against your action.
    expect: {
      public: row5(UNAUTH, NOT_OURS.appeal, NOT_OURS.appeal, FORBIDDEN, FORBIDDEN),
      private: row5(UNAUTH, NOT_OURS.appeal, NOT_OURS.appeal, FORBIDDEN, FORBIDDEN),
    },
  },
  {
    route: 'GET /communities/{slug}/members/{username}/moderation',
    path: (c) => `${slugOf(c)}/members/${c.w.cast.author.username}/moderation`,
    readOnly: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'GET /communities/{slug}/modlog',
    path: (c) => `${slugOf(c)}/modlog`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  { route: 'GET /me/moderation', path: () => '/me/moderation', readOnly: true, expect: { any: SIGNED_IN } },
  // --- trust levels ---
  {
    route: 'POST /threads/{id}/read',
    path: (c) => `${threadOf(c)}/read`,
    body: () => ({ ms: 30_000, postsRead: 2 }),
    // Reading counts before joining too (Discourse's TL1 asks for reading first).
    expect: signedInReaders(NO_THREAD, 200),
  },
  {
    route: 'GET /communities/{slug}/members/{username}/trust',
    path: (c) => `${slugOf(c)}/members/${c.w.cast.author.username}/trust`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}/members/{username}/trust',
    path: (c) => `${slugOf(c)}/members/${c.w.cast.author.username}/trust`,
    body: () => ({ level: 3 }),
    expect: ownerOnly(NO_COMMUNITY),
  },
  { route: 'GET /me/trust', path: () => '/me/trust', readOnly: true, expect: { any: SIGNED_IN } },
  // --- context notes ---
  {
    route: 'POST /notes',
    variant: 'at trust level 0',
    path: () => '/notes',
    body: ({ w }) => ({ targetType: 'thread', targetId: w.threadId, body: 'Context from the matrix' }),
    expect: {
      public: row5(UNAUTH, NOT_MEMBER, TRUST_TOO_LOW, 201, 201),
      private: row5(UNAUTH, NO_THREAD, TRUST_TOO_LOW, 201, 201),
    },
  },
  {
    route: 'POST /notes',
    variant: 'a trusted member (TL2)',
    path: async (c) => {
      if (c.actor === 'member' && !isGhost(c)) await pinTrust(c, c.w.cast.member, 2);
      return '/notes';
    },
    body: ({ w }) => ({ targetType: 'comment', targetId: w.commentId, body: 'Context from the matrix' }),
    expect: {
      public: row5(UNAUTH, NOT_MEMBER, 201, 201, 201),
      private: row5(UNAUTH, NO_COMMENT, 201, 201, 201),
    },
  },
  {
    route: 'GET /threads/{id}/notes',
    path: (c) => `${threadOf(c)}/notes`,
    readOnly: true,
    expect: readable(NO_THREAD),
  },
  {
    route: 'GET /notes/{id}',
    variant: 'not shown yet',
    path: async (c) => `/notes/${await authorsNote(c)}`,
    // Only raters (TL1+), moderators and its author see a note before it is rated Helpful.
    expect: moderatorsElseNotFound(NOT_OURS.note),
  },
  {
    route: 'POST /notes/{id}/ratings',
    variant: 'at trust level 0',
    path: async (c) => `/notes/${await authorsNote(c)}/ratings`,
    body: () => ({ helpful: 'yes' }),
    expect: moderatorsElseNotFound(NOT_OURS.note),
  },
  {
    route: 'POST /notes/{id}/ratings',
    variant: 'a rater (TL1)',
    path: async (c) => {
      const id = await authorsNote(c);
      if (c.actor === 'member' && !isGhost(c)) await pinTrust(c, c.w.cast.member, 1);
      return `/notes/${id}/ratings`;
    },
    body: () => ({ helpful: 'somewhat' }),
    expect: {
      public: row5(UNAUTH, NOT_OURS.note, 200, 200, 200),
      private: row5(UNAUTH, NOT_OURS.note, 200, 200, 200),
    },
  },
  {
    route: 'DELETE /notes/{id}',
    path: async (c) => `/notes/${await authorsNote(c)}`,
    expect: moderatorsElseNotFound(NOT_OURS.note),
  },
  {
    route: 'GET /communities/{slug}/notes',
    path: (c) => `${slugOf(c)}/notes`,
    readOnly: true,
    // Notes needing ratings: for raters (TL1+) and moderators.
    expect: {
      public: row5(UNAUTH, NOT_MEMBER, TRUST_TOO_LOW, 200, 200),
      private: row5(UNAUTH, NO_COMMUNITY, TRUST_TOO_LOW, 200, 200),
    },
  },
  {
    route: 'POST /communities/{slug}/notes/score',
    path: (c) => `${slugOf(c)}/notes/score`,
    expect: moderatorOnly(NO_COMMUNITY),
  },
];

/**
 * Issue 9: partnerships. Brand-level actors (brand managers, creators, site admins) are not
 * among the matrix's community actors, so brand and campaign routes are checked here from
 * the outside (nobody in the cast manages the brand: 403 on brand routes, the same 404 as
 * for nothing on campaign and deliverable routes); the module's own suites cover the cases
 * of brand managers, creators and admins. Community routes follow the community roles.
 * The brand, campaign, deliverable and payout belong to `outsider`, built once per run.
 */
const CAST_FORBIDDEN = row5(UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN);
const allGet = (o: Outcome) => row5(UNAUTH, o, o, o, o);
let partnerSetup: Promise<{
  brand: string;
  campaignId: number;
  deliverableId: number;
  payoutId: number;
}> | null = null;
function partner(c: Ctx) {
  const { call } = c;
  const o = c.w.cast.outsider;
  partnerSetup ??= (async () => {
    const slug = fresh('pbrand').replace(/_/g, '-');
    const community = fresh('pcomm').replace(/_/g, '-');
    await ok(call('POST', '/communities', { slug: community, name: 'Partner test' }, o), 201, 'community');
    await ok(call('POST', '/brands', { slug, name: 'Partner' }, o), 201, 'brand');
    await ok(call('PATCH', '/me/creator', { headline: 'x', niches: [] }, o), 200, 'creator');
    const camp = await ok(
      call(
        'POST',
        `/brands/${slug}/campaigns`,
        {
          title: 'C',
          budgetCents: 1,
          startsAt: '2026-01-01',
          endsAt: '2026-12-31',
          landingUrl: 'https://p.test/',
        },
        o,
      ),
      201,
      'campaign',
    );
    await ok(call('POST', `/campaigns/${camp.body.id}/communities`, { community }, o), 200, 'ask community');
    await ok(call('POST', `/campaigns/${camp.body.id}/invites`, { username: o.username }, o), 200, 'invite');
    await ok(
      call('POST', `/campaigns/${camp.body.id}/creators/${o.username}/respond`, { accept: true }, o),
      200,
      'accept',
    );
    const d = await ok(
      call(
        'POST',
        `/campaigns/${camp.body.id}/deliverables`,
        { community, kind: 'thread', title: 'T', body: 'B' },
        o,
      ),
      201,
      'deliverable',
    );
    const p = await ok(
      call('POST', `/campaigns/${camp.body.id}/payouts`, { username: o.username, amountCents: 1 }, o),
      201,
      'payout',
    );
    return { brand: slug, campaignId: camp.body.id, deliverableId: d.body.id, payoutId: p.body.id };
  })();
  return partnerSetup;
}
const NO_CAMPAIGN: Outcome = [404, 'CAMPAIGN_NOT_FOUND'];
const NO_DELIVERABLE: Outcome = [404, 'DELIVERABLE_NOT_FOUND'];
const campaignRow = (route: string, tail: string, body?: () => unknown): Row => ({
  route,
  path: async (c) => `/campaigns/${(await partner(c)).campaignId}${tail}`,
  body,
  expect: { any: allGet(NO_CAMPAIGN) },
});
const deliverableRow = (route: string, tail: string, body?: () => unknown): Row => ({
  route,
  path: async (c) => `/deliverables/${(await partner(c)).deliverableId}${tail}`,
  body,
  expect: { any: allGet(NO_DELIVERABLE) },
});
const brandRow = (route: string, tail: string, body?: () => unknown): Row => ({
  route,
  path: async (c) => `/brands/${(await partner(c)).brand}${tail}`,
  body,
  expect: { any: CAST_FORBIDDEN },
});
const PARTNERSHIP_ROWS: Row[] = [
  // First: nobody in the cast manages a brand yet (POST /brands, last, makes each actor a manager).
  {
    route: 'GET /creators',
    path: () => '/creators?tag=trail',
    readOnly: true,
    expect: { any: CAST_FORBIDDEN },
  },
  { route: 'GET /brands', path: () => '/brands', readOnly: true, expect: { any: SIGNED_IN } },
  {
    route: 'GET /brands/{slug}',
    path: async (c) => `/brands/${(await partner(c)).brand}`,
    readOnly: true,
    expect: { any: row5(200, 200, 200, 200, 200) },
  },
  brandRow('PATCH /brands/{slug}', '', () => ({ name: 'Renamed' })),
  brandRow('POST /brands/{slug}/secret', '/secret'),
  brandRow('GET /brands/{slug}/members', '/members'),
  brandRow('POST /brands/{slug}/members', '/members', () => ({ username: 'nobody_here' })),
  {
    route: 'DELETE /brands/{slug}/members/{username}',
    path: async (c) => `/brands/${(await partner(c)).brand}/members/${c.w.cast.outsider.username}`,
    expect: { any: CAST_FORBIDDEN },
  },
  brandRow('POST /brands/{slug}/campaigns', '/campaigns', () => ({
    title: 'X',
    budgetCents: 1,
    startsAt: '2026-01-01',
    endsAt: '2026-02-01',
    landingUrl: 'https://p.test/',
  })),
  brandRow('GET /brands/{slug}/campaigns', '/campaigns'),
  { route: 'GET /me/creator', path: () => '/me/creator', readOnly: true, expect: { any: SIGNED_IN } },
  {
    route: 'PATCH /me/creator',
    path: () => '/me/creator',
    body: () => ({ headline: 'Matrix', niches: ['matrix'] }),
    expect: { any: SIGNED_IN },
  },
  {
    route: 'GET /me/creator/work',
    path: () => '/me/creator/work',
    readOnly: true,
    expect: { any: SIGNED_IN },
  },
  { route: 'DELETE /me/creator', path: () => '/me/creator', expect: { any: SIGNED_IN } },
  {
    route: 'GET /creators/{username}',
    path: async (c) => {
      await partner(c);
      return `/creators/${c.w.cast.outsider.username}`;
    },
    readOnly: true,
    expect: { any: row5(200, 200, 200, 200, 200) },
  },
  {
    route: 'GET /communities/{slug}/partnerships',
    path: (c) => `${slugOf(c)}/partnerships`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}/partnerships',
    path: (c) => `${slugOf(c)}/partnerships`,
    body: () => ({ sponsoredAllowed: false }),
    expect: ownerOnly(NO_COMMUNITY),
  },
  {
    route: 'GET /communities/{slug}/campaigns',
    path: (c) => `${slugOf(c)}/campaigns`,
    readOnly: true,
    expect: ownerOnly(NO_COMMUNITY),
  },
  {
    // The world's owner runs a brand whose campaign asks to run in the world; only owners decide.
    route: 'POST /communities/{slug}/campaigns/{id}/decision',
    path: async ({ w, call }) => {
      const o = w.cast.owner;
      const slug = fresh('obrand').replace(/_/g, '-');
      await ok(call('POST', '/brands', { slug, name: 'Owner brand' }, o), 201, 'brand');
      const camp = await ok(
        call(
          'POST',
          `/brands/${slug}/campaigns`,
          {
            title: 'C',
            budgetCents: 1,
            startsAt: '2026-01-01',
            endsAt: '2026-12-31',
            landingUrl: 'https://p.test/',
          },
          o,
        ),
        201,
        'campaign',
      );
      // (The ghost world's community does not exist: nothing to ask there.)
      if (w.communityId !== GHOST_ID)
        await ok(
          call('POST', `/campaigns/${camp.body.id}/communities`, { community: w.slug }, o),
          200,
          'request',
        );
      return `${slugOf({ w } as Ctx)}/campaigns/${camp.body.id}/decision`;
    },
    body: () => ({ decision: 'approved' }),
    expect: ownerOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /sponsored/{type}/{id}/remove',
    path: (c) => `/sponsored/thread/${c.w.threadId}/remove`,
    body: () => ({ reason: 'matrix' }),
    expect: { public: CAST_FORBIDDEN, private: CAST_FORBIDDEN },
  },
  campaignRow('GET /campaigns/{id}', ''),
  campaignRow('PATCH /campaigns/{id}', '', () => ({ title: 'Renamed' })),
  campaignRow('POST /campaigns/{id}/communities', '/communities', () => ({ community: 'anything' })),
  campaignRow('POST /campaigns/{id}/invites', '/invites', () => ({ username: 'nobody_here' })),
  campaignRow('POST /campaigns/{id}/apply', '/apply', () => ({})),
  {
    route: 'POST /campaigns/{id}/creators/{username}/respond',
    path: async (c) =>
      `/campaigns/${(await partner(c)).campaignId}/creators/${c.w.cast.outsider.username}/respond`,
    body: () => ({ accept: false }),
    expect: { any: allGet(NO_CAMPAIGN) },
  },
  campaignRow('POST /campaigns/{id}/deliverables', '/deliverables', () => ({
    community: 'x',
    kind: 'thread',
    body: 'B',
  })),
  campaignRow('GET /campaigns/{id}/deliverables', '/deliverables'),
  campaignRow('POST /campaigns/{id}/links', '/links', () => ({ username: 'nobody_here' })),
  campaignRow('POST /campaigns/{id}/promo-codes', '/promo-codes', () => ({
    username: 'nobody_here',
    code: 'MATRIX',
  })),
  campaignRow('GET /campaigns/{id}/report', '/report'),
  campaignRow('GET /campaigns/{id}/report.csv', '/report.csv'),
  campaignRow('POST /campaigns/{id}/payouts', '/payouts', () => ({
    username: 'nobody_here',
    amountCents: 1,
  })),
  {
    route: 'PATCH /payouts/{id}',
    path: async (c) => `/payouts/${(await partner(c)).payoutId}`,
    body: () => ({ status: 'paid' }),
    expect: { any: allGet([404, 'PAYOUT_NOT_FOUND']) },
  },
  deliverableRow('GET /deliverables/{id}', ''),
  deliverableRow('PATCH /deliverables/{id}', '', () => ({ body: 'Changed' })),
  deliverableRow('POST /deliverables/{id}/submit', '/submit'),
  deliverableRow('POST /deliverables/{id}/review', '/review', () => ({ decision: 'approve' })),
  deliverableRow('POST /deliverables/{id}/publish', '/publish'),
  {
    // Server to server: no session or token counts, only the brand's signature.
    route: 'POST /partnerships/conversions',
    path: () => '/partnerships/conversions',
    body: () => ({ brand: 'nobody', id: 'm1', orderId: 'o1', amountCents: 1, currency: 'EUR' }),
    expect: {
      any: row5(
        ...(Array(5).fill([401, 'SIGNATURE_INVALID']) as [Outcome, Outcome, Outcome, Outcome, Outcome]),
      ),
    },
  },
  {
    route: 'POST /brands',
    path: () => '/brands',
    body: () => ({ slug: fresh('mb').replace(/_/g, '-'), name: 'Matrix brand' }),
    expect: { any: row5(UNAUTH, 201, 201, 201, 201) },
  },
];

/** Issue 10: events, calendar feeds, polls, collaborations. */
const NO_EVENT: Outcome = [404, 'EVENT_NOT_FOUND'];
const NO_COLLABORATION: Outcome = [404, 'COLLABORATION_NOT_FOUND'];
const worldEvents = new Map<string, number>();
/** An event of the world, created by its owner (moderators create events by default); cached per world. */
async function eventOf(c: Ctx): Promise<string> {
  const { w, call } = c;
  if (w.communityId === GHOST_ID) return `/events/${GHOST_ID}`;
  let id = worldEvents.get(w.slug);
  if (!id) {
    const start = Date.UTC(2030, 0, 1, 18);
    const res = await ok(
      call(
        'POST',
        `/communities/${w.slug}/events`,
        {
          title: 'Matrix meetup',
          mode: 'online',
          onlineUrl: 'https://meet.example/matrix',
          startsAt: new Date(start).toISOString(),
          endsAt: new Date(start + 3_600_000).toISOString(),
          timeZone: 'Europe/Paris',
          capacity: 50,
        },
        w.cast.owner,
      ),
      201,
      'event',
    );
    id = res.body.id as number;
    worldEvents.set(w.slug, id);
  }
  return `/events/${id}`;
}
const pollOptions = new Map<number, number>();
/** The world's thread with a poll by its author; remembers an option to vote for. */
async function pollOf(c: Ctx): Promise<string> {
  const { w, call } = c;
  if (w.threadId !== GHOST_ID && !pollOptions.has(w.threadId)) {
    const res = await ok(
      call('POST', `/threads/${w.threadId}/poll`, { question: 'Which?', options: ['A', 'B'] }, w.cast.author),
      200,
      'poll',
    );
    pollOptions.set(w.threadId, res.body.poll.options[0].id);
  }
  return `/threads/${w.threadId}/poll`;
}
/**
 * A fresh partner community owned by the world's owner, with an active collaboration to the
 * world (the owner owns both, so both owners agree). Public unless `visibility` says otherwise.
 */
async function partnerOf(c: Ctx, visibility: Visibility = 'public'): Promise<string> {
  const { w, call } = c;
  const slug = fresh('partner-').replace(/_/g, '-');
  await ok(call('POST', '/communities', { slug, name: 'Partner', visibility }, w.cast.owner), 201, 'partner');
  const p = await ok(
    call('POST', `/communities/${slug}/collaborations`, { partner: w.slug }, w.cast.owner),
    201,
    'propose',
  );
  await ok(call('POST', `/collaborations/${p.body.id}/accept`, undefined, w.cast.owner), 200, 'accept');
  return slug;
}
const partnerSlugs = new Map<string, string>();
/** A collaboration proposed by a fresh community of the owner's to the world (waiting for the world's owner). */
async function proposalTo(c: Ctx): Promise<number> {
  const { w, call } = c;
  if (w.communityId === GHOST_ID) return GHOST_ID;
  const slug = fresh('proposer-').replace(/_/g, '-');
  await ok(call('POST', '/communities', { slug, name: 'Proposer' }, w.cast.owner), 201, 'proposer');
  const p = await ok(
    call('POST', `/communities/${slug}/collaborations`, { partner: w.slug }, w.cast.owner),
    201,
    'propose',
  );
  return p.body.id;
}
/** Shares the world's thread or event into a partner (by the owner) and returns the partner's slug. */
async function sharedWith(c: Ctx, kind: 'thread' | 'event'): Promise<string> {
  if (c.w.communityId === GHOST_ID) return 'no-such-partner';
  // A private world's share goes to a private partner, so outsiders still see nothing of it.
  const slug = await partnerOf(c, c.w.visibility);
  const target = kind === 'thread' ? `/threads/${c.w.threadId}/crossposts` : `${await eventOf(c)}/cohosts`;
  await ok(c.call('POST', target, { community: slug }, c.w.cast.owner), 200, 'share');
  return slug;
}
/** Private worlds share into a public partner only by the owner's explicit choice. */
const shareExpect = (hidden: Outcome) => ({
  public: row5(UNAUTH, FORBIDDEN, FORBIDDEN, 200, 200),
  private: row5(UNAUTH, hidden, FORBIDDEN, FORBIDDEN, 200),
});
const removeShareExpect = (hidden: Outcome) => ({
  public: row5(UNAUTH, FORBIDDEN, FORBIDDEN, 200, 200),
  private: row5(UNAUTH, hidden, FORBIDDEN, 200, 200),
});

const EVENTS_ROWS: Row[] = [
  {
    route: 'GET /communities/{slug}/events',
    path: (c) => `${slugOf(c)}/events`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/events',
    path: (c) => `${slugOf(c)}/events`,
    body: () => ({
      title: 'New meetup',
      mode: 'in_person',
      location: 'The park',
      startsAt: '2030-02-01T10:00:00Z',
      endsAt: '2030-02-01T12:00:00Z',
      timeZone: 'UTC',
    }),
    expect: {
      public: row5(UNAUTH, FORBIDDEN, FORBIDDEN, 201, 201),
      private: row5(UNAUTH, NO_COMMUNITY, FORBIDDEN, 201, 201),
    },
  },
  {
    route: 'GET /communities/{slug}/event-settings',
    path: (c) => `${slugOf(c)}/event-settings`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'PATCH /communities/{slug}/event-settings',
    path: (c) => `${slugOf(c)}/event-settings`,
    body: () => ({ createPolicy: 'members' }),
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'GET /communities/{slug}/events.ics',
    path: (c) => `${slugOf(c)}/events.ics`,
    readOnly: true,
    expect: readable(NO_COMMUNITY),
  },
  {
    route: 'GET /calendar/{file}',
    path: async ({ user, call }) => {
      if (!user) return '/calendar/hcal_not-a-token.ics';
      const t = await ok(call('POST', '/me/calendar', {}, user), 200, 'calendar token');
      return `/calendar/${t.body.token}.ics`;
    },
    expect: { any: row5([404, 'CALENDAR_TOKEN_NOT_FOUND'], 200, 200, 200, 200) },
  },
  {
    route: 'GET /me/calendar',
    path: () => '/me/calendar',
    readOnly: true,
    expect: { any: row5(UNAUTH, 200, 200, 200, 200) },
  },
  {
    route: 'POST /me/calendar',
    path: () => '/me/calendar',
    body: () => ({}),
    expect: { any: row5(UNAUTH, 200, 200, 200, 200) },
  },
  {
    route: 'DELETE /me/calendar',
    path: () => '/me/calendar',
    expect: { any: row5(UNAUTH, 200, 200, 200, 200) },
  },
  { route: 'GET /events/{id}', path: eventOf, readOnly: true, expect: readable(NO_EVENT) },
  {
    route: 'PATCH /events/{id}',
    path: eventOf,
    body: () => ({ title: 'Renamed meetup' }),
    expect: moderatorOnly(NO_EVENT),
  },
  {
    route: 'GET /events/{id}/event.ics',
    path: async (c) => `${await eventOf(c)}/event.ics`,
    readOnly: true,
    expect: readable(NO_EVENT),
  },
  {
    route: 'POST /events/{id}/rsvp',
    path: async (c) => `${await eventOf(c)}/rsvp`,
    body: () => ({ status: 'going' }),
    expect: memberWrite(NO_EVENT),
  },
  {
    route: 'GET /events/{id}/attendees',
    path: async (c) => `${await eventOf(c)}/attendees`,
    readOnly: true,
    expect: {
      public: row5(UNAUTH, NOT_MEMBER, 200, 200, 200),
      private: row5(UNAUTH, NO_EVENT, 200, 200, 200),
    },
  },
  {
    route: 'POST /events/{id}/checkins',
    path: async (c) => {
      const e = await eventOf(c);
      if (c.w.communityId !== GHOST_ID)
        await ok(c.call('POST', `${e}/rsvp`, { status: 'going' }, c.w.cast.author), 200, 'rsvp');
      return `${e}/checkins`;
    },
    body: ({ w }) => ({ username: w.cast.author.username }),
    expect: moderatorOnly(NO_EVENT),
  },
  { route: 'GET /threads/{id}/poll', path: pollOf, readOnly: true, expect: readable(NO_THREAD) },
  {
    route: 'POST /threads/{id}/poll',
    variant: "someone else's thread",
    path: (c) => `${threadOf(c)}/poll`,
    body: () => ({ question: 'Mine?', options: ['Yes', 'No'] }),
    expect: {
      public: row5(UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
      private: row5(UNAUTH, NO_THREAD, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    },
  },
  {
    route: 'POST /threads/{id}/poll',
    variant: 'own thread',
    path: async (c) => `/threads/${await authoredByActor(c, 'thread')}/poll`,
    body: () => ({ question: 'Mine?', options: ['Yes', 'No'] }),
    expect: authorOrModerator(NO_THREAD),
  },
  {
    route: 'POST /threads/{id}/poll/votes',
    path: async (c) => `${await pollOf(c)}/votes`,
    body: ({ w }) => ({ optionIds: [pollOptions.get(w.threadId) ?? 1] }),
    expect: memberWrite(NO_THREAD),
  },
];

const COLLABORATION_ROWS: Row[] = [
  {
    route: 'GET /communities/{slug}/collaborations',
    path: (c) => `${slugOf(c)}/collaborations`,
    readOnly: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/collaborations',
    path: async (c) => {
      if (c.w.communityId !== GHOST_ID) {
        const slug = fresh('invitee-').replace(/_/g, '-');
        await ok(
          c.call('POST', '/communities', { slug, name: 'Invitee' }, c.w.cast.outsider),
          201,
          'invitee',
        );
        partnerSlugs.set(c.w.slug, slug);
      }
      return `${slugOf(c)}/collaborations`;
    },
    body: ({ w }) => ({ partner: partnerSlugs.get(w.slug) ?? 'no-such-partner' }),
    expect: {
      public: row5(UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, 201),
      private: row5(UNAUTH, NO_COMMUNITY, FORBIDDEN, FORBIDDEN, 201),
    },
  },
  {
    route: 'POST /collaborations/{id}/accept',
    path: async (c) => `/collaborations/${await proposalTo(c)}/accept`,
    expect: {
      public: row5(UNAUTH, NO_COLLABORATION, NO_COLLABORATION, FORBIDDEN, 200),
      private: row5(UNAUTH, NO_COLLABORATION, NO_COLLABORATION, FORBIDDEN, 200),
    },
  },
  {
    route: 'POST /collaborations/{id}/end',
    path: async (c) => `/collaborations/${await proposalTo(c)}/end`,
    expect: {
      public: row5(UNAUTH, NO_COLLABORATION, NO_COLLABORATION, FORBIDDEN, 200),
      private: row5(UNAUTH, NO_COLLABORATION, NO_COLLABORATION, FORBIDDEN, 200),
    },
  },
  {
    route: 'GET /threads/{id}/crossposts',
    path: (c) => `${threadOf(c)}/crossposts`,
    readOnly: true,
    expect: readable(NO_THREAD),
  },
  {
    route: 'POST /threads/{id}/crossposts',
    path: async (c) => {
      if (c.w.communityId !== GHOST_ID) partnerSlugs.set(c.w.slug, await partnerOf(c));
      return `${threadOf(c)}/crossposts`;
    },
    body: ({ w }) => ({
      community: partnerSlugs.get(w.slug) ?? 'no-such-partner',
      confirmPrivateToPublic: true,
    }),
    expect: shareExpect(NO_THREAD),
  },
  {
    route: 'DELETE /threads/{id}/crossposts/{slug}',
    path: async (c) => `${threadOf(c)}/crossposts/${await sharedWith(c, 'thread')}`,
    expect: removeShareExpect(NO_THREAD),
  },
  {
    route: 'POST /events/{id}/cohosts',
    path: async (c) => {
      if (c.w.communityId !== GHOST_ID) partnerSlugs.set(c.w.slug, await partnerOf(c));
      return `${await eventOf(c)}/cohosts`;
    },
    body: ({ w }) => ({
      community: partnerSlugs.get(w.slug) ?? 'no-such-partner',
      confirmPrivateToPublic: true,
    }),
    expect: shareExpect(NO_EVENT),
  },
  {
    route: 'DELETE /events/{id}/cohosts/{slug}',
    path: async (c) => `${await eventOf(c)}/cohosts/${await sharedWith(c, 'event')}`,
    expect: removeShareExpect(NO_EVENT),
  },
];

const WRONG_PASSWORD: Outcome = [403, 'PASSWORD_INCORRECT'];
/** Issue 8: analytics (ingestion by anyone who can read; dashboard for moderators) and privacy (about the viewer). */
const ANALYTICS_ROWS: Row[] = [
  {
    route: 'POST /analytics/events',
    path: () => '/analytics/events',
    body: (c) => ({ events: [{ type: 'read', threadId: c.w.threadId, ms: 5000 }] }),
    expect: {
      public: row5(200, 200, 200, 200, 200),
      private: row5(NO_THREAD, NO_THREAD, 200, 200, 200),
    },
  },
  ...(['overview', 'retention', 'content', 'members'] as const).map(
    (section): Row => ({
      route: `GET /communities/{slug}/analytics/${section}`,
      path: (c) => `${slugOf(c)}/analytics/${section}?period=week`,
      readOnly: true,
      expect: moderatorOnly(NO_COMMUNITY),
    }),
  ),
  {
    route: 'GET /communities/{slug}/analytics/export',
    path: (c) => `${slugOf(c)}/analytics/export?table=summary&period=week`,
    readOnly: true,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  {
    route: 'POST /communities/{slug}/analytics/rebuild',
    path: (c) => `${slugOf(c)}/analytics/rebuild`,
    expect: moderatorOnly(NO_COMMUNITY),
  },
  { route: 'GET /me/consent', path: () => '/me/consent', readOnly: true, expect: { any: SIGNED_IN } },
  {
    route: 'PUT /me/consent',
    path: () => '/me/consent',
    body: () => ({ analytics: false }),
    expect: { any: SIGNED_IN },
  },
  { route: 'GET /me/export', path: () => '/me/export', readOnly: true, expect: { any: SIGNED_IN } },
  {
    // Never erases the matrix's cast: the wrong password proves who may ask, and that it is checked.
    route: 'POST /me/erase',
    path: () => '/me/erase',
    body: () => ({ password: 'not the password', content: 'anonymise' }),
    expect: { any: row5(UNAUTH, WRONG_PASSWORD, WRONG_PASSWORD, WRONG_PASSWORD, WRONG_PASSWORD) },
  },
];
/**
 * Issue 5: notifications, direct messages, password reset, the live endpoint. About the viewer
 * (an inbox, one's conversations); a conversation answers 404 to everyone outside it. The live
 * WebSocket's subscriptions have their own authorization tests (modules/realtime).
 */
const NO_CONVERSATION: Outcome = [404, 'CONVERSATION_NOT_FOUND'];
const PARTICIPANT_ONLY = row5(UNAUTH, NO_CONVERSATION, 200, NO_CONVERSATION, NO_CONVERSATION);
/** A direct conversation between the world's author and member (one per pair, reused). */
async function conversationOf(c: Ctx): Promise<{ id: number; messageId: number }> {
  const res = await ok(
    c.call(
      'POST',
      '/conversations',
      { usernames: [c.w.cast.member.username], body: 'matrix hello' },
      c.w.cast.author,
    ),
    201,
    'conversation',
  );
  return { id: res.body.conversation.id, messageId: res.body.message.id };
}
const REALTIME_ROWS: Row[] = [
  { route: 'GET /notifications', path: () => '/notifications', readOnly: true, expect: { any: SIGNED_IN } },
  {
    route: 'GET /notifications/unread-count',
    path: () => '/notifications/unread-count',
    readOnly: true,
    expect: { any: SIGNED_IN },
  },
  {
    route: 'POST /notifications/read',
    path: () => '/notifications/read',
    body: () => ({ all: true }),
    expect: { any: SIGNED_IN },
  },
  {
    route: 'GET /notifications/preferences',
    path: () => '/notifications/preferences',
    readOnly: true,
    expect: { any: SIGNED_IN },
  },
  {
    route: 'PATCH /notifications/preferences',
    path: () => '/notifications/preferences',
    body: () => ({ types: { follower: 'in_app' } }),
    expect: { any: SIGNED_IN },
  },
  ...(['GET', 'POST'] as const).map(
    (m): Row => ({
      // The token is the credential: the same answer for everyone, signed in or not.
      route: `${m} /notifications/unsubscribe`,
      path: () => '/notifications/unsubscribe?token=not-a-token-we-issued',
      readOnly: m === 'GET',
      expect: {
        any: row5(
          ...(Array(5).fill([400, 'INVALID_UNSUBSCRIBE_TOKEN']) as [
            Outcome,
            Outcome,
            Outcome,
            Outcome,
            Outcome,
          ]),
        ),
      },
    }),
  ),
  ...(['GET', 'POST', 'DELETE'] as const).map(
    (m): Row => ({
      route: `${m} /communities/{slug}/watch`,
      path: (c) => `${slugOf(c)}/watch`,
      readOnly: m === 'GET',
      expect: { public: SIGNED_IN, private: row5(UNAUTH, NO_COMMUNITY, 200, 200, 200) },
    }),
  ),
  { route: 'GET /conversations', path: () => '/conversations', readOnly: true, expect: { any: SIGNED_IN } },
  {
    // Writing to someone who accepts messages from everyone (who may write to whom: messaging.test.ts).
    route: 'POST /conversations',
    path: async (c) => {
      await ok(c.call('PATCH', '/messaging/settings', { allowFrom: 'everyone' }, c.w.cast.outsider));
      return '/conversations';
    },
    body: (c) => ({ usernames: [c.w.cast.outsider.username], body: 'hello' }),
    // The non-member belongs to no community, so nothing has unlocked direct messages for them.
    expect: { any: row5(UNAUTH, [403, 'TRUST_LEVEL_TOO_LOW'], 201, 201, 201) },
  },
  {
    route: 'GET /conversations/{id}',
    path: async (c) => `/conversations/${(await conversationOf(c)).id}`,
    expect: { any: PARTICIPANT_ONLY },
  },
  {
    route: 'GET /conversations/{id}/messages',
    path: async (c) => `/conversations/${(await conversationOf(c)).id}/messages`,
    expect: { any: PARTICIPANT_ONLY },
  },
  {
    route: 'POST /conversations/{id}/messages',
    path: async (c) => `/conversations/${(await conversationOf(c)).id}/messages`,
    body: () => ({ body: 'a reply' }),
    expect: { any: row5(UNAUTH, NO_CONVERSATION, 201, NO_CONVERSATION, NO_CONVERSATION) },
  },
  {
    route: 'POST /conversations/{id}/read',
    path: async (c) => `/conversations/${(await conversationOf(c)).id}/read`,
    expect: { any: PARTICIPANT_ONLY },
  },
  {
    route: 'POST /conversations/{id}/leave',
    path: async (c) => `/conversations/${(await conversationOf(c)).id}/leave`,
    expect: { any: PARTICIPANT_ONLY },
  },
  {
    route: 'POST /messages/{id}/report',
    path: async (c) => `/messages/${(await conversationOf(c)).messageId}/report`,
    body: () => ({ reason: 'spam' }),
    expect: {
      any: row5(
        UNAUTH,
        [404, 'MESSAGE_NOT_FOUND'],
        201,
        [404, 'MESSAGE_NOT_FOUND'],
        [404, 'MESSAGE_NOT_FOUND'],
      ),
    },
  },
  { route: 'GET /blocks', path: () => '/blocks', readOnly: true, expect: { any: SIGNED_IN } },
  ...(['POST', 'DELETE'] as const).map(
    (m): Row => ({
      route: `${m} /blocks/{username}`,
      path: (c) => `/blocks/${c.w.cast.outsider.username}`,
      expect: { any: SIGNED_IN },
    }),
  ),
  {
    route: 'GET /messaging/settings',
    path: () => '/messaging/settings',
    readOnly: true,
    expect: { any: SIGNED_IN },
  },
  {
    route: 'PATCH /messaging/settings',
    path: () => '/messaging/settings',
    body: () => ({ allowFrom: 'communities' }),
    expect: { any: SIGNED_IN },
  },
  {
    // Always 202: the answer never tells whether an account uses the address.
    route: 'POST /auth/password-reset',
    path: () => '/auth/password-reset',
    body: () => ({ email: `${fresh('pr')}@example.test` }),
    expect: { any: row5(202, 202, 202, 202, 202) },
  },
  {
    route: 'POST /auth/password-reset/confirm',
    path: () => '/auth/password-reset/confirm',
    body: () => ({ token: 'not-a-token-we-issued', password: 'long enough password' }),
    expect: {
      any: row5(
        ...(Array(5).fill([400, 'INVALID_RESET_TOKEN']) as [Outcome, Outcome, Outcome, Outcome, Outcome]),
      ),
    },
  },
  {
    // A plain GET: 426; the upgrade itself is tested in modules/realtime (same 401 for anonymous).
    route: 'GET /live',
    path: () => '/live',
    readOnly: true,
    expect: {
      any: row5(
        UNAUTH,
        [426, 'UPGRADE_REQUIRED'],
        [426, 'UPGRADE_REQUIRED'],
        [426, 'UPGRADE_REQUIRED'],
        [426, 'UPGRADE_REQUIRED'],
      ),
    },
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
  ...MODERATION_ROWS,
  ...PARTNERSHIP_ROWS,
  ...EVENTS_ROWS,
  ...COLLABORATION_ROWS,
  ...ANALYTICS_ROWS,
  ...REALTIME_ROWS,
  ...GAMIFICATION_MORE_ROWS,
];

const describeOutcome = (o: Outcome) => (typeof o === 'number' ? String(o) : `${o[0]} ${o[1]}`);
const rowName = (r: Row) => (r.variant ? `${r.route} (${r.variant})` : r.route);

/** Resolves the row's path (which may set up its target) and its body; `go` sends the request. */
async function prepare(c: Ctx, r: Row) {
  const method = r.route.split(' ')[0] as 'GET' | 'POST' | 'PATCH' | 'DELETE';
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
    // Starting a conversation is a trust level unlock: open it where the cast are members.
    await openDirectMessages(t.app, shared.public.slug, cast.owner);
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
