import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';
import { HOUR } from '../../platform/clock.ts';
import { fold } from './events.ical.ts';

/** Parses a feed with ical.js (a real RFC 5545 parser) and checks the framing it tolerates. */
function parse(text: string) {
  expect(text.endsWith('\r\n')).toBe(true);
  for (const line of text.split('\r\n')) {
    expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(line).not.toMatch(/[\r\n]/);
  }
  const cal = new ICAL.Component(ICAL.parse(text));
  expect(cal.getFirstPropertyValue('version')).toBe('2.0');
  expect(cal.getFirstPropertyValue('prodid')).toBeTruthy();
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    expect(v.getFirstPropertyValue('dtstamp')).toBeTruthy();
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description,
      location: e.location,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      status: v.getFirstPropertyValue('status'),
    };
  });
}

describe('calendar feeds (.ics, RFC 5545)', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  const raw = (url: string, user?: TestUser) =>
    t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: user?.headers ?? {} });

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [owner, member, outsider] = await createUsers(t.app, 'cal_owner', 'cal_member', 'cal_out');
    await call('POST', '/communities', { slug: 'cal-pub', name: 'Public, with; commas' }, owner);
    await call(
      'POST',
      '/communities',
      { slug: 'cal-priv', name: 'Secret club', visibility: 'private' },
      owner,
    );
    await call('POST', '/communities/cal-pub/join', {}, member);
    await call('POST', '/communities/cal-priv/invites', { username: member.username }, owner);
    await call('POST', '/communities/cal-priv/join', {}, member);
  });
  afterAll(async () => t?.close());

  const event = async (slug: string, extra: object = {}) => {
    const res = await call(
      'POST',
      `/communities/${slug}/events`,
      {
        title: 'Run',
        mode: 'in_person',
        location: 'Gate',
        startsAt: new Date(t.clock.now() + 24 * HOUR).toISOString(),
        endsAt: new Date(t.clock.now() + 26 * HOUR).toISOString(),
        timeZone: 'America/New_York',
        ...extra,
      },
      owner,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  it('folds at 75 octets without splitting UTF-8 characters', () => {
    const line = `DESCRIPTION:${'é'.repeat(100)}`;
    const folded = fold(line);
    for (const l of folded.split('\r\n')) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(
      folded
        .split('\r\n')
        .map((l, i) => (i ? l.slice(1) : l))
        .join(''),
    ).toBe(line);
  });

  it('serves a public community feed that a real parser reads back field by field, without online links', async () => {
    const long = `Line one; with, punctuation \\ and a backslash\nLine two ${'très long '.repeat(20)}`;
    const e = await event('cal-pub', { title: 'Trail, run; 10 km', description: long });
    const online = await event('cal-pub', {
      title: 'Online',
      mode: 'online',
      onlineUrl: 'https://meet.example/xyz',
    });
    const res = await raw('/communities/cal-pub/events.ics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    const events = parse(res.body);
    const got = events.find((x) => x.summary === 'Trail, run; 10 km')!;
    expect(got).toMatchObject({
      uid: `event-${e.id}@localhost:3000`,
      location: 'Gate',
      start: e.startsAt,
      end: e.endsAt,
      status: 'CONFIRMED',
    });
    expect(got.description).toContain(long);
    expect(events.find((x) => x.uid.startsWith(`event-${online.id}@`))).toBeTruthy();
    expect(res.body).not.toContain('meet.example');
  });

  it('keeps private feeds to members: 404 to outsiders, a revocable secret URL for calendar apps', async () => {
    await event('cal-priv', { title: 'Secret meeting' });
    expect((await raw('/communities/cal-priv/events.ics')).statusCode).toBe(404);
    expect((await raw('/communities/cal-priv/events.ics', outsider)).statusCode).toBe(404);
    // Outsider's own token does not open the private feed either.
    const outsiderToken = (await call('POST', '/me/calendar', {}, outsider)).body.token;
    expect((await raw(`/communities/cal-priv/events.ics?token=${outsiderToken}`)).statusCode).toBe(404);
    const created = await call('POST', '/me/calendar', {}, member);
    expect(created.body.feedUrl).toMatch(/\/api\/v1\/calendar\/hcal_.+\.ics$/);
    const token = created.body.token as string;
    const feed = await raw(`/communities/cal-priv/events.ics?token=${token}`);
    expect(parse(feed.body).map((x) => x.summary)).toContain('Secret meeting');
    expect((await call('GET', '/me/calendar', undefined, member)).body).toMatchObject({ active: true });
    expect((await call('GET', '/me/calendar', undefined, member)).body.token).toBeUndefined();
    // Rotating kills the old URL.
    const rotated = (await call('POST', '/me/calendar', {}, member)).body.token;
    expect((await raw(`/calendar/${token}.ics`)).statusCode).toBe(404);
    expect((await raw(`/calendar/${rotated}.ics`)).statusCode).toBe(200);
    await call('DELETE', '/me/calendar', undefined, member);
    expect((await raw(`/calendar/${rotated}.ics`)).statusCode).toBe(404);
  });

  it("shows a member's RSVPs in their feed, with the link when going, and drops a private community's events once they leave", async () => {
    const pub = await event('cal-pub', {
      title: 'Public online',
      mode: 'online',
      onlineUrl: 'https://meet.example/pub',
    });
    const priv = await event('cal-priv', { title: 'Private meetup' });
    await call('POST', `/events/${pub.id}/rsvp`, { status: 'going' }, member);
    await call('POST', `/events/${priv.id}/rsvp`, { status: 'maybe' }, member);
    const token = (await call('POST', '/me/calendar', {}, member)).body.token;
    const before = await raw(`/calendar/${token}.ics`);
    const events = parse(before.body);
    expect(events.map((x) => x.summary).sort()).toEqual(['Private meetup', 'Public online']);
    expect(events.find((x) => x.summary === 'Public online')!.location).toBe('https://meet.example/pub');
    expect((await call('POST', '/communities/cal-priv/leave', {}, member)).status).toBe(200);
    const after = parse((await raw(`/calendar/${token}.ics`)).body);
    expect(after.map((x) => x.summary)).toEqual(['Public online']);
    expect((await raw(`/communities/cal-priv/events.ics?token=${token}`)).statusCode).toBe(404);
  });

  it('serves one event as a file, with its link only for attendees going', async () => {
    const e = await event('cal-pub', { mode: 'online', onlineUrl: 'https://meet.example/one' });
    const anon = await raw(`/events/${e.id}/event.ics`);
    expect(anon.headers['content-disposition']).toContain('.ics');
    expect(parse(anon.body)).toHaveLength(1);
    expect(anon.body).not.toContain('meet.example/one');
    await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, member);
    expect((await raw(`/events/${e.id}/event.ics`, member)).body).toContain('meet.example/one');
  });
});
