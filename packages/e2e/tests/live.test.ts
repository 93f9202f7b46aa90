import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, shot } from '../src/browser.ts';
import { dialect, ensureWebBuild, type RunningServer, startServer } from '../src/server.ts';

/**
 * Two people in two browsers see each other's comments, notifications and direct messages
 * appear without reloading. On PostgreSQL the two browsers use two different `hearth serve`
 * processes sharing the database and Redis (the scale-out setup); on SQLite, one process.
 */
describe(`live updates in two browsers (${dialect}${dialect === 'postgres' ? ', two processes via Redis' : ''})`, () => {
  const run = randomBytes(2).toString('hex');
  /** Generous waits: browsers and servers share a loaded machine; a live update normally lands in well under a second. */
  const WAIT = { timeout: 20_000 };
  const ana = { username: `ana_${run}`, name: 'Ana Live' };
  const ben = { username: `ben_${run}`, name: 'Ben Live' };
  const slug = `live-${run}`;
  const servers: RunningServer[] = [];
  let browser: Browser;
  const pages: Record<'ana' | 'ben', Page> = {} as never;
  const contexts: Record<'ana' | 'ben', BrowserContext> = {} as never;
  const errors: string[] = [];
  let threadPath = '';

  beforeAll(async () => {
    ensureWebBuild();
    const env =
      dialect === 'postgres'
        ? {
            REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
            HEARTH_REDIS_PREFIX: `hearth-e2e-${run}:`,
          }
        : {};
    const a = await startServer({ env });
    servers.push(a);
    const b = dialect === 'postgres' ? await startServer({ env, databaseUrl: a.databaseUrl! }) : a;
    if (b !== a) servers.push(b);
    browser = await launchBrowser();
    for (const [key, server] of [
      ['ana', a],
      ['ben', b],
    ] as const) {
      const { context, page } = await newContext(browser, server.url);
      page.on('pageerror', (e) => errors.push(`${key}: ${e.message}`));
      pages[key] = page;
      contexts[key] = context;
    }
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.stop();
  });

  /** Signs up through the API in the browser's context (the cookie lands in it) and returns a JSON caller. */
  async function account(key: 'ana' | 'ben', who: { username: string; name: string }) {
    const page = pages[key];
    const res = await page.request.post('/api/v1/auth/signup', {
      data: {
        username: who.username,
        email: `${who.username}@example.test`,
        password: 'correct horse battery',
        displayName: who.name,
      },
    });
    expect(res.status()).toBe(201);
    const csrf = (await contexts[key].cookies()).find((c) => c.name === 'hearth_csrf')!.value;
    return async (method: 'POST' | 'PATCH', url: string, data: unknown) => {
      const r = await page.request.fetch(`/api/v1${url}`, {
        method,
        data,
        headers: { 'x-csrf-token': csrf },
      });
      expect(r.status(), `${method} ${url}: ${await r.text()}`).toBeLessThan(300);
      return r.json();
    };
  }

  it('shows a comment posted in one browser in the other, with a notification', async () => {
    const asAna = await account('ana', ana);
    const asBen = await account('ben', ben);
    await asAna('POST', '/communities', { slug, name: `Live ${run}` });
    await asBen('POST', `/communities/${slug}/join`, {});
    // New accounts are trust level 0: the owner lets the community's members start DMs.
    await asAna('PATCH', `/communities/${slug}/moderation/settings`, { unlocks: { directMessages: 0 } });
    const thread = await asBen('POST', `/communities/${slug}/threads`, {
      title: 'Who is around?',
      body: 'Say hi',
    });
    threadPath = `/c/${slug}/t/${thread.id}`;

    await Promise.all([pages.ana.goto(threadPath), pages.ben.goto(threadPath)]);
    await expect
      .poll(() => pages.ben.getByRole('heading', { name: 'Who is around?' }).isVisible(), WAIT)
      .toBe(true);
    // Give both live connections a moment to subscribe.
    await pages.ben.waitForTimeout(500);
    // Ben may already have unread news (badges the job hands out for a first thread, say).
    const unread = async () =>
      Number((await pages.ben.getByTestId('bell').textContent())?.match(/(\d+) unread/)?.[1] ?? 0);
    const before = await unread();

    await pages.ana.getByLabel('Add a comment').fill(`Hello from Ana ${run}`);
    await pages.ana.getByRole('button', { name: 'Comment', exact: true }).click();
    const seen = pages.ben.getByText(`Hello from Ana ${run}`);
    await expect.poll(() => seen.isVisible(), WAIT).toBe(true);
    // Ben's bell counts the reply to his thread, live too (the list below shows it is the reply).
    await expect.poll(unread, WAIT).toBeGreaterThan(before);
    await shot(pages.ben, 'live-comment');
    expect(await pages.ben.getByRole('heading', { name: /2 comments|1 comment/ }).count()).toBe(1);

    await pages.ben.getByTestId('bell').click();
    await expect
      .poll(() => pages.ben.getByRole('link', { name: /replied to your thread/ }).isVisible(), WAIT)
      .toBe(true);
    await shot(pages.ben, 'notifications');
  });

  it('shows direct messages arriving in the other browser', async () => {
    await pages.ben.goto('/messages');
    await expect
      .poll(() => pages.ben.getByRole('heading', { name: 'Messages' }).isVisible(), WAIT)
      .toBe(true);
    await pages.ben.waitForTimeout(300);

    await pages.ana.goto(`/messages?to=${ben.username}`);
    await pages.ana.getByLabel('Message', { exact: true }).fill('Coffee later?');
    await pages.ana.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => pages.ana.getByRole('heading', { name: ben.name }).isVisible(), WAIT).toBe(true);

    // Ben's list shows the new conversation without a reload.
    const conv = pages.ben.getByRole('link', { name: new RegExp(ana.name) });
    await expect.poll(() => conv.isVisible(), WAIT).toBe(true);
    await conv.click();
    await expect.poll(() => pages.ben.getByText('Coffee later?').isVisible(), WAIT).toBe(true);
    await pages.ben.waitForTimeout(300);

    await pages.ana.getByLabel('Your message').fill('At the kiln, 4 pm');
    await pages.ana.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => pages.ben.getByText('At the kiln, 4 pm').isVisible(), WAIT).toBe(true);
    await shot(pages.ben, 'live-dm');

    await pages.ben.getByLabel('Your message').fill('See you there');
    await pages.ben.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => pages.ana.getByText('See you there').isVisible(), WAIT).toBe(true);
    expect(errors).toEqual([]);
  });

  it('asks for a reset link without saying whether the account exists', async () => {
    const page = pages.ana;
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email address of your account').fill('nobody@example.test');
    await page.getByRole('button', { name: 'Email me a reset link' }).click();
    await expect.poll(() => page.getByText('If an account uses this address').isVisible(), WAIT).toBe(true);
    await shot(page, 'reset-password');
    await page.goto('/reset-password?token=not-a-real-token-at-all');
    await page.getByLabel('New password').fill('a brand new password');
    await page.getByLabel('The same again').fill('a brand new password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), WAIT)
      .toContain('invalid, used or expired');
  });
});
