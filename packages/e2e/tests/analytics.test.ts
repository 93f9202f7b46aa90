import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, launchBrowser, newContext, PHONE, shot } from '../src/browser.ts';
import { dialect, ensureWebBuild, type RunningServer, startServer } from '../src/server.ts';

/**
 * Analytics and data rights in a real browser: the consent question after sign-up, reading
 * a thread (the tracker reports it), the owner's dashboard (charts, cohorts, champions, CSV),
 * a member kept out of it, and a member downloading their data and erasing their account.
 */
describe(`analytics and privacy in chromium (${dialect})`, () => {
  const run = randomBytes(2).toString('hex');
  const password = 'correct horse battery';
  const slug = `glaze-lab-${run}`;
  let server: RunningServer;
  let browser: Browser;
  let owner: { context: BrowserContext; page: Page };
  const errors: string[] = [];
  let threadId = 0;

  /** JSON API calls as a separate client (members who make the community lively). */
  async function apiUser(name: string) {
    const res = await fetch(`${server.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: name, email: `${name}@example.test`, password }),
    });
    const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    const csrf = cookies.find((c) => c?.startsWith('hearth_csrf='))!.split('=')[1]!;
    return async (method: string, url: string, body?: unknown) => {
      const r = await fetch(`${server.url}/api/v1${url}`, {
        method,
        headers: {
          cookie: cookies.join('; '),
          'x-csrf-token': csrf,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return r.json();
    };
  }

  async function signUp(page: Page, username: string) {
    await page.goto('/signup');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(`${username}@example.test`);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    // Every new account is asked about consent first (on a phone the account links are in the menu).
    await expect
      .poll(() => page.getByRole('heading', { name: 'May we record your reading?' }).isVisible())
      .toBe(true);
  }

  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
    browser = await launchBrowser();
    owner = await newContext(browser, server.url);
    owner.page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for consent once after sign-up, in plain words', async () => {
    const page = owner.page;
    await signUp(page, `olga_${run}`);
    const prompt = page.getByRole('heading', { name: 'May we record your reading?' });
    await expect.poll(() => prompt.isVisible()).toBe(true);
    expect(await page.locator('.consent-prompt').textContent()).toContain('90 days');
    await shot(page, 'consent-prompt');
    await page.getByRole('button', { name: 'Allow', exact: true }).click();
    await expect.poll(() => prompt.isVisible()).toBe(false);
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Log out' }).isVisible()).toBe(true);
    expect(await prompt.isVisible()).toBe(false);
  });

  it('reports reading time of a thread while it is on screen', async () => {
    const page = owner.page;
    const call = (method: string, url: string, body?: unknown) =>
      page.evaluate(
        async ({ method, url, body }) => {
          const csrf = document.cookie.match(/hearth_csrf=([^;]+)/)?.[1] ?? '';
          const r = await fetch(`/api/v1${url}`, {
            method,
            headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
            body: body ? JSON.stringify(body) : undefined,
          });
          return r.json();
        },
        { method, url, body },
      );
    await call('POST', '/communities', { slug, name: `Glaze lab ${run}` });
    const t = await call('POST', `/communities/${slug}/threads`, {
      title: 'Celadon that crawls',
      body: 'Why does my glaze crawl?',
    });
    threadId = t.id;
    // Five members reply, so the dashboard has a champion and groups large enough to show.
    for (let i = 0; i < 5; i++) {
      const m = await apiUser(`m${i}_${run}`);
      await m('POST', `/communities/${slug}/join`, {});
      await m('POST', `/threads/${threadId}/comments`, { body: `Try a thinner coat (${i})` });
    }
    await page.goto(`/c/${slug}/t/${threadId}`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Celadon that crawls' }).isVisible())
      .toBe(true);
    await page.mouse.move(200, 200);
    await page.waitForTimeout(2500);
    await page.mouse.wheel(0, 200);
    await page.waitForTimeout(1000);
    // Leaving the page sends what was read (fetch with keepalive).
    await page.goto('/settings');
    await expect
      .poll(async () => {
        const data = await call('GET', '/me/export');
        return data.sections.analytics.readingEvents.filter((e: { kind: string }) => e.kind === 'read')
          .length;
      })
      .toBeGreaterThan(0);
  });

  it("shows the owner the community's health, with CSV for every table", async () => {
    const page = owner.page;
    await page.goto(`/c/${slug}`);
    await page.getByRole('link', { name: 'Analytics' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Community health' }).isVisible()).toBe(true);
    for (const name of ['Retention by weekly cohort', 'Deepest threads', 'Champions', 'Engagement levels']) {
      await expect.poll(() => page.getByRole('heading', { name }).isVisible()).toBe(true);
    }
    await expect.poll(() => page.locator('.metric').count()).toBeGreaterThan(10);
    await expect.poll(() => page.locator('.uplot').count()).toBe(3);
    await expect.poll(() => page.getByRole('link', { name: 'Celadon that crawls' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Month' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Month' }).getAttribute('aria-pressed'))
      .toBe('true');
    const links = await page
      .getByRole('link', { name: 'CSV' })
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.length).toBeGreaterThanOrEqual(8);
    const csv = await page.evaluate(
      async (u) => (await fetch(u)).text(),
      links.find((l) => l.includes('top-threads'))!,
    );
    expect(csv).toContain('Celadon that crawls');
    await shot(page, 'analytics-dashboard');
    expect(errors).toEqual([]);
  });

  it('fits a phone and keeps members out', async () => {
    const phone = await newContext(browser, server.url, PHONE);
    await signUp(phone.page, `pia_${run}`);
    await phone.page.getByRole('button', { name: 'Do not allow' }).click();
    await phone.page.goto(`/c/${slug}/analytics`);
    await shot(phone.page, 'analytics-phone-member');
    await expect.poll(() => phone.page.getByText('Only owners and moderators').isVisible()).toBe(true);
    const cookies = await owner.context.cookies();
    await phone.context.addCookies(cookies);
    await phone.page.goto(`/c/${slug}/analytics`);
    await expect
      .poll(() => phone.page.getByRole('heading', { name: 'Community health' }).isVisible())
      .toBe(true);
    await expect.poll(() => phone.page.locator('.uplot').count()).toBe(3);
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await shot(phone.page, 'analytics-phone');
    await phone.context.close();
  });

  it('lets a member download their data and erase their account', async () => {
    const { context, page } = await newContext(browser, server.url);
    const name = `erin_${run}`;
    await signUp(page, name);
    await page.getByRole('button', { name: 'Do not allow' }).click();
    await page.goto('/settings');
    await expect.poll(() => page.getByTestId('consent-state').textContent()).toBe('not allowed');
    const href = await page.getByRole('link', { name: 'Download my data' }).getAttribute('href');
    const data = await page.evaluate(async (u) => (await fetch(u!)).json(), href);
    expect(data.sections.profile.username).toBe(name);
    await page.getByLabel('Your password').fill('wrong password here');
    await page.getByLabel('I understand this cannot be undone').check();
    await page.getByRole('button', { name: 'Erase my account' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not your password');
    await page.getByLabel('Your password').fill(password);
    await page.getByRole('radio', { name: 'Delete their text' }).check();
    await shot(page, 'erase-account');
    await page.getByRole('button', { name: 'Erase my account' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Log in' }).first().isVisible()).toBe(true);
    const gone = await fetch(`${server.url}/api/v1/users/${name}`);
    expect(gone.status).toBe(404);
    await context.close();
  });
});
