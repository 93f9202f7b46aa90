import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpApi } from '../src/api.ts';
import { horizontalOverflow, launchBrowser, newContext, PHONE, shot } from '../src/browser.ts';
import { dialect, ensureWebBuild, type RunningServer, startServer } from '../src/server.ts';

/**
 * Issue 4 in a real browser: a member's home feed follows their interests (a followed tag
 * brings a thread from a community they are not in, a followed member brings theirs, a muted
 * community leaves), discovery gives its reasons, search finds content by word with the
 * word highlighted, and never finds a private community's thread for a non-member.
 */
describe(`home feed, discovery and search in chromium (${dialect})`, () => {
  const run = randomBytes(2).toString('hex');
  const ana = { username: `ana_${run}`, name: 'Ana Author' };
  const ben = { username: `ben_${run}`, name: 'Ben Reader' };
  const cara = { username: `cara_${run}`, name: 'Cara Keeper' };
  const word = `celadon${run}`;
  let server: RunningServer;
  let browser: Browser;
  const errors: string[] = [];
  const pages: Record<'ana' | 'ben' | 'cara', Page> = {} as never;
  let glazeThread = 0;

  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
    browser = await launchBrowser();
    for (const [key, who] of [
      ['ana', ana],
      ['ben', ben],
      ['cara', cara],
    ] as const) {
      const { page } = await newContext(browser, server.url);
      page.on('pageerror', (e) => errors.push(`${key}: ${e.message}`));
      pages[key] = page;
      await page.goto('/');
      await signUpApi(page, who.username, who.name);
    }
    // Ana runs two public communities; Cara a private one. Ben is in none of them.
    const a = pages.ana;
    await call(a, 'POST', '/communities', { slug: `trail-${run}`, name: `Trail Crew ${run}` });
    await call(a, 'POST', `/communities/trail-${run}/threads`, {
      title: 'Pitching an ultralight tarp',
      body: 'A-frame first, then the storm pitch.',
      tags: ['ultralight'],
    });
    await call(a, 'POST', '/communities', { slug: `kiln-${run}`, name: `Kiln Club ${run}` });
    glazeThread = (
      await call(a, 'POST', `/communities/kiln-${run}/threads`, {
        title: 'A glaze recipe worth sharing',
        body: `My ${word} glaze: feldspar, silica, whiting and a little iron.`,
        tags: ['glaze'],
      })
    ).id;
    await call(pages.cara, 'POST', '/communities', {
      slug: `grove-${run}`,
      name: `Hidden Grove ${run}`,
      visibility: 'private',
    });
    await call(pages.cara, 'POST', `/communities/grove-${run}/threads`, {
      title: 'Members-only glaze notes',
      body: `The secret ${word} stash is in the back room.`,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const feedTitles = (page: Page) => page.locator('.home .thread-item h3 a').allTextContents();

  it('lands a signed-in member on the home feed, empty until they follow something', async () => {
    const page = pages.ben;
    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { name: 'Home', level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Your feed is empty for now.').isVisible()).toBe(true);
  });

  it('follows a tag from its page and sees its thread in the home feed, with the reason', async () => {
    const page = pages.ben;
    await page.goto('/t/glaze');
    const follow = page.getByRole('button', { name: 'Follow #glaze' });
    await expect.poll(() => follow.isEnabled()).toBe(true);
    await follow.click();
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await expect.poll(() => feedTitles(page)).toEqual(['A glaze recipe worth sharing']);
    const item = page.locator('.home .thread-item').first();
    expect(await item.locator('.reasons').textContent()).toContain('You follow #glaze');
    expect(await item.locator('.community-link').textContent()).toBe(`Kiln Club ${run}`);
    await shot(page, 'home-feed');
  });

  it('follows a member from their profile: their threads come too; muting a community takes its threads out', async () => {
    const page = pages.ben;
    await page.goto(`/u/${ana.username}`);
    await page.getByRole('button', { name: `Follow @${ana.username}` }).click();
    await expect
      .poll(() => page.getByRole('button', { name: `Follow @${ana.username}` }).getAttribute('aria-pressed'))
      .toBe('true');
    await page.goto('/');
    await expect
      .poll(async () => (await feedTitles(page)).sort())
      .toEqual(['A glaze recipe worth sharing', 'Pitching an ultralight tarp']);
    const tarp = page.locator('.home .thread-item').filter({ hasText: 'ultralight tarp' });
    expect(await tarp.locator('.reasons').textContent()).toContain(`By @${ana.username}, whom you follow`);

    await page.goto(`/c/kiln-${run}`);
    await page.getByRole('button', { name: `Mute Kiln Club ${run}` }).click();
    await expect
      .poll(() => page.getByRole('button', { name: `Mute Kiln Club ${run}` }).getAttribute('aria-pressed'))
      .toBe('true');
    await page.goto('/');
    await expect.poll(() => feedTitles(page)).toEqual(['Pitching an ultralight tarp']);

    // All of it on one page, where it can be undone.
    await page.goto('/follows');
    const muted = page.locator('section').filter({ hasText: 'Muted communities' });
    await expect.poll(() => muted.getByRole('link', { name: `Kiln Club ${run}` }).count()).toBe(1);
    expect(await page.locator('section').filter({ hasText: 'Tags you follow' }).textContent()).toContain(
      '#glaze',
    );
    await shot(page, 'follows');
    await muted.getByRole('button', { name: `Mute Kiln Club ${run}` }).click();
    await expect.poll(() => muted.getByText('None.').isVisible()).toBe(true);
  });

  it('recommends communities with a reason on the discovery page', async () => {
    const page = pages.cara;
    // Cara follows Ana: Ana's communities are recommended because of her.
    await call(page, 'POST', `/follows/users/${ana.username}`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Discover' }).click();
    const rec = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { name: 'Recommended for you' }) });
    const card = rec.locator('.suggestion').filter({ hasText: `Trail Crew ${run}` });
    await expect.poll(() => card.locator('.reason').textContent()).toBe('1 member you follow is here');
    await expect.poll(() => page.getByRole('heading', { name: 'Trending tags' }).isVisible()).toBe(true);
    await shot(page, 'discover-reasons');
  });

  it('sorts a community thread list by the new sorts', async () => {
    const page = pages.ben;
    await page.goto(`/c/trail-${run}`);
    const sorts = page.getByRole('navigation', { name: 'Sort threads' });
    await expect
      .poll(() => sorts.getByRole('link').allTextContents())
      .toEqual(['Hot', 'Active', 'Scaled', 'Controversial', 'Top', 'New', 'Most comments']);
    await sorts.getByRole('link', { name: 'Most comments' }).click();
    await page.waitForURL(/sort=most_comments/);
    await expect.poll(() => page.locator('.thread-item').count()).toBe(1);
    expect(await page.getByLabel('Period').isVisible()).toBe(true);
  });

  it('finds a word with search, highlighted; a non-member never finds the private thread', async () => {
    const page = pages.ben;
    await page.getByRole('searchbox', { name: 'Search Hearth' }).fill(word);
    await page.getByRole('searchbox', { name: 'Search Hearth' }).press('Enter');
    await page.waitForURL(/\/search\?q=/);
    const hits = page.locator('.hit');
    await expect.poll(() => hits.count()).toBe(1);
    expect(await hits.first().locator('h3').textContent()).toBe('A glaze recipe worth sharing');
    expect(await hits.first().locator('.snippet mark').allTextContents()).toEqual([word]);
    expect(await page.content()).not.toContain('secret');
    await shot(page, 'search');

    // With a filter: only Ana's community.
    await page.getByRole('button', { name: 'Filters' }).click();
    await page.getByLabel('Community (address)').fill(`trail-${run}`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByText(`No results for “${word}”`).isVisible()).toBe(true);

    // The member of the private community finds both; the thread link opens it.
    const c = pages.cara;
    await c.goto(`/search?q=${word}`);
    await expect.poll(() => c.locator('.hit').count()).toBe(2);
    expect(await c.locator('.hit h3').allTextContents()).toContain('Members-only glaze notes');
    await c.locator('.hit h3 a').filter({ hasText: 'A glaze recipe' }).click();
    await c.waitForURL(`**/c/kiln-${run}/t/${glazeThread}`);
  });

  it('works at phone width (375 px) on the new pages', async () => {
    const { context, page } = await newContext(browser, server.url, PHONE);
    page.on('pageerror', (e) => errors.push(`phone: ${e.message}`));
    await page.goto('/');
    await signUpApi(page, `phone_${run}`, 'Phone Person');
    await call(page, 'POST', '/follows/tags/glaze');
    for (const [path, ready] of [
      ['/', '.home .thread-item'],
      [`/search?q=${word}`, '.hit'],
      ['/discover', '.card-grid'],
      ['/follows', '.follows-grid'],
    ] as const) {
      await page.goto(path);
      await expect.poll(() => page.locator(ready).first().isVisible()).toBe(true);
      expect(await horizontalOverflow(page), path).toBe(0);
      await shot(page, `phone-${path.split(/[/?]/)[1] || 'home'}`);
    }
    await context.close();
  });

  it('had no uncaught errors in any page', () => {
    expect(errors).toEqual([]);
  });
});
