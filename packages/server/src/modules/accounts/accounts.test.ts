import type { LightMyRequestResponse as Response } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp } from '../../../test/harness.ts';
import { sha256 } from '../../platform/auth.ts';
import { DAY, MINUTE } from '../../platform/clock.ts';
import { THROTTLE } from './accounts.service.ts';

const PASSWORD = 'correct horse battery';
type Jar = Record<string, string>;
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

let n = 0;
/** A fresh name per test: the suite shares one database. */
const uniq = (base: string) => `${base}_${++n}`;
/** A fresh client IP per test, so per-IP throttling never leaks between tests. */
const freshIp = () => `10.0.${++n}.7`;

const jarOf = (res: Response): Jar => Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
const setCookie = (res: Response, name: string): string => {
  const all = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const line = all.find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`no Set-Cookie for ${name}: ${JSON.stringify(all)}`);
  return line;
};

/**
 * One API call. With a cookie jar the X-CSRF-Token header is sent from the jar
 * unless `csrf` says otherwise (a string to send instead, or false for none).
 */
async function call(
  method: Method,
  url: string,
  o: {
    payload?: object;
    jar?: Jar;
    csrf?: string | false;
    headers?: Record<string, string>;
    ip?: string;
  } = {},
) {
  const headers: Record<string, string> = { ...o.headers };
  if (o.jar && o.csrf !== false) headers['x-csrf-token'] = o.csrf ?? o.jar.hearth_csrf ?? '';
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    ...(o.jar && { cookies: o.jar }),
    ...(o.payload && { payload: o.payload }),
    ...(o.ip && { remoteAddress: o.ip }),
  });
  return Object.assign(res, { body: res.body ? res.json() : null });
}

async function signUp(username: string, extra: { email?: string; displayName?: string } = {}) {
  const res = await call('POST', '/auth/signup', {
    payload: { username, email: extra.email ?? `${username}@example.test`, password: PASSWORD, ...extra },
  });
  expect(res.statusCode, res.payload).toBe(201);
  return { res, jar: jarOf(res), user: res.body.user };
}

const logIn = (login: string, password: string, ip: string) =>
  call('POST', '/auth/login', { payload: { login, password }, ip });

const outbox = async (type: string) =>
  (await t.db.selectFrom('outbox').select('payload').where('type', '=', type).orderBy('id').execute()).map(
    (r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload),
  );

