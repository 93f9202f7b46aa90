import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUser, dialect, type TestApp } from '../../../test/harness.ts';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.ts';
import { MINUTE } from '../../platform/clock.ts';

/** Password reset by email, delivered to a real SMTP server on loopback. */
describe(`password reset (${dialect})`, () => {
  let t: TestApp;
  let sink: SmtpSink;
  const call = () => api(t.app);

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ config: { smtpUrl: sink.url, publicUrl: 'https://hearth.example' } as never });
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  const ask = async (email: string) => {
    const r = await call()('POST', '/auth/password-reset', { email });
    await t.app.mail.flush();
    return r;
  };
  const tokenFrom = async (email: string) => {
    const m = await sink.waitFor((x) => x.to.includes(email));
    sink.mails.splice(sink.mails.indexOf(m), 1);
    return /reset-password\?token=([\w-]+)/.exec(m.decoded)![1]!;
  };
  const login = (login: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password } });

  it('answers the same whether or not the address has an account', async () => {
    const unknown = await ask('nobody-here@example.test');
    const user = await createUser(t.app);
    const known = await ask(`${user.username}@example.test`);
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(sink.mails.some((m) => m.to.includes('nobody-here@example.test'))).toBe(false);
    const token = await tokenFrom(`${user.username}@example.test`);
    // Only the hash is stored.
    const rows = await t.db.selectFrom('password_resets').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
    const bad = await call()('POST', '/auth/password-reset', { email: 'not an email' });
    expect(bad.status).toBe(400);
  });

  it('sets a new password once, ends the other sessions and signs this browser in', async () => {
    const name = `reset_${Math.random().toString(36).slice(2, 8)}`;
    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { username: name, email: `${name}@example.test`, password: 'old password 123' },
    });
    const oldCookies = Object.fromEntries(signup.cookies.map((c) => [c.name, c.value]));
    await ask(`${name}@example.test`);
    const token = await tokenFrom(`${name}@example.test`);

    const short = await call()('POST', '/auth/password-reset/confirm', { token, password: 'short' });
    expect(short.status).toBe(400);
    const done = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: 'brand new password' },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().user.username).toBe(name);
    const fresh = Object.fromEntries(done.cookies.map((c) => [c.name, c.value]));
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: fresh })).statusCode).toBe(200);
    // The session from before is gone.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: oldCookies })).statusCode).toBe(
      401,
    );
    expect((await login(name, 'old password 123')).statusCode).toBe(401);
    expect((await login(name, 'brand new password')).statusCode).toBe(200);
    // Single use.
    const reuse = await call()('POST', '/auth/password-reset/confirm', {
      token,
      password: 'another password',
    });
    expect(reuse.body.error.code).toBe('INVALID_RESET_TOKEN');
  });

  it('expires tokens after an hour and sends at most three a hour per account', async () => {
    const user = await createUser(t.app);
    const email = `${user.username}@example.test`;
    await ask(email);
    const token = await tokenFrom(email);
    t.clock.advance(61 * MINUTE);
    const late = await call()('POST', '/auth/password-reset/confirm', {
      token,
      password: 'brand new password',
    });
    expect(late.body.error.code).toBe('INVALID_RESET_TOKEN');

    sink.mails.length = 0;
    for (let i = 0; i < 5; i++) expect((await ask(email)).status).toBe(202);
    expect(sink.mails.filter((m) => m.to.includes(email))).toHaveLength(3);
    const junk = await call()('POST', '/auth/password-reset/confirm', {
      token: 'x'.repeat(40),
      password: 'brand new password',
    });
    expect(junk.body.error.code).toBe('INVALID_RESET_TOKEN');
  });
});
