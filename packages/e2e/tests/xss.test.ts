import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, shot } from '../src/browser.ts';
import { dialect, ensureWebBuild, type RunningServer, startServer } from '../src/server.ts';

/**
 * Stored XSS in the web app: the payloads of test/xss.test.ts (server side), rewritten to
 * leave a trace (`window.__xss`, a dialog) instead of alert(1), go through every text field a
 * member can fill (display name, bio, community name, description, guidelines, thread titles
 * and bodies, tags, comments). Then chromium opens every page that shows them, anonymous and
 * signed in, with the Content-Security-Policy bypassed so the CSP cannot hide an injection:
 * no payload runs, no element carries an event handler, no javascript: link, frame or
 * object appears, and the titles show the payload as plain text.
 */
const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '<svg/onload="window.__xss=3">',
  '<body onload="window.__xss=4">',
  '<iframe src="javascript:window.parent.__xss=5"></iframe>',
  '<a href="javascript:window.__xss=6">click</a>',
  '[md link](javascript:window.__xss=7)',
  '[md link](JAVASCRIPT:window.__xss=8)',
  '![x](x" onerror="window.__xss=9)',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=10">',
  '"><script>window.__xss=11</script>',
  "'-(window.__xss=12)-'",
  '<details open ontoggle="window.__xss=13">',
  '<object data="javascript:window.__xss=14">',
  '<embed src="data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTU8L3NjcmlwdD4=">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=16">',
  '<form action="javascript:window.__xss=17"><button>go</button></form>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.__xss=18">x</a>',
  '<div style="background:url(javascript:window.__xss=19)">x</div>',
  '<scr<script>ipt>window.__xss=20</scr</script>ipt>',
  '<img src=x:x onerror=window.__xss=21 //',
  '<input autofocus onfocus="window.__xss=22">',
];

/** What the page must not contain once rendered (evaluated in the page). */
function inspect() {
  const all = Array.from(document.querySelectorAll('*'));
  return {
    xss: (window as unknown as { __xss?: unknown }).__xss ?? null,
    handlers: all
      .filter((el) => Array.from(el.attributes).some((a) => /^on/i.test(a.name)))
      .map((el) => el.outerHTML.slice(0, 120)),
    jsUrls: all
      .filter((el) =>
        ['href', 'src', 'action', 'data', 'formaction'].some((n) =>
          /^\s*(javascript|vbscript|data:text\/html)/i.test(el.getAttribute(n) ?? ''),
        ),
      )
      .map((el) => el.outerHTML.slice(0, 120)),
    frames: document.querySelectorAll('iframe, object, embed, frame, meta[http-equiv="refresh" i]').length,
    inlineScripts: Array.from(document.scripts).filter((s) => !s.src).length,
    styledByContent: document.querySelectorAll('.prose [style]').length,
  };
}

