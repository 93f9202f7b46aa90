import { createHmac, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, launchBrowser, newContext, PHONE, shot } from '../src/browser.ts';
import { dialect, ensureWebBuild, type RunningServer, startServer } from '../src/server.ts';

/**
 * A brand partnership in a real browser against a real `hearth serve`: a creator opts in; a
 * brand manager creates a brand, finds the creator by niche (figures explained on hover),
 * creates a campaign, asks a community and invites the creator; the community's owner
 * approves; the creator accepts, drafts and submits; the manager approves; the creator
 * publishes, and the thread page shows "Sponsored · <brand>" (also in the list, the
 * server-rendered page). Then the ROI report and the phone width.
 */
describe(`partnerships in chromium (${dialect})`, () => {
  const run = randomBytes(2).toString('hex');
  const password = 'correct horse battery';
  const manager = { username: `bea_${run}`, name: 'Bea Brand' };
  const owner = { username: `oli_${run}`, name: 'Oli Owner' };
  const creator = { username: `cam_${run}`, name: 'Cam Creator' };
  const slug = `trail-${run}`;
  const brandSlug = `acme-${run}`;
  const brandName = `Acme ${run}`;
  const title = `Grip test ${run}`;

  let server: RunningServer;
  let browser: Browser;
  const pages: Record<string, Page> = {};
  const errors: string[] = [];
  let campaignUrl = '';
  let secret = '';

  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
    browser = await launchBrowser();
    for (const key of ['manager', 'owner', 'creator']) {
      const { page } = await newContext(browser, server.url);
      page.on('pageerror', (e) => errors.push(`${key}: ${e.message}`));
      pages[key] = page;
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A JSON call from inside the page (its session cookie, and the CSRF header the app sends). */
  const call = (page: Page, method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ([m, p, b]) => {
        const csrf = /(?:^|; )hearth_csrf=([^;]*)/.exec(document.cookie)?.[1];
        const res = await fetch(`/api/v1${p}`, {
          method: m as string,
          headers: {
            'content-type': 'application/json',
            ...(csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}),
          },
          body: b === undefined ? undefined : JSON.stringify(b),
        });
        return { status: res.status, body: await res.json() };
      },
      [method, path, body] as const,
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

  it('signs up three people; the owner makes a community the creator joins', async () => {
    await signUp(pages.manager!, manager);
    await signUp(pages.owner!, owner);
    await signUp(pages.creator!, creator);
    expect((await call(pages.owner!, 'POST', '/communities', { slug, name: `Trail ${run}` })).status).toBe(
      201,
    );
    expect((await call(pages.creator!, 'POST', `/communities/${slug}/join`, {})).status).toBe(200);
    const t = await call(pages.creator!, 'POST', `/communities/${slug}/threads`, {
      title: 'Hill repeats',
      body: 'Tips #trail',
    });
    expect(t.status).toBe(201);
    expect(
      (await call(pages.owner!, 'POST', `/threads/${t.body.id}/reactions`, { kind: 'like' })).status,
    ).toBe(200);
  });

  it('lets the creator opt in with a profile whose figures Hearth computes', async () => {
    const page = pages.creator!;
    await page.goto('/creator');
    await page.getByLabel('Headline').fill('Trail tips every week');
    await page.getByLabel(/^Niches/).fill('trail');
    await page.getByLabel(/^Communities/).fill(slug);
    await page.getByRole('button', { name: 'Opt in' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Figures' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Your public profile' }).isVisible()).toBe(true);
  });

  it('lets a brand manager create a brand and find the creator by niche, figures explained', async () => {
    const page = pages.manager!;
    await page.getByRole('link', { name: 'Partnerships' }).click();
    await page.getByLabel('Brand name').fill(brandName);
    await page.getByLabel('Brand address').fill(brandSlug);
    await page.getByLabel('Website').fill('https://shop.acme.test');
    await page.getByRole('button', { name: 'Create brand' }).click();
    await expect.poll(() => page.locator('code.secret').textContent()).toMatch(/^whsec_/);
    secret = (await page.locator('code.secret').textContent()) ?? '';
    await page.getByRole('link', { name: brandName }).click();
    await page.getByRole('link', { name: 'Find creators' }).click();
    await page.getByLabel('Niche tag').fill('trail');
    await page.getByRole('button', { name: 'Search' }).click();
    const card = page
      .getByRole('list', { name: 'Creators' })
      .getByRole('listitem')
      .filter({ hasText: creator.name });
    await expect.poll(() => card.isVisible()).toBe(true);
    const auth = card.getByRole('button', { name: 'Authenticity' });
    await auth.hover();
    const tip = card.locator('.figure').filter({ hasText: 'Authenticity' }).locator('.tip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain('reaction ring');
    await shot(page, 'partnerships-creator-search');
  });

  it('creates a campaign, asks the community and invites the creator', async () => {
    const page = pages.manager!;
    await page.goto(`/brands/${brandSlug}`);
    await page.getByRole('button', { name: 'New campaign' }).click();
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Campaign title').fill(`Spring shoes ${run}`);
    await page.getByLabel('Brief', { exact: true }).fill('Tell trail runners about our grip.');
    await page.getByLabel('Budget').fill('500');
    await page.getByLabel('Starts').fill(day(-1));
    await page.getByLabel('Ends').fill(day(30));
    await page.getByLabel(/^Landing page/).fill('https://shop.acme.test/spring');
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(/\/campaigns\/\d+$/);
    campaignUrl = new URL(page.url()).pathname;
    await page.getByLabel('Community address').fill(slug);
    await page.getByRole('button', { name: 'Ask the owner' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Communities' }).textContent())
      .toContain('pending');
    await page.getByLabel('Creator username').fill(creator.username);
    await page.getByLabel('Fee').fill('100');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Creators' }).textContent())
      .toContain('invited');
  });

  it('lets the community owner approve it, and the creator accept, draft and submit', async () => {
    const o = pages.owner!;
    await o.goto(`/c/${slug}/partnerships`);
    await o.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => o.getByRole('region', { name: 'Campaign requests' }).textContent())
      .toContain('approved');
    await shot(o, 'partnerships-owner-approval');

    const c = pages.creator!;
    await c.goto(campaignUrl);
    await c.getByRole('button', { name: 'Accept invitation' }).click();
    await expect.poll(() => c.getByRole('form', { name: 'New deliverable' }).isVisible()).toBe(true);
    const form = c.getByRole('form', { name: 'New deliverable' });
    await form.getByLabel('Community').fill(slug);
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Text').fill('These shoes grip on wet rock. #trail');
    await form.getByRole('button', { name: 'Save draft' }).click();
    await c.getByRole('button', { name: 'Send for review' }).click();
    await expect
      .poll(() => c.getByRole('region', { name: 'Your content' }).textContent())
      .toContain('In brand review');
  });

  it('lets the manager approve the content, and the creator publish it with its label', async () => {
    const m = pages.manager!;
    await m.goto(campaignUrl);
    await m
      .getByRole('listitem', { name: new RegExp(`^Review ${title}`) })
      .getByRole('button', { name: 'Approve' })
      .click();
    await expect
      .poll(() => m.getByRole('region', { name: 'Content review' }).textContent())
      .toContain('Approved');

    const c = pages.creator!;
    await c.goto(campaignUrl);
    await c.getByRole('button', { name: /^Publish with/ }).click();
    await c.getByRole('link', { name: 'View the published thread' }).click();
    await c.waitForURL(/\/c\/.+\/t\/\d+$/);
    const label = c.locator('article.thread .sponsored-label');
    await expect.poll(() => label.textContent()).toBe(`Sponsored · ${brandName}`);
    expect(await c.getByRole('heading', { name: title, level: 1 }).isVisible()).toBe(true);
    await shot(c, 'partnerships-sponsored-thread');
    const threadPath = new URL(c.url()).pathname;

    // The community's list shows it too, and so does the page without JavaScript.
    await c.goto(`/c/${slug}`);
    const item = c.locator('.thread-item').filter({ hasText: title });
    await expect.poll(() => item.locator('.sponsored-label').textContent()).toBe(`Sponsored · ${brandName}`);
    const html = await (await fetch(`${server.url}${threadPath}`)).text();
    expect(html).toContain(`Sponsored · <a href="/brands/${brandSlug}">${brandName}</a>`);
  });

  it('counts a tracked click and a signed conversion in the ROI report, with its chart', async () => {
    const m = pages.manager!;
    await m.goto(campaignUrl);
    await m.getByRole('button', { name: 'New tracked link' }).click();
    const code = m.getByRole('region', { name: 'Creators' }).locator('code').first();
    await expect.poll(() => code.textContent()).toMatch(/\/r\/[\w-]+$/);
    // (The link is absolute on HEARTH_PUBLIC_URL; this server listens on a port the OS picked.)
    const link = new URL((await code.textContent())!).pathname;
    const hop = await fetch(`${server.url}${link}`, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    const ref = new URL(hop.headers.get('location')!).searchParams.get('hearth_click')!;
    // The brand's shop reports an order, signed with the brand's secret; a wrong signature is refused.
    const raw = JSON.stringify({
      brand: brandSlug,
      id: `m-${run}`,
      orderId: `o-${run}`,
      amountCents: 12000,
      currency: 'EUR',
      clickRefs: [ref],
    });
    const t = Math.floor(Date.now() / 1000);
    const send = (signature: string) =>
      fetch(`${server.url}/api/v1/partnerships/conversions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hearth-signature': signature },
        body: raw,
      });
    expect((await send(`t=${t},v1=${'0'.repeat(64)}`)).status).toBe(401);
    const mac = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
    expect((await send(`t=${t},v1=${mac}`)).status).toBe(201);

    await m.goto(`${campaignUrl}/report`);
    const row = m.getByRole('row', { name: new RegExp(`@${creator.username}`) });
    await expect.poll(() => row.textContent()).toContain('€120.00');
    expect(await row.textContent()).toContain('20 %');
    await expect.poll(() => m.locator('.chart canvas').count()).toBeGreaterThan(0);
    expect(await m.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toMatch(/report\.csv$/);
    await shot(m, 'partnerships-report');
  });

  it('fits a phone', async () => {
    const m = pages.manager!;
    const { page: phone } = await newContext(browser, server.url, PHONE);
    await phone.context().addCookies(await m.context().cookies());
    await phone.goto(campaignUrl);
    await expect.poll(() => phone.getByRole('heading', { level: 1 }).textContent()).toContain('Spring shoes');
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await shot(phone, 'partnerships-campaign-phone');
    expect(errors).toEqual([]);
  });
});
