import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, launchBrowser, newContext, PHONE, shot } from '../src/browser.ts';
import { dialect, ensureWebBuild, type RunningServer, startServer } from '../src/server.ts';

/**
 * Events and polls in a real browser against a real `hearth serve`: an owner creates an
 * event with two places in the form (its own time zone); three members RSVP, the third
 * lands on the waitlist and is promoted when someone cancels; the host checks an attendee
 * in. Then a thread with a poll from the composer: results stay hidden until the member
 * votes, and appear after. People sign up and join through the API (the scenario test
 * covers those screens); everything about events and polls goes through the pages.
 */
describe(`events and polls in chromium (${dialect})`, () => {
  const run = randomBytes(2).toString('hex');
  const slug = `trail-${run}`;
  const names = ['host', 'ann', 'ben', 'cat'] as const;
  const password = 'correct horse battery';
  let server: RunningServer;
  let browser: Browser;
  const errors: string[] = [];
  const pages = {} as Record<(typeof names)[number], Page>;
  let eventUrl = '';
  /** The machine may be loaded: give pages the same 10 s the locators get. */
  const SOON = { timeout: 10_000 };

  /** A JSON call with the page's session cookie and CSRF token, as the web app makes them. */
  async function call(page: Page, method: 'POST' | 'PATCH', path: string, data: unknown = {}) {
    const cookies = await page.context().cookies();
    const csrf = cookies.find((c) => c.name === 'hearth_csrf')?.value ?? '';
    const res = await page.request.fetch(`/api/v1${path}`, {
      method,
      data,
      headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' },
    });
    if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
    return res.json();
  }

  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
    browser = await launchBrowser();
    for (const n of names) {
      const { page } = await newContext(browser, server.url);
      page.on('pageerror', (e) => errors.push(`${n}: ${e.message}`));
      pages[n] = page;
      const username = `${n}_${run}`;
      const res = await page.request.post('/api/v1/auth/signup', {
        data: { username, email: `${username}@example.test`, password, displayName: n.toUpperCase() },
      });
      expect(res.status()).toBe(201);
    }
    await call(pages.host, 'POST', '/communities', { slug, name: `Trail ${run}` });
    for (const n of ['ann', 'ben', 'cat'] as const) await call(pages[n], 'POST', `/communities/${slug}/join`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates an event with a capacity in its own time zone', async () => {
    const page = pages.host;
    await page.goto(`/c/${slug}`);
    await page
      .getByRole('navigation', { name: 'Community sections' })
      .getByRole('link', { name: 'Events' })
      .click();
    await page.getByRole('link', { name: 'New event' }).click();
    await page.getByLabel('Title').fill('Sunrise hill repeats');
    await page.getByLabel(/^Description/).fill('Bring a head torch.');
    await page.getByLabel('Place').fill('North gate');
    const year = new Date().getUTCFullYear() + 1;
    await page.getByLabel('Starts').fill(`${year}-06-20T06:30`);
    await page.getByLabel('Ends').fill(`${year}-06-20T08:00`);
    await page.getByLabel('Time zone').selectOption('America/New_York');
    await page.getByLabel(/^Capacity/).fill('2');
    await shot(page, 'event-form');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.waitForURL(/\/e\/\d+$/);
    eventUrl = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: 'Sunrise hill repeats', level: 1 }).waitFor();
    const facts = await page.locator('.facts').textContent();
    expect(facts).toContain('06:30');
    expect(facts).toContain('America/New_York');
    expect(await page.getByTestId('event-counts').textContent()).toContain('0 going of 2 places');
  });

  it('fills the places, puts the next member on the waitlist, and promotes them when someone cancels', async () => {
    for (const n of ['ann', 'ben'] as const) {
      const p = pages[n];
      await p.goto(eventUrl);
      await p.getByRole('button', { name: 'Going', exact: true }).click();
      await expect.poll(() => p.getByTestId('my-rsvp').textContent(), SOON).toContain('going');
    }
    const cat = pages.cat;
    await cat.goto(eventUrl);
    await cat.getByRole('button', { name: 'Join the waitlist' }).click();
    await expect.poll(() => cat.getByTestId('my-rsvp').textContent(), SOON).toContain('waitlist, number 1');
    expect(await cat.getByTestId('attendees-waitlist').textContent()).toContain(`cat_${run}`);
    await shot(cat, 'event-waitlisted');

    const ann = pages.ann;
    await ann.reload();
    await ann.getByRole('button', { name: 'Not going' }).click();
    await expect.poll(() => ann.getByTestId('my-rsvp').textContent(), SOON).toContain('not going');
    await cat.reload();
    await expect.poll(() => cat.getByTestId('my-rsvp').textContent(), SOON).toContain('going');
    expect(await cat.getByTestId('event-counts').textContent()).toContain('2 going of 2 places');
  });

  it('gives the host a check-in screen', async () => {
    const page = pages.host;
    await page.goto(eventUrl);
    await page.getByRole('link', { name: 'Check-in screen' }).click();
    await page.getByText('0 of 2 checked in').waitFor();
    await page.getByLabel('Find someone').fill('cat');
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await page.getByText('1 of 2 checked in').waitFor();
    await shot(page, 'event-checkin');
  });

  it('shows a poll from the composer, with results hidden until the member votes', async () => {
    const page = pages.host;
    await page.goto(`/c/${slug}/submit`);
    await page.getByLabel('Title').fill('Next long run?');
    await page.getByLabel('Body').fill('Pick a route.');
    await page.getByRole('button', { name: 'Add a poll' }).click();
    await page.getByLabel('Question').fill('Which route?');
    await page.getByLabel('Option 1').fill('Ridge');
    await page.getByLabel('Option 2').fill('Lakeside');
    await page.getByRole('button', { name: 'Post thread' }).click();
    await page.waitForURL(/\/t\/\d+$/);
    const threadUrl = new URL(page.url()).pathname;

    const ben = pages.ben;
    await ben.goto(threadUrl);
    await ben.getByRole('heading', { name: 'Which route?' }).waitFor();
    expect(await ben.getByTestId('poll-results').count()).toBe(0);
    await ben.getByRole('radio', { name: 'Lakeside' }).check();
    await ben.getByRole('button', { name: 'Vote', exact: true }).click();
    const results = ben.getByTestId('poll-results');
    await expect.poll(() => results.count(), SOON).toBe(1);
    expect(await results.textContent()).toContain('Lakeside');
    expect(await results.textContent()).toContain('1 (100%)');
    await shot(ben, 'poll-voted');

    // Someone who has not voted still sees no counts.
    const cat = pages.cat;
    await cat.goto(threadUrl);
    await cat.getByRole('button', { name: 'Vote', exact: true }).waitFor();
    expect(await cat.getByTestId('poll-results').count()).toBe(0);
  });

  it('fits a phone screen, with no script errors', async () => {
    const { page } = await newContext(browser, server.url, PHONE);
    await page.goto(eventUrl);
    await page.getByRole('heading', { name: 'Sunrise hill repeats' }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'event-phone');
    expect(errors).toEqual([]);
  });
});