describe(`stored XSS in the web app, chromium without CSP (${dialect})`, () => {
  let server: RunningServer;
  let browser: Browser;
  const slug = `xss-${Date.now().toString(36)}`;
  const threadIds: number[] = [];
  let cookies: { name: string; value: string }[] = [];
  let username = '';

  async function call(method: string, path: string, body?: unknown, token?: string) {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return { json, res };
  }

  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
    browser = await launchBrowser();
    username = `xss_${Date.now().toString(36)}`;
    const signup = await call('POST', '/auth/signup', {
      username,
      email: `${username}@example.test`,
      password: 'correct horse battery',
    });
    cookies = signup.res.headers.getSetCookie().map((c) => {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      return { name: pair!.slice(0, i), value: pair!.slice(i + 1) };
    });
    const csrf = cookies.find((c) => c.name === 'hearth_csrf')!.value;
    const tok = await fetch(`${server.url}/api/v1/me/tokens`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
        'x-csrf-token': csrf,
      },
      body: JSON.stringify({ name: 'xss' }),
    });
    const token = ((await tok.json()) as { token: string }).token;
    await call('PATCH', '/me', { displayName: PAYLOADS[1]!.slice(0, 60), bio: PAYLOADS.join('\n\n') }, token);
    await call(
      'POST',
      '/communities',
      {
        slug,
        name: PAYLOADS[0]!,
        description: PAYLOADS.slice(0, 8).join(' '),
        guidelines: PAYLOADS.join('\n\n'),
      },
      token,
    );
    for (const payload of PAYLOADS.slice(0, 6)) {
      const t = await call(
        'POST',
        `/communities/${slug}/threads`,
        { title: payload, body: `${payload}\n\n${PAYLOADS.join('\n\n')} #inert`, tags: ['inert'] },
        token,
      );
      threadIds.push(t.json.id);
    }
    let parentId: number | null = null;
    for (const payload of PAYLOADS) {
      const c = await call('POST', `/threads/${threadIds[0]}/comments`, { body: payload, parentId }, token);
      parentId = parentId ? null : c.json.id; // a few replies too
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function check(page: Page, path: string, expectText?: string) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    if (expectText) await expect.poll(() => page.getByText(expectText).first().isVisible()).toBe(true);
    // Give anything injected a moment to fire (onload, onerror, autofocus, meta refresh).
    await page.waitForTimeout(150);
    const found = await page.evaluate(inspect);
    expect({ path, ...found }).toEqual({
      path,
      xss: null,
      handlers: [],
      jsUrls: [],
      frames: 0,
      inlineScripts: 0,
      styledByContent: 0,
    });
    expect(new URL(page.url()).pathname).toBe(path.split('?')[0]);
  }

  it('would notice an injection (the detector itself)', async () => {
    const { context, page } = await newContext(browser, server.url, { bypassCSP: true });
    await page.goto(`/c/${slug}`);
    await page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), PAYLOADS[1]!);
    await expect.poll(() => page.evaluate(inspect).then((f) => f.xss)).toBe(2);
    expect((await page.evaluate(inspect)).handlers).toHaveLength(1);
    await context.close();
  });

  for (const who of ['anonymous', 'signed in'] as const) {
    it(`leaves every page inert (${who})`, async () => {
      const { context, page } = await newContext(browser, server.url, { bypassCSP: true });
      const dialogs: string[] = [];
      const errors: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('pageerror', (e) => errors.push(e.message));
      if (who === 'signed in') await context.addCookies(cookies.map((c) => ({ ...c, url: server.url })));
      await check(page, `/c/${slug}`, PAYLOADS[1]);
      await check(page, `/c/${slug}/about`);
      await check(page, `/c/${slug}/members`);
      for (const id of threadIds) await check(page, `/c/${slug}/t/${id}`);
      // The thread title is shown as the literal text the member typed.
      await page.goto(`/c/${slug}/t/${threadIds[0]}`);
      await expect.poll(() => page.getByRole('heading', { name: PAYLOADS[0] }).isVisible()).toBe(true);
      await check(page, `/u/${username}`);
      await check(page, '/t/inert');
      await check(page, '/');
      if (who === 'signed in') {
        await check(page, '/settings');
        await check(page, `/c/${slug}/settings`);
      }
      await shot(page, `xss-${who.replace(' ', '-')}`);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('keeps payloads typed into the composer preview inert', async () => {
    const { context, page } = await newContext(browser, server.url, { bypassCSP: true });
    await context.addCookies(cookies.map((c) => ({ ...c, url: server.url })));
    await page.goto(`/c/${slug}/submit`);
    await page.waitForLoadState('networkidle');
    const body = page.getByRole('textbox').last();
    await body.fill(PAYLOADS.join('\n\n'));
    const preview = page
      .getByRole('tab', { name: /preview/i })
      .or(page.getByRole('button', { name: /preview/i }));
    if (await preview.count()) await preview.first().click();
    await page.waitForTimeout(300);
    const found = await page.evaluate(inspect);
    expect(found.xss).toBeNull();
    expect(found.handlers).toEqual([]);
    expect(found.jsUrls).toEqual([]);
    expect(found.frames).toBe(0);
    await context.close();
  });
});
