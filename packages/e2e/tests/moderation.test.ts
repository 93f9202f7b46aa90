import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpApi } from '../src/api.ts';
import { horizontalOverflow, launchBrowser, newContext, PHONE, shot } from '../src/browser.ts';
import { dialect, ensureWebBuild, type RunningServer, startServer } from '../src/server.ts';

/**
 * Issue 6 in a real browser: a member reports a thread citing a rule; the moderator handles
 * it from the review queue (remove with a reason); its author sees the reason and appeals,
 * and another moderator decides; spam from a new account is held, shows in the queue and is
 * approved with a keyboard shortcut; the public log shows the actions; changed guidelines
 * are accepted where the write was refused.
 */
describe(`moderation in chromium (${dialect})`, () => {
  const run = randomBytes(2).toString('hex');
  const slug = `studio-${run}`;
  const who = {
    olga: { username: `olga_${run}`, name: 'Olga Owner' },
    mo: { username: `mo_${run}`, name: 'Mo Member' },
    rita: { username: `rita_${run}`, name: 'Rita Reader' },
    sam: { username: `sam_${run}`, name: 'Sam New' },
  };
  type Who = keyof typeof who;
  const reason = 'Self-promotion is not allowed here';
  const spam = 'WIN a FREE prize!!! Call 0800 123 4567 now or txt WIN to 80082 to claim your £500 cash';
  let server: RunningServer;
  let browser: Browser;
  const errors: string[] = [];
  const pages = {} as Record<Who, Page>;
  let promo = 0;
  let spamUrl = '';

  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
    browser = await launchBrowser();
    for (const key of Object.keys(who) as Who[]) {
      const { page } = await newContext(browser, server.url);
      page.on('pageerror', (e) => errors.push(`${key}: ${e.message}`));
      pages[key] = page;
      await page.goto('/');
      await signUpApi(page, who[key].username, who[key].name);
    }
    await call(pages.olga, 'POST', '/communities', {
      slug,
      name: `Clay Studio ${run}`,
      guidelines: '1. Be kind.\n2. No self-promotion.\n3. Stay on topic.',
    });
    for (const k of ['mo', 'rita', 'sam'] as const)
      await call(pages[k], 'POST', `/communities/${slug}/join`, { acceptGuidelines: true });
    promo = (
      await call(pages.mo, 'POST', `/communities/${slug}/threads`, {
        title: 'My wheel throwing course',
        body: 'Mondays in my garage, ask me about it.',
      })
    ).id;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lets a member report a thread with a reason and the rule it breaks', async () => {
    const page = pages.rita;
    await page.goto(`/c/${slug}/t/${promo}`);
    await page.getByRole('button', { name: 'Report this thread' }).click();
    const form = page.getByRole('form', { name: 'Report this thread' });
    await form.getByLabel('Why?').selectOption('spam');
    await expect.poll(() => form.getByLabel(/Rule it breaks/).isVisible()).toBe(true);
    await form.getByLabel(/Rule it breaks/).selectOption('2');
    await form.getByLabel(/Anything moderators should know/).fill('Advertises a paid course');
    await shot(page, 'report');
    await form.getByRole('button', { name: 'Send report' }).click();
    await expect.poll(() => page.getByText('Reported. Thank you').isVisible()).toBe(true);
  });

  it('lets the moderator handle it from the queue: remove, with a reason the author is told', async () => {
    const page = pages.olga;
    await page.goto(`/c/${slug}`);
    await page
      .getByRole('navigation', { name: 'Community sections' })
      .getByRole('link', { name: 'Moderation' })
      .click();
    const item = page.locator('.queue-item').filter({ hasText: 'My wheel throwing course' });
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.locator('.queue-body').textContent()).toContain('Mondays in my garage');
    await item.getByText('The report').click();
    const report = await item.locator('.queue-reports').textContent();
    expect(report).toContain('rule 2: No self-promotion.');
    expect(report).toContain('Advertises a paid course');
    expect(await item.locator('.suggested').textContent()).toBe('Suggested next step: Warn');
    await item.getByRole('button', { name: /^Remove/ }).click();
    // No reason yet: the field asks for one first.
    await expect
      .poll(() => item.getByLabel(/^Reason/).evaluate((el) => el === document.activeElement))
      .toBe(true);
    await item.getByLabel(/^Reason/).fill(reason);
    await item.getByLabel('Rule').selectOption('2');
    await shot(page, 'queue');
    await item.getByRole('button', { name: /^Remove/ }).click();
    await expect.poll(() => item.locator('output').textContent()).toBe('Done: Removed.');
  });

  it('shows the author the removal reason; they appeal, and another moderator decides', async () => {
    const page = pages.mo;
    await page.goto(`/c/${slug}/t/${promo}`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'This thread was removed' }).isVisible())
      .toBe(true);
    expect(await page.locator('.removal-reason').textContent()).toBe(`Reason: ${reason}`);
    expect(await page.getByText('Rule 2: No self-promotion.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Appeal' }).click();
    await page.getByLabel('Why should moderators look again?').fill('It is a free course for members.');
    await page.getByRole('button', { name: 'Send appeal' }).click();
    await expect.poll(() => page.getByText('waiting for a moderator').isVisible()).toBe(true);
    await shot(page, 'removed-appeal');

    // Olga removed it, so she cannot decide; Rita, made a moderator, can.
    await pages.olga.goto(`/c/${slug}/moderation/appeals`);
    const mine = pages.olga.locator('.appeal').filter({ hasText: 'free course' });
    await expect.poll(() => mine.getByText('Another moderator decides').isVisible()).toBe(true);
    await call(pages.olga, 'PATCH', `/communities/${slug}/members/${who.rita.username}`, {
      role: 'moderator',
    });
    const r = pages.rita;
    await r.goto(`/c/${slug}/moderation/appeals`);
    const appeal = r.locator('.appeal').filter({ hasText: 'free course' });
    await appeal.getByLabel(/Note to the member/).fill('Paid or not, it is an advert.');
    await appeal.getByRole('button', { name: 'Uphold' }).click();
    await expect.poll(() => appeal.locator('.badge').first().textContent()).toBe('upheld');
    await page.goto('/me/moderation');
    await expect.poll(() => page.locator('.notice-item').first().textContent()).toContain('Appeal: upheld');
  });

  it('holds spam from a new account; it shows in the queue and is approved from the keyboard', async () => {
    const page = pages.sam;
    await page.goto(`/c/${slug}/submit`);
    await page.getByLabel('Title').fill('Great offer');
    await page.getByLabel('Body').fill(spam);
    await page.getByRole('button', { name: 'Post thread' }).click();
    await page.waitForURL(/\/t\/\d+$/);
    spamUrl = new URL(page.url()).pathname;
    await expect.poll(() => page.getByText('Waiting for approval').isVisible()).toBe(true);
    // Nobody else sees it meanwhile.
    const mo = pages.mo;
    await mo.goto(spamUrl);
    await expect.poll(() => mo.getByRole('heading', { name: 'Not found' }).isVisible()).toBe(true);

    const q = pages.olga;
    await q.goto(`/c/${slug}/moderation`);
    const item = q.locator('.queue-item').filter({ hasText: 'Great offer' });
    await expect.poll(() => item.locator('.badge-warn').textContent()).toBe('Held for approval');
    expect(await item.textContent()).toContain('Spam or advertising');
    expect(await item.textContent()).toContain('automatic moderation');
    await shot(q, 'queue-held');
    await item.focus();
    await q.keyboard.press('a');
    await expect.poll(() => item.locator('output').textContent()).toBe('Done: Approved.');
    await mo.goto(spamUrl);
    await expect
      .poll(() => mo.getByRole('heading', { name: 'Great offer', level: 1 }).isVisible())
      .toBe(true);
  });

  it('shows the actions in the public moderation log, to anyone', async () => {
    const { context, page } = await newContext(browser, server.url);
    page.on('pageerror', (e) => errors.push(`anonymous: ${e.message}`));
    await page.goto(`/c/${slug}/modlog`);
    const entry = page.locator('.modlog-entry').filter({ hasText: 'Removed' });
    await expect.poll(() => entry.count()).toBe(1);
    const text = await entry.textContent();
    expect(text).toContain(`@${who.mo.username}`);
    expect(text).toContain('Rule 2: No self-promotion.');
    expect(text).toContain(reason);
    expect(text).toContain(`by @${who.olga.username}`);
    await shot(page, 'modlog');
    // Hidden names: the owner turns them off in the settings.
    const o = pages.olga;
    await o.goto(`/c/${slug}/moderation/settings`);
    await o.getByLabel(/Show which moderator took each action/).uncheck();
    await o.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => o.locator('output').filter({ hasText: 'Saved.' }).count()).toBe(1);
    await shot(o, 'moderation-settings');
    await page.reload();
    await expect.poll(() => page.getByText('does not name its moderators').isVisible()).toBe(true);
    expect(await entry.textContent()).not.toContain(who.olga.username);
    await context.close();
  });

  it('asks a member to accept changed guidelines where posting was refused', async () => {
    await call(pages.olga, 'PATCH', `/communities/${slug}`, {
      guidelines: '1. Be kind.\n2. No self-promotion.\n3. Stay on topic.\n4. Credit the photos you post.',
    });
    const page = pages.mo;
    await page.goto(spamUrl);
    await page.getByLabel('Add a comment').fill('Welcome to the studio!');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    const prompt = page.locator('.guidelines-accept');
    await expect.poll(() => prompt.textContent()).toContain('Credit the photos you post');
    await shot(page, 'guidelines-reaccept');
    await prompt.getByLabel('I have read and accept these guidelines').check();
    await prompt.getByRole('button', { name: 'Accept the new guidelines' }).click();
    await expect.poll(() => prompt.count()).toBe(0);
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await expect
      .poll(() => page.locator('.comment').filter({ hasText: 'Welcome to the studio!' }).count())
      .toBe(1);
  });

  it('works at phone width (375 px): queue, settings, log, notices', async () => {
    const { context, page } = await newContext(browser, server.url, PHONE);
    page.on('pageerror', (e) => errors.push(`phone: ${e.message}`));
    await page.goto('/');
    await page.request.post('/api/v1/auth/login', {
      data: { login: who.olga.username, password: 'correct horse battery' },
    });
    await call(pages.rita, 'POST', '/reports', {
      targetType: 'thread',
      targetId: Number(spamUrl.split('/').pop()),
      reason: 'other',
    });
    for (const [path, ready] of [
      [`/c/${slug}/moderation`, '.queue-item'],
      [`/c/${slug}/moderation/settings`, '#settings-h'],
      [`/c/${slug}/modlog`, '.modlog-entry'],
      [`/c/${slug}/members/${who.mo.username}`, '#trust-h'],
    ] as const) {
      await page.goto(path);
      await expect.poll(() => page.locator(ready).first().isVisible()).toBe(true);
      expect(await horizontalOverflow(page), path).toBe(0);
      await shot(page, `phone-${path.split('/').slice(3).join('-') || 'community'}`);
    }
    await context.close();
  });

  it('had no uncaught errors in any page', () => {
    expect(errors).toEqual([]);
  });
});
