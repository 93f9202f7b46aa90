import { afterEach, describe, expect, it } from 'vitest';
import { api, createTestApp, createUser, type TestApp } from './harness.ts';

describe('security headers, rate limits, session rotation', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('sends a CSP without inline scripts, no framing, a referrer policy, and HSTS only over TLS', async () => {
    t = await createTestApp({ config: { trustProxy: true } });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    const csp = String(res.headers['content-security-policy']);
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
    expect(scriptSrc.trim()).toBe("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    const tls = await t.app.inject({
      method: 'GET',
      url: '/api/v1/health',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(tls.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    // Cookies set over TLS are Secure.
    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { username: 'tls_user', email: 'tls@example.test', password: 'long enough password' },
    });
    expect(signup.cookies.find((c) => c.name === 'hearth_session')?.secure).toBe(true);
  });

  it('limits writes per member and sign-ups per address, with the error contract and Retry-After', async () => {
    t = await createTestApp({ config: { rateLimit: { authPerHour: 3, writesPerMinute: 4 } } });
    const call = api(t.app);
    const a = await createUser(t.app, 'rl_a'); // sign-up 1 (+ 1 token write)
    const b = await createUser(t.app, 'rl_b'); // sign-up 2
    for (let i = 0; i < 3; i++) {
      expect((await call('PATCH', '/me', { bio: `bio ${i}` }, a)).status).toBe(200);
    }
    const limited = await call('PATCH', '/me', { bio: 'one too many' }, a);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Reads are not limited; another member has their own budget.
    expect((await call('GET', '/me', undefined, a)).status).toBe(200);
    expect((await call('PATCH', '/me', { bio: 'mine' }, b)).status).toBe(200);
    // The bio that was refused was not written.
    expect((await call('GET', '/me', undefined, a)).body.bio).toBe('bio 2');
    // Third sign-up from this address is allowed, the fourth is not.
    await createUser(t.app, 'rl_c');
    const fourth = await call('POST', '/auth/signup', {
      username: 'rl_d',
      email: 'rl_d@example.test',
      password: 'long enough password',
    });
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe('RATE_LIMITED');
    t.clock.advance(3_600_000);
  });

  it('rotates the session on log-in: the previous session ends', async () => {
    t = await createTestApp();
    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { username: 'rot_user', email: 'rot@example.test', password: 'long enough password' },
    });
    const old = Object.fromEntries(signup.cookies.map((c) => [c.name, c.value]));
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      cookies: old,
      headers: { 'x-csrf-token': old.hearth_csrf! },
      payload: { login: 'rot_user', password: 'long enough password' },
    });
    expect(login.statusCode).toBe(200);
    const fresh = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    expect(fresh.hearth_session).not.toBe(old.hearth_session);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          cookies: { hearth_session: old.hearth_session! },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          cookies: { hearth_session: fresh.hearth_session! },
        })
      ).statusCode,
    ).toBe(200);
  });
});
