import { hash, verify } from '@node-rs/argon2';
import type { Selectable } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { UsersTable } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { createSession, newApiToken, sha256 } from '../../platform/auth.ts';
import { type Clock, iso, isoOrNull, MINUTE } from '../../platform/clock.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { type Events, inTransaction } from '../../platform/events.ts';
import { ensureTags, normalizeTag } from '../../platform/tags.ts';
import * as q from './accounts.queries.ts';
import type { LoginBody, Me, PublicUser, SignupBody, UpdateMeBody } from './accounts.schema.ts';
import './accounts.events.ts';

export interface AccountsDeps {
  db: Db;
  events: Events;
  clock: Clock;
}

// Argon2id with OWASP's minimum (19 MiB, 2 iterations, 1 lane):
// OWASP Password Storage Cheat Sheet, "Argon2id".
const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Log-in throttling: per account (also for accounts that do not exist) and per IP. */
export const THROTTLE = { windowMs: 15 * MINUTE, perAccount: 5, perIp: 30 };

export const hashPassword = (password: string) => hash(password, ARGON2 as any);

let dummyHash: Promise<string> | null = null;

type UserRow = Selectable<UsersTable>;

export function presentUser(u: UserRow, interests: string[]): PublicUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    bio: u.bio,
    avatarUrl: u.avatar_url,
    interests,
    createdAt: iso(u.created_at),
  };
}

export async function presentMe(deps: AccountsDeps, u: UserRow, csrfToken: string | null): Promise<Me> {
  return {
    ...presentUser(u, await q.listInterests(deps.db, u.id)),
    email: u.email,
    isAdmin: u.is_admin === 1,
    csrfToken,
  };
}

/** Creates an account. The error for a taken username or email is the same, so emails cannot be probed. */
export async function signUp(deps: AccountsDeps, body: SignupBody, opts: { isAdmin?: boolean } = {}) {
  // The HTTP schema checks these too; the service checks them for its other callers (CLI, importers).
  if (!/^[A-Za-z0-9_]{3,30}$/.test(body.username))
    invalid('username', 'use 3-30 letters, digits or underscores');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email.trim())) invalid('email', 'is not an email address');
  if (body.password.length < 10) invalid('password', 'must have at least 10 characters');
  const username = body.username.toLowerCase();
  const email = body.email.trim().toLowerCase();
  const unavailable = () =>
    fail('ACCOUNT_UNAVAILABLE', 'That username or email cannot be used; choose another');
  if (await q.findUserByUsernameOrEmail(deps.db, username, email)) unavailable();
  const passwordHash = await hashPassword(body.password);
  const now = deps.clock.now();
  try {
    return await inTransaction(deps, async (trx) => {
      const user = await trx
        .insertInto('users')
        .values({
          username,
          email,
          password_hash: passwordHash,
          display_name: body.displayName?.trim() || body.username,
          bio: '',
          avatar_url: null,
          is_admin: opts.isAdmin ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await deps.events.emit(trx, 'accounts.user_signed_up', { userId: user.id, username });
      return user;
    });
  } catch (err) {
    // Lost a race with another sign-up for the same name: the unique index said no.
    if (/unique|duplicate/i.test(String((err as Error).message))) unavailable();
    throw err;
  }
}

/** Checks credentials with throttling; returns the user. Same error whether the account exists or not. */
export async function logIn(deps: AccountsDeps, body: LoginBody, ip: string) {
  const now = deps.clock.now();
  // Capped to the column's 254 characters: lower-casing can lengthen a string ('İ' -> 'i̇').
  const accountKey = [...body.login.trim().toLowerCase()].slice(0, 254).join('');
  const recent = await q.countRecentFailures(deps.db, accountKey, ip, now - THROTTLE.windowMs);
  const throttled = (oldest: number | null) => {
    const retry = Math.max(1, Math.ceil(((oldest ?? now) + THROTTLE.windowMs - now) / 1000));
    fail(
      'LOGIN_THROTTLED',
      `Too many failed sign-in attempts; try again in ${Math.ceil(retry / 60)} minute(s)`,
      {
        retryAfterSeconds: retry,
      },
    );
  };
  if (recent.account.n >= THROTTLE.perAccount) throttled(recent.account.oldest);
  if (recent.ip.n >= THROTTLE.perIp) throttled(recent.ip.oldest);

  const user = await q.findUserByLogin(deps.db, accountKey);
  // Verify against a dummy hash when there is no such user, so timing does not tell.
  dummyHash ??= hashPassword(`dummy-${Math.random()}`);
  const ok = await verify(user?.password_hash ?? (await dummyHash), body.password).catch(() => false);
  await q.recordLoginAttempt(deps.db, accountKey, ip, ok && !!user?.password_hash, now);
  if (!user || !user.password_hash || !ok) {
    fail('INVALID_CREDENTIALS', 'The username/email or password is incorrect');
  }
  return user;
}

export async function startSession(deps: AccountsDeps, userId: number) {
  return createSession(deps.db, deps.clock, userId);
}

export async function endSession(deps: AccountsDeps, viewer: Viewer) {
  if (viewer.sessionId) await deps.db.deleteFrom('sessions').where('id', '=', viewer.sessionId).execute();
}

export async function getMe(deps: AccountsDeps, viewer: Viewer): Promise<Me> {
  const u = await q.findUserById(deps.db, viewer.userId);
  if (!u) fail('UNAUTHENTICATED', 'This account no longer exists');
  return presentMe(deps, u, viewer.csrfToken ?? null);
}

export async function getProfile(deps: AccountsDeps, username: string): Promise<PublicUser> {
  const u = await q.findUserByUsername(deps.db, username);
  if (!u) fail('USER_NOT_FOUND', `No member named ${username}`);
  return presentUser(u, await q.listInterests(deps.db, u.id));
}

function checkAvatarUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    invalid('avatarUrl', 'must be an absolute http(s) URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') invalid('avatarUrl', 'must be an http(s) URL');
}

