import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.ts';
import type { Clock } from './clock.ts';
import { DAY } from './clock.ts';
import { fail } from './errors.ts';

/**
 * Who is calling. Resolved once per request from the session cookie or a
 * personal API token (`Authorization: Bearer hth_...`).
 */
export interface Viewer {
  userId: number;
  username: string;
  isAdmin: boolean;
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
}

export const SESSION_COOKIE = 'hearth_session';
export const CSRF_COOKIE = 'hearth_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 30 * DAY;
const TOKEN_PREFIX = 'hth_';

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
export const newApiToken = (): string => TOKEN_PREFIX + randomToken(32);

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Creates a session row; returns the raw token (only its hash is stored) and its CSRF token. */
export async function createSession(db: Db, clock: Clock, userId: number) {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const now = clock.now();
  await db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: now + SESSION_TTL_MS,
      last_seen_at: now,
    })
    .execute();
  return { token, csrfToken, expiresAt: now + SESSION_TTL_MS };
}

export function setSessionCookies(
  reply: FastifyReply,
  request: FastifyRequest,
  s: { token: string; csrfToken: string; expiresAt: number },
) {
  const secure = request.protocol === 'https';
  const expires = new Date(s.expiresAt);
  reply.setCookie(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires });
  // Readable by the page's script, which echoes it in the X-CSRF-Token header (double submit).
  reply.setCookie(CSRF_COOKIE, s.csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure, expires });
}

export function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

async function fromBearer(db: Db, clock: Clock, token: string): Promise<Viewer> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.last_used_at',
      'users.id as user_id',
      'users.username',
      'users.is_admin',
    ])
    .where('api_tokens.token_hash', '=', sha256(token))
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) fail('UNAUTHENTICATED', 'The API token is invalid or was revoked');
  const now = clock.now();
  // Record use at most once a minute to keep reads cheap.
  if (!row.last_used_at || now - row.last_used_at > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { userId: row.user_id, username: row.username, isAdmin: row.is_admin === 1, via: 'token' };
}

async function fromSession(db: Db, clock: Clock, token: string): Promise<Viewer | null> {
  const now = clock.now();
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'users.id as user_id',
      'users.username',
      'users.is_admin',
    ])
    .where('sessions.id', '=', sha256(token))
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return null;
  if (now - row.last_seen_at > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
  }
  return {
    userId: row.user_id,
    username: row.username,
    isAdmin: row.is_admin === 1,
    via: 'session',
    sessionId: row.id,
    csrfToken: row.csrf_token,
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * onRequest hook: resolves request.viewer and enforces CSRF on cookie-authenticated
 * writes (double-submit token, compared with the one stored in the session).
 */
export function authHook(db: Db, clock: Clock) {
  return async (request: FastifyRequest) => {
    request.viewer = null;
    const header = request.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) fail('UNAUTHENTICATED', 'Authorization header must be "Bearer <token>"');
      request.viewer = await fromBearer(db, clock, m[1]!);
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const viewer = await fromSession(db, clock, cookie);
    if (!viewer) return;
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, viewer.csrfToken!)) {
        fail('CSRF_FAILED', `Missing or wrong ${CSRF_HEADER} header for a cookie-authenticated request`);
      }
    }
    request.viewer = viewer;
  };
}

/** The signed-in viewer, or a 401. */
export function requireViewer(request: FastifyRequest): Viewer {
  if (!request.viewer) fail('UNAUTHENTICATED', 'Sign in to do this');
  return request.viewer;
}