describe('sign-up', () => {
  it('creates the account, signs in with cookies and never returns the password', async () => {
    const name = uniq('Ada');
    const { res, jar, user } = await signUp(name, { email: `${name}@Example.TEST`, displayName: 'Ada L.' });
    expect(user).toMatchObject({ username: name.toLowerCase(), email: `${name.toLowerCase()}@example.test` });
    expect(user).toMatchObject({
      displayName: 'Ada L.',
      bio: '',
      avatarUrl: null,
      interests: [],
      isAdmin: false,
    });
    expect(res.payload).not.toMatch(/password|argon2|correct horse/i);

    const session = setCookie(res, 'hearth_session');
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
    expect(session).toMatch(/; Path=\/(;|$)/);
    expect(session).not.toMatch(/; Secure/i); // plain HTTP here
    const expires = Date.parse(/Expires=([^;]+)/.exec(session)![1]!);
    expect(Math.abs(expires - (t.clock.now() + 30 * DAY))).toBeLessThan(1000);
    const csrf = setCookie(res, 'hearth_csrf');
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(csrf).toMatch(/; SameSite=Lax/i);
    expect(csrf).toMatch(/; Path=\/(;|$)/);
    expect(user.csrfToken).toBe(jar.hearth_csrf);

    const row = await t.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // Only the session token's hash is stored.
    const ids = (await t.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).map(
      (s) => s.id,
    );
    expect(ids).toEqual([sha256(jar.hearth_session!)]);
    expect(await outbox('accounts.user_signed_up')).toContainEqual({
      userId: user.id,
      username: name.toLowerCase(),
    });

    const me = await call('GET', '/me', { jar, csrf: false });
    expect(me.statusCode).toBe(200);
    expect(me.body.username).toBe(name.toLowerCase());
  });

  it('marks the cookies Secure behind TLS (trusted proxy)', async () => {
    const tls = await createTestApp({ config: { databaseUrl: null, trustProxy: true } });
    try {
      const res = await tls.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'tls_user', email: 'tls@example.test', password: PASSWORD },
      });
      expect(res.statusCode).toBe(201);
      expect(setCookie(res, 'hearth_session')).toMatch(/; Secure/i);
      expect(setCookie(res, 'hearth_csrf')).toMatch(/; Secure/i);
    } finally {
      await tls.close();
    }
  });

  it('answers a taken username or email with the same 409, case-insensitively', async () => {
    const name = uniq('Taken');
    await signUp(name);
    const byName = await call('POST', '/auth/signup', {
      payload: { username: name.toUpperCase(), email: `other_${name}@example.test`, password: PASSWORD },
    });
    const byEmail = await call('POST', '/auth/signup', {
      payload: { username: uniq('fresh'), email: `${name.toUpperCase()}@EXAMPLE.test`, password: PASSWORD },
    });
    expect(byName.statusCode).toBe(409);
    expect(byName.body.error.code).toBe('ACCOUNT_UNAVAILABLE');
    expect(byEmail.statusCode).toBe(409);
    expect(byEmail.body).toEqual(byName.body); // no hint which of the two is taken
    expect(byName.headers['set-cookie']).toBeUndefined();
  });

  it('gives one 201 and one 409 (never a 500) to two simultaneous sign-ups for one name', async () => {
    const name = uniq('race');
    const both = await Promise.all(
      [1, 2].map((i) =>
        call('POST', '/auth/signup', {
          payload: { username: name, email: `${name}${i}@example.test`, password: PASSWORD },
        }),
      ),
    );
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it.each([
    ['username', { username: 'no spaces' }],
    ['username', { username: 'ab' }],
    ['username', { username: 'x'.repeat(31) }],
    ['email', { email: 'not-an-email' }],
    ['password', { password: 'short' }],
    ['password', { password: undefined }],
  ])('rejects a bad %s with a 400 naming it', async (field, override) => {
    const name = uniq('valid');
    const payload = { username: name, email: `${name}@example.test`, password: PASSWORD, ...override };
    const res = await call('POST', '/auth/signup', { payload });
    expect(res.statusCode).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain(field);
    expect(res.body.error.field).toMatch(new RegExp(`(^|\\.)${field}$`));
    expect(
      await t.db.selectFrom('users').select('id').where('email', '=', payload.email).executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe('log-in', () => {
  it('accepts the username or the email in any case and starts a new session', async () => {
    const name = uniq('Lou');
    const { jar: first } = await signUp(name);
    for (const login of [name.toUpperCase(), `  ${name}@EXAMPLE.test `]) {
      const res = await logIn(login, PASSWORD, freshIp());
      expect(res.statusCode).toBe(200);
      expect(res.body.user.username).toBe(name.toLowerCase());
      const jar = jarOf(res);
      expect(jar.hearth_session).toBeTruthy();
      expect(jar.hearth_session).not.toBe(first.hearth_session);
      expect(res.body.user.csrfToken).toBe(jar.hearth_csrf);
      expect(setCookie(res, 'hearth_session')).toMatch(/HttpOnly/i);
    }
  });

  it('gives the same 401 for a wrong password, an unknown account and a password-less account', async () => {
    const name = uniq('Wes');
    const { user } = await signUp(name);
    const ip = freshIp();
    const wrong = await logIn(name, 'not the password', ip);
    const unknown = await logIn(uniq('nobody'), 'not the password', ip);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: expect.any(String) } });
    expect(unknown.body).toEqual(wrong.body);
    await t.db.updateTable('users').set({ password_hash: null }).where('id', '=', user.id).execute();
    expect((await logIn(name, PASSWORD, ip)).body).toEqual(wrong.body);
  });

  it('throttles an account after 5 failures in 15 minutes, even the right password, then lifts', async () => {
    expect(THROTTLE).toMatchObject({ perAccount: 5, windowMs: 15 * MINUTE });
    const name = uniq('Tam');
    await signUp(name);
    const ip = freshIp();
    // Spelling does not matter: the key is the trimmed, lower-cased login.
    for (const login of [name, name, name.toUpperCase(), ` ${name}`, name]) {
      expect((await logIn(login, 'wrong password!', ip)).statusCode).toBe(401);
    }
    const throttled = await logIn(name, 'wrong password!', ip);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.body.error.code).toBe('LOGIN_THROTTLED');
    expect(throttled.headers['retry-after']).toBe('900');
    const right = await logIn(name, PASSWORD, freshIp()); // per account: another IP does not help
    expect(right.statusCode).toBe(429);
    expect(right.headers['set-cookie']).toBeUndefined();

    t.clock.advance(15 * MINUTE - 1000);
    const late = await logIn(name, PASSWORD, ip);
    expect(late.statusCode).toBe(429);
    expect(late.headers['retry-after']).toBe('1');
    t.clock.advance(1000);
    expect((await logIn(name, PASSWORD, ip)).statusCode).toBe(200);
  });

  it('throttles a non-existent account exactly like a real one', async () => {
    const real = uniq('Real');
    await signUp(real);
    const run = async (login: string, ip = freshIp()) => {
      const out: { status: number; body: unknown; retry: unknown }[] = [];
      for (let i = 0; i <= THROTTLE.perAccount; i++) {
        const r = await logIn(login, 'wrong password!', ip);
        out.push({ status: r.statusCode, body: r.body, retry: r.headers['retry-after'] });
      }
      return out;
    };
    const forReal = await run(real);
    const forGhost = await run(uniq('ghost'));
    expect(forGhost.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(forGhost).toEqual(forReal);
  });

  it('throttles one IP after 30 failures across accounts, for that IP only', async () => {
    const name = uniq('Ivy');
    await signUp(name);
    const ip = freshIp();
    for (let i = 0; i < THROTTLE.perIp; i++) {
      expect((await logIn(`spray${i}_${n}`, 'wrong password!', ip)).statusCode).toBe(401);
    }
    const blocked = await logIn(name, PASSWORD, ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body.error.code).toBe('LOGIN_THROTTLED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await logIn(name, PASSWORD, freshIp())).statusCode).toBe(200);
  });

  it('handles a login that grows when lower-cased (401, then throttled), not a 500', async () => {
    const login = 'İ'.repeat(200); // 'İ'.toLowerCase() is two characters: 400 > the 254-character column
    const ip = freshIp();
    for (let i = 0; i < THROTTLE.perAccount; i++)
      expect((await logIn(login, 'whatever!!', ip)).statusCode).toBe(401);
    expect((await logIn(login, 'whatever!!', ip)).statusCode).toBe(429);
  });
});

describe('log-out', () => {
  it('deletes the session: the old cookie no longer authenticates', async () => {
    const name = uniq('Leo');
    const { jar: other } = await signUp(name);
    const jar = jarOf(await logIn(name, PASSWORD, freshIp()));
    const out = await call('POST', '/auth/logout', { jar });
    expect(out.statusCode).toBe(200);
    expect(out.body).toEqual({ ok: true });
    expect(setCookie(out, 'hearth_session')).toMatch(
      /hearth_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/,
    );
    expect(
      await t.db.selectFrom('sessions').select('id').where('id', '=', sha256(jar.hearth_session!)).execute(),
    ).toEqual([]);
    const me = await call('GET', '/me', { jar, csrf: false });
    expect(me.statusCode).toBe(401);
    expect(me.body.error.code).toBe('UNAUTHENTICATED');
    expect((await call('GET', '/me', { jar: other })).statusCode).toBe(200); // other sessions live on
  });

  it('refuses a log-out without the CSRF token and keeps the session', async () => {
    const { jar } = await signUp(uniq('Mo'));
    expect((await call('POST', '/auth/logout', { jar, csrf: false })).statusCode).toBe(403);
    expect((await call('GET', '/me', { jar })).statusCode).toBe(200);
  });
});

describe('CSRF (double submit) on cookie-authenticated writes', () => {
  it('requires the right X-CSRF-Token on POST, PATCH and DELETE, and none on GET', async () => {
    const { jar } = await signUp(uniq('Cy'));
    const { jar: otherSession } = await signUp(uniq('Cz'));
    const wrongs: (string | false)[] = [
      false,
      'nope',
      'x'.repeat(jar.hearth_csrf!.length),
      otherSession.hearth_csrf!,
    ];
    for (const csrf of wrongs) {
      for (const [method, url, payload] of [
        ['POST', '/me/tokens', { name: 'x' }],
        ['PATCH', '/me', { bio: 'forged' }],
        ['DELETE', '/me/tokens/1', undefined],
      ] as const) {
        const res = await call(method, url, { jar, csrf, payload });
        expect(res.statusCode, `${method} ${url} csrf=${csrf}`).toBe(403);
        expect(res.body.error.code).toBe('CSRF_FAILED');
      }
    }
    const me = await call('GET', '/me', { jar, csrf: false });
    expect(me.statusCode).toBe(200);
    expect(me.body.bio).toBe(''); // the forged PATCH changed nothing
    expect((await call('GET', '/me/tokens', { jar, csrf: false })).body.items).toEqual([]);

    expect((await call('PATCH', '/me', { jar, payload: { bio: 'mine' } })).body.bio).toBe('mine');
    const created = await call('POST', '/me/tokens', { jar, payload: { name: 'x' } });
    expect(created.statusCode).toBe(201);
    expect((await call('DELETE', `/me/tokens/${created.body.id}`, { jar })).statusCode).toBe(200);
  });

  it('needs no CSRF token for Bearer-token requests', async () => {
    const u = await createUser(t.app, uniq('bea'));
    expect((await call('PATCH', '/me', { headers: u.headers, payload: { bio: 'via token' } })).body.bio).toBe(
      'via token',
    );
    expect(
      (await call('POST', '/me/tokens', { headers: u.headers, payload: { name: 'ci' } })).statusCode,
    ).toBe(201);
  });

  it('treats an unknown session cookie as anonymous (401, not 403)', async () => {
    const res = await call('PATCH', '/me', {
      jar: { hearth_session: 'forged', hearth_csrf: 'forged' },
      payload: { bio: 'x' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('personal API tokens', () => {
  it('creates (shown once), lists without the value, authenticates, and revokes', async () => {
    const { jar, user } = await signUp(uniq('Tok'));
    const created = await call('POST', '/me/tokens', { jar, payload: { name: 'laptop script' } });
    expect(created.statusCode).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^hth_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ name: 'laptop script', lastUsedAt: null });
    const row = await t.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));

    const bearer = { authorization: `Bearer ${token}` };
    const me = await call('GET', '/me', { headers: bearer });
    expect(me.statusCode).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, csrfToken: null });

    const list = await call('GET', '/me/tokens', { jar });
    expect(list.body.items).toHaveLength(1);
    expect(Object.keys(list.body.items[0]).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name']);
    expect(list.body.items[0].lastUsedAt).toBe(new Date(t.clock.now()).toISOString());
    expect(list.payload).not.toContain(token);
    expect(list.payload).not.toContain('hth_');

    expect((await call('DELETE', `/me/tokens/${created.body.id}`, { headers: bearer })).statusCode).toBe(200);
    const after = await call('GET', '/me', { headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
    expect((await call('GET', '/me/tokens', { jar })).body.items).toEqual([]);
    const again = await call('DELETE', `/me/tokens/${created.body.id}`, { jar });
    expect(again.statusCode).toBe(404);
    expect(again.body.error.code).toBe('TOKEN_NOT_FOUND');
  });

  it("answers 404 TOKEN_NOT_FOUND for someone else's token and leaves it working", async () => {
    const owner = await createUser(t.app, uniq('own'));
    const thief = await createUser(t.app, uniq('thf'));
    const { id } = (await call('POST', '/me/tokens', { headers: owner.headers, payload: { name: 'mine' } }))
      .body;
    const res = await call('DELETE', `/me/tokens/${id}`, { headers: thief.headers });
    expect(res.statusCode).toBe(404);
    expect(res.body.error.code).toBe('TOKEN_NOT_FOUND');
    expect(
      (await call('GET', '/me/tokens', { headers: owner.headers })).body.items.map((i: any) => i.id),
    ).toContain(id);
  });

  it.each([
    'Basic dXNlcjpwYXNz',
    'Bearer',
    'Bearer a b',
    'hth_abc',
    'Bearer hth_unknown',
  ])('refuses Authorization: %s with 401, even next to a valid session cookie', async (authorization) => {
    const { jar } = await signUp(uniq('Hdr'));
    const res = await call('GET', '/me', { jar, headers: { authorization } });
    expect(res.statusCode).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('profile', () => {
  it('updates displayName, bio, avatarUrl and interests (as normalized tags)', async () => {
    const u = await createUser(t.app, uniq('Pia'));
    const res = await call('PATCH', '/me', {
      headers: u.headers,
      payload: {
        displayName: '  Pia P.  ',
        bio: 'Rides gravel.',
        avatarUrl: 'https://img.example.test/pia.png',
        interests: ['#Cycling', ' Mountain-Bikes ', 'cycling', `#${'a'.repeat(32)}`],
      },
    });
    expect(res.statusCode).toBe(200);
    const want = {
      displayName: 'Pia P.',
      bio: 'Rides gravel.',
      avatarUrl: 'https://img.example.test/pia.png',
      interests: ['a'.repeat(32), 'cycling', 'mountain-bikes'],
    };
    expect(res.body).toMatchObject(want);
    expect((await call('GET', '/me', { headers: u.headers })).body).toMatchObject(want);
    expect((await call('GET', `/users/${u.username}`)).body).toMatchObject(want);
    expect(await outbox('accounts.profile_updated')).toContainEqual({ userId: u.id });

    // null (or an emptied form field) clears the avatar to a real NULL, never "".
    for (const avatarUrl of [null, '']) {
      await call('PATCH', '/me', {
        headers: u.headers,
        payload: { avatarUrl: 'https://img.example.test/2.png' },
      });
      const cleared = await call('PATCH', '/me', {
        headers: u.headers,
        payload: { avatarUrl, interests: [] },
      });
      expect(cleared.body).toMatchObject({ avatarUrl: null, interests: [], bio: 'Rides gravel.' });
      const row = await t.db
        .selectFrom('users')
        .select('avatar_url')
        .where('id', '=', u.id)
        .executeTakeFirstOrThrow();
      expect(row.avatar_url).toBeNull();
    }
  });

  it.each([
    ['avatarUrl', { avatarUrl: 'javascript:alert(1)' }],
    ['avatarUrl', { avatarUrl: 'not a url' }],
    ['avatarUrl', { avatarUrl: 'ftp://files.example.test/a.png' }],
    ['avatarUrl', { avatarUrl: 'data:image/png;base64,AAAA' }],
    ['interests', { interests: ['fine', 'bad tag!'] }],
    ['interests', { interests: ['a'.repeat(33)] }],
    ['interests', { interests: ['#'] }],
    ['displayName', { displayName: '   ' }],
  ])('rejects a bad %s with a 400 naming it and changes nothing', async (field, payload) => {
    const name = uniq('Bad');
    const u = await createUser(t.app, name);
    await call('PATCH', '/me', {
      headers: u.headers,
      payload: { avatarUrl: 'https://x.test/a.png', interests: ['keep'] },
    });
    const res = await call('PATCH', '/me', { headers: u.headers, payload: { bio: 'changed?', ...payload } });
    expect(res.statusCode).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(res.body.error.message).toContain(field);
    const me = (await call('GET', '/me', { headers: u.headers })).body;
    expect(me).toMatchObject({
      bio: '',
      avatarUrl: 'https://x.test/a.png',
      interests: ['keep'],
      displayName: name,
    });
  });

  it('shows public fields but never the email; lookups ignore case', async () => {
    const name = uniq('Quinn');
    await signUp(name, { email: `secret_${name}@example.test` });
    const res = await call('GET', `/users/${name.toUpperCase()}`);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([
      'avatarUrl',
      'bio',
      'createdAt',
      'displayName',
      'id',
      'interests',
      'username',
    ]);
    expect(res.body.username).toBe(name.toLowerCase());
    expect(res.payload).not.toContain('secret_');
    expect(res.payload).not.toMatch(/email|password|csrf/i);
  });

  it('answers 404 USER_NOT_FOUND for an unknown member and 401 to anonymous PATCH /me', async () => {
    const res = await call('GET', '/users/nobody_here');
    expect(res.statusCode).toBe(404);
    expect(res.body.error.code).toBe('USER_NOT_FOUND');
    expect((await call('PATCH', '/me', { payload: { bio: 'x' } })).statusCode).toBe(401);
    expect((await call('GET', '/me')).statusCode).toBe(401);
  });
});

describe('session lifetime', () => {
  it('expires 30 days after sign-in, whatever the activity', async () => {
    const { jar } = await signUp(uniq('Eve'));
    t.clock.advance(30 * DAY - MINUTE);
    expect((await call('GET', '/me', { jar })).statusCode).toBe(200);
    t.clock.advance(MINUTE);
    const res = await call('GET', '/me', { jar });
    expect(res.statusCode).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    // An expired session is anonymous, so a write is a 401 rather than a CSRF 403.
    expect((await call('PATCH', '/me', { jar, payload: { bio: 'x' } })).statusCode).toBe(401);
  });
});