export async function updateProfile(deps: AccountsDeps, viewer: Viewer, body: UpdateMeBody): Promise<Me> {
  if (typeof body.avatarUrl === 'string') checkAvatarUrl(body.avatarUrl);
  if (body.displayName !== undefined && !body.displayName.trim()) invalid('displayName', 'must not be blank');
  const interests = body.interests?.map((t) => normalizeTag(t, 'interests'));
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await trx
      .updateTable('users')
      .set({
        ...(body.displayName !== undefined && { display_name: body.displayName.trim() }),
        ...(body.bio !== undefined && { bio: body.bio }),
        ...(body.avatarUrl !== undefined && { avatar_url: body.avatarUrl }),
        updated_at: now,
      })
      .where('id', '=', viewer.userId)
      .execute();
    if (interests) {
      const ids = await ensureTags(trx, interests, now);
      await q.replaceInterests(trx, viewer.userId, [...ids.values()]);
    }
    await deps.events.emit(trx, 'accounts.profile_updated', { userId: viewer.userId });
  });
  return getMe(deps, viewer);
}

export async function createToken(deps: AccountsDeps, viewer: Viewer, name: string) {
  const token = newApiToken();
  const now = deps.clock.now();
  const row = await deps.db
    .insertInto('api_tokens')
    .values({ user_id: viewer.userId, name, token_hash: sha256(token), created_at: now })
    .returning(['id', 'name', 'created_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, createdAt: iso(row.created_at), lastUsedAt: null, token };
}

export async function listTokens(deps: AccountsDeps, viewer: Viewer) {
  return (await q.listTokens(deps.db, viewer.userId)).map((t) => ({
    id: t.id,
    name: t.name,
    createdAt: iso(t.created_at),
    lastUsedAt: isoOrNull(t.last_used_at),
  }));
}

export async function revokeToken(deps: AccountsDeps, viewer: Viewer, id: number) {
  const res = await deps.db
    .updateTable('api_tokens')
    .set({ revoked_at: deps.clock.now() })
    .where('id', '=', id)
    .where('user_id', '=', viewer.userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) fail('TOKEN_NOT_FOUND', 'No such token');
}

/** Housekeeping job: forget old log-in attempts and expired sessions. */
export async function pruneAuthTables(deps: AccountsDeps) {
  const now = deps.clock.now();
  await q.deleteLoginAttemptsBefore(deps.db, now - 24 * 60 * MINUTE);
  await q.deleteExpiredSessions(deps.db, now);
}
