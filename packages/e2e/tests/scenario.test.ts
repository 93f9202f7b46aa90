import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, launchBrowser, newContext, PHONE, shot } from '../src/browser.ts';
import { dialect, ensureWebBuild, type RunningServer, startServer } from '../src/server.ts';

/**
 * The member and moderator journey in a real browser against a real `hearth serve`:
 * three people sign up; the owner creates a private community with guidelines, invites
 * one of them (who accepts the guidelines), posts a thread, comments with an @mention
 * picked from the autocomplete, reacts, pins and locks; the third person, not a member,
 * gets the 404 page. Then the phone-width layout, and a public thread without JavaScript.
 * A screenshot of each main page goes to .ci-out/screenshots/<dialect>/.
 */
describe(`web app in chromium (${dialect})`, () => {
  const run = randomBytes(2).toString('hex');
  const owner = { username: `owner_${run}`, name: 'Olive Owner' };
  const member = { username: `mia_${run}`, name: 'Mia Member' };
  const outsider = { username: `otto_${run}`, name: 'Otto Outsider' };
  const password = 'correct horse battery';
  const communityName = `Secret Kiln ${run}`;
  const slug = `secret-kiln-${run}`;
  const title = `Firing schedule for ${run}`;

  let server: RunningServer;
  let browser: Browser;
  const errors: string[] = [];
  const pages: Record<string, Page> = {};
  let threadUrl = '';

  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
    browser = await launchBrowser();
    for (const key of ['owner', 'member', 'outsider']) {
      const { page } = await newContext(browser, server.url);
      page.on('pageerror', (e) => errors.push(`${key}: ${e.message}`));
      pages[key] = page;
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signUp(page: Page, who: { username: string; name: string }, screenshot?: string) {
    await page.goto('/signup');
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Email').fill(`${who.username}@example.test`);
    await page.getByLabel('Display name').fill(who.name);
    await page.getByLabel('Password').fill(password);
    if (screenshot) await shot(page, screenshot);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Log out' }).isVisible()).toBe(true);
    // Signed in, the landing page is the home feed (issue 4).
    await expect.poll(() => page.getByRole('heading', { name: 'Home', level: 1 }).isVisible()).toBe(true);
  }

  it('shows an API error where it happened, then signs three people up', async () => {
    const page = pages.owner!;
    await page.goto('/signup');
    await page.getByLabel('Username').fill('x');
    await page.getByLabel('Email').fill('x@example.test');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('body.username');

    await signUp(page, owner, 'signup');
    await signUp(pages.member!, member);
    await signUp(pages.outsider!, outsider);
    await shot(page, 'discover');
  });

  it('creates a private community with guidelines', async () => {
    const page = pages.owner!;
    await page.getByRole('link', { name: 'New community' }).click();
    await page.getByLabel('Name', { exact: true }).fill(communityName);
    expect(await page.getByLabel('Address').inputValue()).toBe(slug);
    await page.getByLabel('Description').fill('Members-only space of our shared studio.');
    await page.getByRole('radio', { name: /^Private/ }).check();
    // A private community is invitation-only; the other policies are disabled.
    expect(await page.getByRole('radio', { name: /^Invitation only/ }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: /^Open/ }).isDisabled()).toBe(true);
    await page.getByLabel(/^Guidelines/).fill('1. Be **kind**.\n2. Clean the wheel after use.');
    await shot(page, 'create-community');
    await page.getByRole('button', { name: 'Create community' }).click();
    await page.waitForURL(`**/c/${slug}`);
    await expect
      .poll(() => page.getByRole('heading', { name: communityName, level: 1 }).isVisible())
      .toBe(true);
    expect(await page.locator('.community-head').textContent()).toContain('Private');
  });

  it('invites a member, who reads and accepts the guidelines to join', async () => {
    const page = pages.owner!;
    await page
      .getByRole('navigation', { name: 'Community sections' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await page.getByLabel('Username to invite').fill(member.username);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect
      .poll(() => page.locator('output').filter({ hasText: 'Invited' }).textContent())
      .toBe(`Invited @${member.username}.`);
    await expect.poll(() => page.getByRole('button', { name: 'Cancel invitation' }).count()).toBe(1);
    await shot(page, 'community-settings');

    const m = pages.member!;
    await m.goto(`/c/${slug}`);
    await m.getByRole('button', { name: 'Accept invitation' }).click();
    const panel = m.locator('.guidelines-accept');
    expect(await panel.locator('strong').textContent()).toBe('kind');
    const confirm = panel.getByRole('button', { name: 'Accept invitation' });
    expect(await confirm.isDisabled()).toBe(true);
    await m.getByLabel('I have read and accept these guidelines').check();
    await confirm.click();
    await expect.poll(() => m.getByRole('button', { name: 'Leave' }).isVisible()).toBe(true);
    expect(await m.locator('.community-head').textContent()).toContain('Member');
  });

  it('posts a thread with a markdown preview and #tags', async () => {
    const page = pages.owner!;
    await page.goto(`/c/${slug}`);
    await page.getByRole('link', { name: 'New thread' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Body').fill('Bisque on **Friday**, glaze on Monday. #firing');
    await page.getByLabel(/^Tags/).fill('schedule');
    expect(await page.locator('.composer .detected').textContent()).toContain('#firing');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.locator('.composer-preview strong').textContent()).toBe('Friday');
    await shot(page, 'new-thread');
    await page.getByRole('button', { name: 'Post thread' }).click();
    await page.waitForURL(/\/t\/\d+$/);
    threadUrl = new URL(page.url()).pathname;
    await expect.poll(() => page.getByRole('heading', { name: title, level: 1 }).isVisible()).toBe(true);
    const tags = await page.getByRole('list', { name: 'Tags' }).textContent();
    expect(tags).toContain('#firing');
    expect(tags).toContain('#schedule');
  });

  it('comments with an @mention chosen from the autocomplete, and reacts', async () => {
    const page = pages.owner!;
    const box = page.getByLabel('Add a comment');
    await box.click();
    await box.pressSequentially(`Welcome @${member.username.slice(0, 3)}`);
    const option = page.getByRole('option', { name: new RegExp(`@${member.username}`) });
    await expect.poll(() => option.isVisible()).toBe(true);
    await box.press('ArrowDown');
    await box.press('ArrowUp');
    await box.press('Enter');
    expect(await box.inputValue()).toBe(`Welcome @${member.username} `);
    await box.pressSequentially('glad you are here.');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    const comment = page.locator('.comment').filter({ hasText: 'glad you are here' });
    await expect.poll(() => comment.count()).toBe(1);
    expect(await comment.getByRole('link', { name: `@${member.username}` }).getAttribute('href')).toBe(
      `/u/${member.username}`,
    );
    expect(await box.inputValue()).toBe('');

    await page.getByRole('button', { name: 'Like (0)' }).first().click();
    const liked = page.locator('.thread').getByRole('button', { name: 'Like (1)' });
    await expect.poll(() => liked.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.thread .score').textContent()).toContain('1');
  });

  it('lets the member reply (nested) and react, and the author edit their comment', async () => {
    const m = pages.member!;
    await m.goto(threadUrl);
    const parent = m.locator('.comment').filter({ hasText: 'glad you are here' }).first();
    await parent.getByRole('button', { name: 'Celebrate (0)' }).click();
    await expect.poll(() => parent.getByRole('button', { name: 'Celebrate (1)' }).count()).toBe(1);
    await parent.getByRole('button', { name: 'Reply', exact: true }).click();
    const form = m.getByRole('form', { name: 'Reply' });
    await form.getByLabel('Your reply').fill('Thank you! See you at the wheel.');
    await form.getByRole('button', { name: 'Reply' }).click();
    const nested = parent.locator('ol.replies .comment').filter({ hasText: 'See you at the wheel' });
    await expect.poll(() => nested.count()).toBe(1);

    const page = pages.owner!;
    await page.reload();
    const mine = page.locator('.comment').filter({ hasText: 'glad you are here' }).first();
    await mine.getByRole('button', { name: 'Edit' }).first().click();
    await page.getByLabel('Edit your comment').fill(`Welcome @${member.username}, so glad you are here!`);
    await page.getByRole('form', { name: 'Edit comment' }).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => mine.locator('> article .meta').textContent()).toContain('edited');
    expect(await mine.locator('> article .prose').textContent()).toContain('so glad');
  });

  it('lets a moderator pin and lock the thread', async () => {
    const page = pages.owner!;
    await page.getByRole('button', { name: 'Pin', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Unpin' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Unlock' }).isVisible()).toBe(true);
    expect(await page.locator('#thread-title').textContent()).toContain('Pinned');
    await shot(page, 'thread');

    const m = pages.member!;
    await m.reload();
    await expect.poll(() => m.getByText('This thread is locked: no new comments.').isVisible()).toBe(true);
    expect(await m.getByLabel('Add a comment').count()).toBe(0);
    await m.goto(`/c/${slug}`);
    await expect.poll(() => m.locator('.thread-item').first().textContent()).toContain('Pinned');
    await shot(m, 'community');
  });

  it('never shows the private community to someone who is not a member: the 404 page', async () => {
    const page = pages.outsider!;
    const res = await page.goto(threadUrl);
    expect(res!.status()).toBe(404);
    await expect.poll(() => page.getByRole('heading', { name: 'Not found' }).isVisible()).toBe(true);
    // Let the app's own API calls finish, then look for any trace of the thread.
    await page.waitForLoadState('networkidle');
    expect(await page.content()).not.toContain(title);
    await shot(page, 'not-found');

    await page.goto(`/c/${slug}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Not found' }).isVisible()).toBe(true);
    await page.goto('/discover');
    await expect.poll(() => page.getByRole('heading', { name: 'All communities' }).isVisible()).toBe(true);
    await page.waitForLoadState('networkidle');
    expect(await page.content()).not.toContain(communityName);
  });

  it('edits a profile and creates an API token in settings; shows the profile with its badges area', async () => {
    const page = pages.owner!;
    await page.getByRole('link', { name: 'Settings', exact: true }).first().click();
    await page.getByLabel('Bio').fill('Potter. Fires on Fridays.');
    await page.getByLabel('Interests').fill('ceramics, glaze');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.locator('output').filter({ hasText: 'Saved.' }).count()).toBe(1);
    await page.getByLabel('Token name').fill('backup script');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => page.getByLabel('New token').inputValue()).toMatch(/^hth_/);
    await shot(page, 'settings');

    await page.goto(`/u/${owner.username}`);
    await expect.poll(() => page.getByRole('heading', { name: owner.name }).isVisible()).toBe(true);
    expect(await page.locator('.bio').textContent()).toBe('Potter. Fires on Fridays.');
    expect(await page.getByRole('heading', { name: 'Badges' }).isVisible()).toBe(true);
    await shot(page, 'profile');
  });

  it('works at phone width (375 px): no sideways scrolling, a menu, a usable composer', async () => {
    const { context, page } = await newContext(browser, server.url, PHONE);
    page.on('pageerror', (e) => errors.push(`phone: ${e.message}`));
    await page.goto('/login');
    await page.getByLabel('Username or email').fill(member.username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Home', level: 1 }).isVisible()).toBe(true);
    // The account links fold into the menu.
    expect(await page.getByRole('button', { name: 'Log out' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    expect(await page.getByRole('button', { name: 'Log out' }).isVisible()).toBe(true);
    await shot(page, 'phone-menu');
    await page.getByRole('button', { name: 'Menu' }).click();
    expect(await horizontalOverflow(page)).toBe(0);
    await shot(page, 'phone-discover');

    await page.goto(`/c/${slug}`);
    await expect.poll(() => page.locator('.thread-item').count()).toBe(1);
    expect(await horizontalOverflow(page)).toBe(0);
    await shot(page, 'phone-community');

    await page.goto(threadUrl);
    await expect.poll(() => page.getByRole('heading', { name: title, level: 1 }).isVisible()).toBe(true);
    expect(await horizontalOverflow(page)).toBe(0);
    const reaction = page.locator('.thread .reaction').first();
    const box = await reaction.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    expect(box!.height).toBeGreaterThanOrEqual(32); // a comfortable touch target
    await shot(page, 'phone-thread');
    await context.close();
  });

  it('serves a public thread as HTML without JavaScript (title, body, comments, canonical, Open Graph)', async () => {
    const page = pages.owner!;
    const csrf = (await page.context().cookies()).find((c) => c.name === 'hearth_csrf')!.value;
    const headers = { 'x-csrf-token': csrf };
    const c = await page.request.post('/api/v1/communities', {
      headers,
      data: { slug: `open-${run}`, name: 'Open Studio' },
    });
    expect(c.status()).toBe(201);
    const t = await page.request.post(`/api/v1/communities/open-${run}/threads`, {
      headers,
      data: { title: 'Kiln open day', body: 'Come by on **Saturday**.' },
    });
    const thread = await t.json();
    await page.request.post(`/api/v1/threads/${thread.id}/comments`, {
      headers,
      data: { body: 'Bring mugs' },
    });

    const noJs = await browser.newContext({ baseURL: server.url, javaScriptEnabled: false });
    const anon = await noJs.newPage();
    const res = await anon.goto(`/c/open-${run}/t/${thread.id}`);
    expect(res!.status()).toBe(200);
    expect(await anon.locator('h1').textContent()).toBe('Kiln open day');
    expect(await anon.locator('.prose strong').first().textContent()).toBe('Saturday');
    expect(await anon.locator('.comment').textContent()).toContain('Bring mugs');
    expect(await anon.locator('meta[property="og:title"]').getAttribute('content')).toBe('Kiln open day');
    expect(await anon.locator('link[rel="canonical"]').getAttribute('href')).toMatch(
      new RegExp(`/c/open-${run}/t/${thread.id}$`),
    );
    await shot(anon, 'public-thread-no-js');
    // And the private one, without JavaScript, is the 404 page with nothing of it.
    const priv = await anon.goto(threadUrl);
    expect(priv!.status()).toBe(404);
    expect(await anon.content()).not.toContain(title);
    await noJs.close();
  });

  it('had no uncaught errors in any page', () => {
    expect(errors).toEqual([]);
  });
});
