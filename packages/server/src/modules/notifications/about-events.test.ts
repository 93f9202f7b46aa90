import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../../test/fixtures.ts';
import {
  api,
  createTestApp,
  createUsers,
  dialect,
  type TestApp,
  type TestUser,
} from '../../../test/harness.ts';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.ts';
import { HOUR } from '../../platform/clock.ts';

/**
 * Notifications about other modules' news: event reminders (in the inbox, and by email to a
 * real SMTP sink when the member is away), a place freed from the waitlist, a cancellation,
 * and an earned badge. Only members who may read the community are told.
 */
describe(`notifications of events and badges (${dialect})`, () => {
  let t: TestApp;
  let sink: SmtpSink;
  let host: TestUser;
  let first: TestUser;
  let second: TestUser;
  let leaver: TestUser;
  const call = () => api(t.app);
  const settle = async () => {
    await t.app.events.drain();
    await t.app.mail.flush();
  };
  const inbox = async (u: TestUser) =>
    (await ok(call()('GET', '/notifications', undefined, u))).body.items as {
      type: string;
      text: string;
      url: string;
      read: boolean;
    }[];
  const createEvent = async (startsInHours: number, capacity: number | null = null) =>
    (
      await ok(
        call()(
          'POST',
          '/communities/runners/events',
          {
            title: 'Night trail',
            description: 'Head torches',
            mode: 'in_person',
            location: 'North gate',
            startsAt: new Date(t.clock.now() + startsInHours * HOUR).toISOString(),
            endsAt: new Date(t.clock.now() + (startsInHours + 2) * HOUR).toISOString(),
            timeZone: 'Europe/Paris',
            capacity,
          },
          host,
        ),
        201,
      )
    ).body as { id: number };
  const rsvp = (id: number, u: TestUser, status: string) =>
    ok(call()('POST', `/events/${id}/rsvp`, { status }, u));

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ config: { smtpUrl: sink.url, publicUrl: 'https://hearth.example' } as never });
    [host, first, second, leaver] = await createUsers(t.app, 'ne_host', 'ne_first', 'ne_second', 'ne_leaver');
    await ok(call()('POST', '/communities', { slug: 'runners', name: 'Runners' }, host), 201);
    for (const u of [first, second, leaver]) await ok(call()('POST', '/communities/runners/join', {}, u));
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('tells the next on the waitlist that a place freed up', async () => {
    const e = await createEvent(72, 1);
    await rsvp(e.id, first, 'going');
    await rsvp(e.id, second, 'going'); // waitlisted
    await settle();
    expect((await inbox(second)).filter((n) => n.type === 'event')).toEqual([]);
    await rsvp(e.id, first, 'not_going');
    await settle();
    const [n] = (await inbox(second)).filter((x) => x.type === 'event');
    expect(n).toMatchObject({ url: `/c/runners/e/${e.id}`, read: false });
    expect(n!.text).toMatch(/^A place freed up: you are going to “Night trail” \(/);
    expect((await inbox(first)).filter((x) => x.type === 'event')).toEqual([]);
  });

  it('reminds members who answered going or maybe, 24 h and 1 h before, by email when away', async () => {
    const e = await createEvent(30);
    await rsvp(e.id, first, 'going');
    await rsvp(e.id, second, 'maybe');
    await rsvp(e.id, leaver, 'going');
    // One of them leaves the community before the reminder: they are not told about it any more.
    await ok(call()('POST', '/communities/runners/leave', {}, leaver));
    await settle();
    sink.mails.length = 0;
    t.clock.advance(7 * HOUR); // 23 h ahead; everyone has been away for hours
    await t.app.jobs.runNow('events.reminders');
    await settle();
    for (const u of [first, second]) {
      const reminders = (await inbox(u)).filter((n) => n.type === 'event' && n.text.includes('tomorrow'));
      expect(reminders, u.username).toHaveLength(1);
      expect(reminders[0]!.text).toMatch(/^“Night trail” is tomorrow \(\w{3} \d+ \w{3}, \d\d:\d\d\)$/);
    }
    expect((await inbox(leaver)).filter((n) => n.type === 'event')).toEqual([]);
    const mail = await sink.waitFor((m) => m.to.includes(`${first.username}@example.test`));
    expect(mail.subject).toContain('Night trail');
    expect(mail.decoded).toContain(`https://hearth.example/c/runners/e/${e.id}`);
    expect(sink.mails.some((m) => m.to.includes(`${leaver.username}@example.test`))).toBe(false);
    // The one-hour reminder, and no second copy of the first.
    t.clock.advance(22.5 * HOUR);
    await t.app.jobs.runNow('events.reminders');
    await t.app.jobs.runNow('events.reminders');
    await settle();
    const texts = (await inbox(first)).filter((n) => n.type === 'event').map((n) => n.text);
    expect(texts.filter((x) => x.includes('within the hour'))).toHaveLength(1);
    expect(texts.filter((x) => x.includes('tomorrow'))).toHaveLength(1);
  });

  it('gives the seat of a member who leaves the community to the next on the waitlist, who is told', async () => {
    const [goer, waiter] = await createUsers(t.app, 'ne_goer', 'ne_waiter');
    for (const u of [goer, waiter]) await ok(call()('POST', '/communities/runners/join', {}, u));
    const e = await createEvent(96, 1);
    await rsvp(e.id, goer, 'going');
    await rsvp(e.id, waiter, 'going');
    await ok(call()('POST', '/communities/runners/leave', {}, goer));
    await settle();
    const ev = (await ok(call()('GET', `/events/${e.id}`, undefined, waiter))).body;
    expect(ev).toMatchObject({ goingCount: 1, waitlistCount: 0, myRsvp: { status: 'going' } });
    expect(
      (await inbox(waiter)).some((n) => n.type === 'event' && n.text.startsWith('A place freed up')),
    ).toBe(true);
  });

  it('tells who answered that the event was cancelled, once, and not the host who cancelled it', async () => {
    const e = await createEvent(48);
    await rsvp(e.id, first, 'going');
    await rsvp(e.id, second, 'not_going');
    await ok(call()('PATCH', `/events/${e.id}`, { cancelled: true }, host));
    await ok(call()('PATCH', `/events/${e.id}`, { description: 'Postponed to spring' }, host));
    await settle();
    const cancelled = (u: TestUser) =>
      inbox(u).then((l) => l.filter((n) => n.type === 'event' && n.text.endsWith('was cancelled')));
    expect(await cancelled(first)).toHaveLength(1);
    expect(await cancelled(second)).toHaveLength(0);
    expect(await cancelled(host)).toHaveLength(0);
  });

  it('tells a member about a badge they earned, with a link to the leaderboard', async () => {
    const badges = await ok(call()('GET', '/communities/runners/badges', undefined, host));
    const hero = badges.body.items.find((b: { slug: string }) => b.slug === 'community-hero');
    await ok(
      call()(
        'POST',
        `/communities/runners/members/${second.username}/badges`,
        { badgeId: hero.id, reason: 'Swept the course' },
        host,
      ),
    );
    await settle();
    const [n] = (await inbox(second)).filter((x) => x.type === 'badge');
    expect(n).toMatchObject({ url: '/c/runners/leaderboard' });
    expect(n!.text).toBe(`You earned the ${hero.tier} badge “${hero.name}” in Runners`);
    // Turned off in preferences: the next one is not stored.
    await ok(call()('PATCH', '/notifications/preferences', { types: { badge: 'off' } }, first));
    await ok(
      call()(
        'POST',
        `/communities/runners/members/${first.username}/badges`,
        { badgeId: hero.id, reason: 'Water station' },
        host,
      ),
    );
    await settle();
    expect((await inbox(first)).filter((x) => x.type === 'badge')).toEqual([]);
  });
});
