import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, launchBrowser, newContext, PHONE, shot } from '../src/browser.ts';
import { dialect, ensureWebBuild, type RunningServer, startServer } from '../src/server.ts';

/**
 * Gamification in a real browser against a real `hearth serve`: a member posts and earns points,
 * the owner answers and the member accepts the answer, the badge job's "First thread" badge shows
 * as a toast, the leaderboard (period and tag selectors) ranks them with the owner's level names,
 * the owner offers a partner promo code that the member redeems (the code shown to them only),
 * and the profile shows points and badges. Screenshots into .ci-out/screenshots/<dialect>/.
 */
describe(`gamification in chromium (${dialect})`, () => {
  const run = randomBytes(2).toString('hex');
  const owner = { username: `gowner_${run}`, name: 'Gwen Owner' };
  const member = { username: `gmia_${run}`, name: 'Mia Member' };
  const password = 'correct horse battery';
  const slug = `trail-crew-${run}`;
  let server: RunningServer;
  let browser: Browser;
  const errors: string[] = [];
  const pages: Record<string, Page> = {};

  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
    browser = await launchBrowser();
    for (const key of ['owner', 'member']) {
      const { page } = await newContext(browser, server.url);
      page.on('pageerror', (e) => errors.push(`${key}: ${e.message}`));
      pages[key] = page;
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A JSON API call from the page, with its session cookie and CSRF token (set-up steps only). */
  const apiCall = (page: Page, method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const csrf = /(?:^|; )hearth_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '';
        const res = await fetch(`/api/v1${path}`, {
          method,
          headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: await res.json() };
      },
      { method, path, body },
    );

  async function signUp(page: Page, who: { username: string; name: string }) {
    await page.goto('/signup');
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Email').fill(`${who.username}@example.test`);
    await page.getByLabel('Display name').fill(who.name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Log out' }).isVisible()).toBe(true);
  }

  it('sets up a community whose owner names the levels', async () => {
    await signUp(pages.owner!, owner);
    await signUp(pages.member!, member);
    const o = pages.owner!;
    const created = await apiCall(o, 'POST', '/communities', { slug, name: `Trail crew ${run}` });
    expect(created.status).toBe(201);
    await o.goto(`/c/${slug}/gamification`);
    await o.getByLabel('Name').nth(1).fill('Ridge runner');
    await o.getByLabel('From points').nth(1).fill('5');
    await o.getByLabel('Flair').nth(1).fill('⛰ Ridge runner');
    await o.getByRole('button', { name: 'Save points and levels' }).click();
    await expect.poll(() => o.locator('output.ok-text').first().textContent()).toBe('Saved.');
    await shot(o, 'gamification-settings');
    const m = pages.member!;
    await m.goto(`/c/${slug}`);
    await m.getByRole('button', { name: 'Join' }).click();
    await expect.poll(() => m.getByRole('button', { name: 'Leave' }).isVisible()).toBe(true);
  });

  let threadPath = '';
  it('earns points for a thread and for an accepted answer', async () => {
    const m = pages.member!;
    await m.getByRole('link', { name: 'New thread' }).click();
    await m.getByLabel('Title').fill('Which headlamp for winter mornings?');
    await m.getByLabel('Body').fill('Looking for 400+ lumens. #gear');
    await m.getByRole('button', { name: 'Post thread' }).click();
    await m.waitForURL(/\/t\/\d+$/);
    threadPath = new URL(m.url()).pathname;

    const o = pages.owner!;
    await o.goto(threadPath);
    const box = o.getByLabel('Add a comment');
    await box.fill('The Trailblaze 500: bright, and the battery survives the cold.');
    await o.getByRole('button', { name: 'Comment', exact: true }).click();
    await expect.poll(() => o.locator('.comment').count()).toBe(1);

    await m.reload();
    await m.getByRole('button', { name: 'Accept as answer' }).click();
    await expect.poll(() => m.locator('.accepted-mark').textContent()).toBe('✓ Accepted answer');
    // The member's level flair shows next to their name once they have 5 points.
    await expect
      .poll(
        async () => {
          await m.reload();
          return m
            .locator('.thread .meta .level-chip')
            .textContent({ timeout: 2000 })
            .catch(() => null);
        },
        { timeout: 20_000 },
      )
      .toBe('⛰ Ridge runner');
    await shot(m, 'thread-accepted-answer');
  });

  it('announces an earned badge as a toast, live, on the page the member is on', async () => {
    const m = pages.member!;
    // Rule badges ("First thread") come from the badge job (every 5 s) and may already have been
    // shown on an earlier page; a moderator's grant now arrives live over the inbox channel while
    // the member stays on one page (sooner than the toast's 20 s fallback poll).
    await m.goto(`/c/${slug}/leaderboard`);
    await m.waitForTimeout(1000);
    const o = pages.owner!;
    const badges = await apiCall(o, 'GET', `/communities/${slug}/badges`);
    const hero = badges.body.items.find((b: { slug: string }) => b.slug === 'community-hero').id;
    const granted = await apiCall(o, 'POST', `/communities/${slug}/members/${member.username}/badges`, {
      badgeId: hero,
      reason: 'Best question of the week',
    });
    expect(granted.status).toBe(200);
    await expect
      .poll(() => m.locator('output.toasts').textContent(), { timeout: 12_000 })
      .toContain('Badge earned: Community hero');
    await shot(m, 'badge-toast');
    await m.getByRole('button', { name: 'Dismiss Community hero' }).click();
    // Acknowledged: the next page does not announce it again.
    await m.reload();
    await m.waitForTimeout(1500);
    expect(await m.locator('output.toasts').textContent()).not.toContain('Community hero');
  });

  it('ranks both on the leaderboard with period and tag selectors', async () => {
    const m = pages.member!;
    await m.goto(`/c/${slug}/leaderboard`);
    const rows = m.locator('.board-row');
    await expect.poll(() => rows.count()).toBe(2);
    // Owner: 2 (comment) + 15 (accepted answer); member: 5 (thread) + 1 (today's visit).
    expect(await rows.nth(0).textContent()).toContain(owner.username);
    expect(await rows.nth(0).textContent()).toContain('17 pts');
    expect(await rows.nth(1).textContent()).toContain('6 pts');
    await m.getByRole('navigation', { name: 'Period' }).getByRole('link', { name: 'Week' }).click();
    await m.waitForURL(/period=week/);
    await m.getByLabel('Tag').selectOption('gear');
    await m.waitForURL(/tag=gear/);
    await expect.poll(() => m.locator('.board-row').count()).toBe(2);
    await m.getByLabel("Hide me from this community's leaderboards").check();
    await expect.poll(() => m.locator('.board-row').count()).toBe(1);
    await m.getByLabel("Hide me from this community's leaderboards").uncheck();
    await expect.poll(() => m.locator('.board-row').count()).toBe(2);
    await shot(m, 'leaderboard');
  });

  it('redeems a partner promo code, shown only to the member', async () => {
    const o = pages.owner!;
    await o.goto(`/c/${slug}/rewards`);
    await o.getByLabel('Title').fill('15% off at Switchback Outfitters');
    await o.getByLabel('Cost in points').fill('5');
    await o.getByLabel(/^Promo codes/).fill('SWITCH-ONE');
    await o.getByRole('button', { name: 'Offer reward' }).click();
    await expect.poll(() => o.locator('.reward').count()).toBe(1);

    const m = pages.member!;
    await m.goto(`/c/${slug}/rewards`);
    await expect.poll(() => m.locator('.balance').textContent()).toBe('Your balance: 6 points');
    await m.getByRole('button', { name: 'Redeem' }).click();
    await expect.poll(() => m.locator('.revealed').textContent()).toContain('SWITCH-ONE');
    await expect.poll(() => m.locator('.balance').textContent()).toBe('Your balance: 1 points');
    expect(await m.getByRole('button', { name: 'Redeem' }).isDisabled()).toBe(true);
    await shot(m, 'rewards');
    await o.reload();
    await expect.poll(() => o.locator('.reward').textContent()).toContain('1 redeemed');
    expect(await o.locator('main').textContent()).not.toContain('SWITCH-ONE');
  });

  it("shows points, level and badges on the member's profile, also at phone width", async () => {
    const { context, page } = await newContext(browser, server.url, PHONE);
    page.on('pageerror', (e) => errors.push(`phone: ${e.message}`));
    await page.goto(`/u/${member.username}`);
    await expect.poll(() => page.locator('.profile-card').textContent()).toContain('Ridge runner');
    expect(await page.locator('.profile-card').textContent()).toContain('First thread');
    expect(await horizontalOverflow(page)).toBe(0);
    await shot(page, 'phone-profile-badges');
    await page.goto(`/c/${slug}/leaderboard`);
    await expect.poll(() => page.locator('.board-row').count()).toBe(2);
    expect(await horizontalOverflow(page)).toBe(0);
    await shot(page, 'phone-leaderboard');
    await context.close();
    expect(errors).toEqual([]);
  });
});
