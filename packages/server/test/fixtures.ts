import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { ErrorCode } from '../src/platform/errors.ts';
import { api, createUser, type TestUser } from './harness.ts';

/**
 * Fixtures for the authorization and privacy suites: a cast of users signed up
 * once per file, and "worlds" (a community with its members, one thread and one
 * comment) built through the HTTP API, cheap enough to build one per test row.
 */

export type Actor = 'anonymous' | 'nonMember' | 'member' | 'moderator' | 'owner';
export const ACTORS: readonly Actor[] = ['anonymous', 'nonMember', 'member', 'moderator', 'owner'];
export type Visibility = 'public' | 'private';

export type Call = ReturnType<typeof api>;
export type Res = Awaited<ReturnType<Call>>;

export interface Cast {
  owner: TestUser;
  moderator: TestUser;
  member: TestUser;
  nonMember: TestUser;
  /** An active plain member who writes the world's thread and comment (so they are "someone else's"). */
  author: TestUser;
  /** Never a member anywhere: the target of invitations. */
  outsider: TestUser;
  /** Asks to join (pending request) in worlds built with `pending: true`. */
  applicant: TestUser;
}

/** Signs the cast up in parallel (argon2 runs on libuv's pool). */
export async function createCast(app: FastifyInstance): Promise<Cast> {
  const names = ['owner', 'moderator', 'member', 'nonMember', 'author', 'outsider', 'applicant'] as const;
  const users = await Promise.all(names.map(() => createUser(app)));
  return Object.fromEntries(names.map((n, i) => [n, users[i]!])) as unknown as Cast;
}

/** The user an actor acts as; null for anonymous. */
export const userOf = (cast: Cast, actor: Actor): TestUser | null =>
  actor === 'anonymous' ? null : cast[actor];

export interface World {
  cast: Cast;
  visibility: Visibility;
  slug: string;
  communityId: number;
  /** A thread by `author` (edited once, so it has a revision, when built with `edited`). */
  threadId: number;
  /** A top-level comment by `author` on that thread (edited once with `edited`). */
  commentId: number;
}

let worlds = 0;

/** Fails with the response in the message, so a broken fixture step says which and why. */
export async function ok(res: Promise<Res> | Res, status = 200, what = 'fixture step'): Promise<Res> {
  const r = await res;
  if (r.status !== status)
    throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

/**
 * A community as the matrix needs it: owner, an active moderator (promoted by
 * the owner), an active member, an active author with a thread and a comment.
 * Private worlds are invite-only and their members get there by invitation.
 * `pending: true` also leaves `applicant` with a pending request to join; a
 * private community cannot receive requests, so that world starts public with
 * joinPolicy "request" and the owner makes it private afterwards.
 */
export async function buildWorld(
  app: FastifyInstance,
  cast: Cast,
  visibility: Visibility,
  opts: { pending?: boolean; edited?: boolean } = {},
): Promise<World> {
  const call = api(app);
  const slug = `w${++worlds}-${visibility}-${Math.random().toString(36).slice(2, 8)}`;
  const { owner } = cast;
  const joiners = [cast.moderator, cast.member, cast.author];
  let created: Res;
  if (visibility === 'private' && !opts.pending) {
    created = await ok(
      call('POST', '/communities', { slug, name: `World ${slug}`, visibility }, owner),
      201,
      'create',
    );
    await Promise.all(
      joiners.map(async (u) => {
        await ok(
          call('POST', `/communities/${slug}/invites`, { username: u.username }, owner),
          200,
          'invite',
        );
        await ok(call('POST', `/communities/${slug}/join`, {}, u), 200, 'accept invitation');
      }),
    );
  } else {
    created = await ok(call('POST', '/communities', { slug, name: `World ${slug}` }, owner), 201, 'create');
    await Promise.all(joiners.map((u) => ok(call('POST', `/communities/${slug}/join`, {}, u), 200, 'join')));
    if (opts.pending) {
      await ok(
        call('PATCH', `/communities/${slug}`, { joinPolicy: 'request' }, owner),
        200,
        'request policy',
      );
      const req = await ok(call('POST', `/communities/${slug}/join`, {}, cast.applicant), 200, 'ask to join');
      expect(req.body.status).toBe('pending');
      if (visibility === 'private') {
        const flip = { visibility: 'private', joinPolicy: 'invite' };
        await ok(call('PATCH', `/communities/${slug}`, flip, owner), 200, 'make private');
      }
    }
  }
  await ok(
    call('PATCH', `/communities/${slug}/members/${cast.moderator.username}`, { role: 'moderator' }, owner),
    200,
    'promote moderator',
  );
  const thread = await ok(
    call('POST', `/communities/${slug}/threads`, { title: 'A thread', body: 'Thread body' }, cast.author),
    201,
    'thread',
  );
  const comment = await ok(
    call('POST', `/threads/${thread.body.id}/comments`, { body: 'A comment' }, cast.author),
    201,
    'comment',
  );
  if (opts.edited) {
    await ok(
      call('PATCH', `/threads/${thread.body.id}`, { body: 'Thread body, edited' }, cast.author),
      200,
      'edit',
    );
    await ok(
      call('PATCH', `/comments/${comment.body.id}`, { body: 'A comment, edited' }, cast.author),
      200,
      'edit',
    );
  }
  return {
    cast,
    visibility,
    slug,
    communityId: created.body.id,
    threadId: thread.body.id,
    commentId: comment.body.id,
  };
}

export const GHOST_ID = 2_000_000_000;

/** A world whose community, thread and comment do not exist: what outsiders must not tell apart from private ones. */
export const ghostWorld = (cast: Cast): World => ({
  cast,
  visibility: 'private',
  slug: 'no-such-community',
  communityId: GHOST_ID,
  threadId: GHOST_ID,
  commentId: GHOST_ID,
});

/** Asserts the one error body shape (DESIGN rule 8) with the given status and code. */
export function expectError(res: Res, status: number, code: ErrorCode): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { error: { code, message: expect.any(String) } },
  });
  expect(res.body.error.message.length).toBeGreaterThan(0);
}

/** Cookies from a response's Set-Cookie headers, by name. */
export function cookiesOf(res: { cookies: { name: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
}

/**
 * Lets every member of a community start direct messages (its `unlocks.directMessages` set to
 * trust level 0), for suites about messaging rather than trust: new accounts are trust level 0
 * and may otherwise only answer conversations others start.
 */
export async function openDirectMessages(app: FastifyInstance, slug: string, owner: TestUser): Promise<void> {
  await ok(
    api(app)('PATCH', `/communities/${slug}/moderation/settings`, { unlocks: { directMessages: 0 } }, owner),
    200,
    'open direct messages',
  );
}
