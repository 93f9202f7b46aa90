import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';
import { HOUR } from '../../platform/clock.ts';
import { sendDueReminders } from './events.reminders.ts';

/** Outbox events of a type, payloads parsed (what notifications and gamification will consume). */
async function emitted(t: TestApp, type: string) {
  const rows = await t.db
    .selectFrom('outbox')
    .select('payload')
    .where('type', '=', type)
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.payload));
}

describe('events: RSVPs, capacity and waitlist, online links, time zones, check-in, reminders', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let mod: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let crowd: TestUser[];
  const start = () => new Date(t.clock.now() + 48 * HOUR).toISOString();
  const end = () => new Date(t.clock.now() + 50 * HOUR).toISOString();

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [owner, mod, member, outsider] = await createUsers(t.app, 'ev_owner', 'ev_mod', 'ev_member', 'ev_out');
    crowd = await createUsers(t.app, ...Array.from({ length: 12 }, (_, i) => `ev_crowd${i}`));
    expect((await call('POST', '/communities', { slug: 'meetups', name: 'Meetups' }, owner)).status).toBe(
      201,
    );
    for (const u of [mod, member, ...crowd]) {
      expect((await call('POST', '/communities/meetups/join', {}, u)).status).toBe(200);
    }
    await call('PATCH', `/communities/meetups/members/${mod.username}`, { role: 'moderator' }, owner);
  });
  afterAll(async () => t?.close());

  const create = async (extra: object = {}, user = mod) => {
    const res = await call(
      'POST',
      '/communities/meetups/events',
      {
        title: 'Trail run',
        description: 'Bring water',
        mode: 'in_person',
        location: 'North gate, Parc de Sceaux',
        startsAt: start(),
        endsAt: end(),
        timeZone: 'Europe/Paris',
        ...extra,
      },
      user,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  it('stores UTC plus the IANA zone, presents both, and rejects unknown zones and bad times with the field named', async () => {
    const e = await create({ startsAt: '2026-07-01T16:00:00Z', endsAt: '2026-07-01T18:00:00Z' });
    expect(e).toMatchObject({
      startsAt: '2026-07-01T16:00:00.000Z',
      timeZone: 'Europe/Paris',
      startsAtLocal: '2026-07-01T18:00',
      endsAtLocal: '2026-07-01T20:00',
      canManage: true,
      goingCount: 0,
    });
    const bad = await call(
      'POST',
      '/communities/meetups/events',
      {
        title: 'x',
        mode: 'in_person',
        location: 'x',
        startsAt: start(),
        endsAt: end(),
        timeZone: 'Mars/Olympus',
      },
      mod,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'timeZone' });
    const backwards = await call(
      'POST',
      '/communities/meetups/events',
      { title: 'x', mode: 'in_person', location: 'x', startsAt: end(), endsAt: start(), timeZone: 'UTC' },
      mod,
    );
    expect(backwards.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'endsAt' });
    const noLink = await call(
      'POST',
      '/communities/meetups/events',
      { title: 'x', mode: 'online', startsAt: start(), endsAt: end(), timeZone: 'UTC' },
      mod,
    );
    expect(noLink.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'onlineUrl' });
  });

  it('lets moderators create events by default, and members once the community allows it', async () => {
    const body = {
      title: 'Mine',
      mode: 'in_person',
      location: 'Here',
      startsAt: start(),
      endsAt: end(),
      timeZone: 'UTC',
    };
    expect((await call('POST', '/communities/meetups/events', body, member)).body.error.code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await call('PATCH', '/communities/meetups/event-settings', { createPolicy: 'members' }, member))
        .status,
    ).toBe(403);
    expect(
      (await call('PATCH', '/communities/meetups/event-settings', { createPolicy: 'members' }, mod)).status,
    ).toBe(200);
    const e = await create({}, member);
    expect(e.canManage).toBe(true); // the organiser manages their own event
    expect((await call('PATCH', `/events/${e.id}`, { title: 'Renamed' }, crowd[0])).status).toBe(403);
    expect((await call('PATCH', `/events/${e.id}`, { title: 'Renamed' }, member)).body.title).toBe('Renamed');
    await call('PATCH', '/communities/meetups/event-settings', { createPolicy: 'moderators' }, mod);
  });

  it('never seats more than the capacity under many parallel RSVPs; the rest wait in order', async () => {
    const e = await create({ capacity: 5 });
    const results = await Promise.all(
      crowd.map((u) => call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, u)),
    );
    expect(results.map((r) => r.status)).toEqual(crowd.map(() => 200));
    const statuses = results.map((r) => r.body.event.myRsvp.status);
    expect(statuses.filter((s) => s === 'going')).toHaveLength(5);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(7);
    const positions = results
      .map((r) => r.body.event.myRsvp.waitlistPosition)
      .filter((p) => p != null)
      .sort((a, b) => a - b);
    expect(positions).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const fresh = (await call('GET', `/events/${e.id}`, undefined, owner)).body;
    expect(fresh).toMatchObject({ goingCount: 5, waitlistCount: 7 });
    const rows = await t.db.selectFrom('event_rsvps').select('status').where('event_id', '=', e.id).execute();
    expect(rows.filter((r) => r.status === 'going')).toHaveLength(5);
  });

  it('promotes the first waitlisted member when someone going cancels, in the same transaction', async () => {
    const e = await create({ capacity: 2 });
    const [a, b, c, d] = crowd as [TestUser, TestUser, TestUser, TestUser];
    for (const u of [a, b, c, d]) await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, u);
    const cancel = await call('POST', `/events/${e.id}/rsvp`, { status: 'not_going' }, a);
    expect(cancel.body.promoted).toEqual([c.username]);
    expect(cancel.body.event).toMatchObject({ goingCount: 2, waitlistCount: 1 });
    expect((await call('GET', `/events/${e.id}`, undefined, c)).body.myRsvp).toMatchObject({
      status: 'going',
    });
    expect((await call('GET', `/events/${e.id}`, undefined, d)).body.myRsvp).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });
    const promotions = (await emitted(t, 'events.promoted_from_waitlist')).filter((p) => p.eventId === e.id);
    expect(promotions).toEqual([{ eventId: e.id, communityId: e.community.id, userId: c.id }]);
    // Going again while waitlisted keeps the place; raising the capacity seats the waitlist.
    await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, d);
    const raised = await call('PATCH', `/events/${e.id}`, { capacity: 3 }, mod);
    expect(raised.body).toMatchObject({ goingCount: 3, waitlistCount: 0 });
    // Parallel cancellations and joins still never overfill.
    const more = crowd.slice(4, 10);
    await Promise.all([
      ...more.map((u) => call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, u)),
      call('POST', `/events/${e.id}/rsvp`, { status: 'not_going' }, b),
      call('POST', `/events/${e.id}/rsvp`, { status: 'maybe' }, c),
    ]);
    const after = (await call('GET', `/events/${e.id}`, undefined, mod)).body;
    const going = await t.db
      .selectFrom('event_rsvps')
      .select('user_id')
      .where('event_id', '=', e.id)
      .where('status', '=', 'going')
      .execute();
    expect(going).toHaveLength(3);
    expect(after.goingCount).toBe(3);
    // d and the six newcomers wanted the 3 seats b and c left: four wait.
    expect(after.waitlistCount).toBe(more.length - 2);
  });

  it('shows an online link only to attendees going and hosts, never in lists or to outsiders', async () => {
    const e = await create({
      mode: 'online',
      onlineUrl: 'https://meet.example.org/secret-room',
      capacity: 1,
    });
    const [a, b] = crowd as [TestUser, TestUser];
    expect((await call('GET', `/events/${e.id}`, undefined, mod)).body.onlineUrl).toContain('secret-room');
    expect((await call('GET', `/events/${e.id}`, undefined, a)).body.onlineUrl).toBeNull();
    await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, a);
    await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, b); // waitlisted
    expect((await call('GET', `/events/${e.id}`, undefined, a)).body.onlineUrl).toContain('secret-room');
    expect((await call('GET', `/events/${e.id}`, undefined, b)).body.onlineUrl).toBeNull();
    expect((await call('GET', `/events/${e.id}`, undefined, outsider)).body.onlineUrl).toBeNull();
    expect((await call('GET', `/events/${e.id}`)).body.onlineUrl).toBeNull();
    const list = await call('GET', '/communities/meetups/events?limit=100', undefined, a);
    expect(JSON.stringify(list.body)).not.toContain('secret-room');
    // Outsiders may read a public community's event but not RSVP.
    expect((await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, outsider)).body.error.code).toBe(
      'NOT_A_MEMBER',
    );
  });

  it('lets the host check attendees in, once, and emits events.checked_in', async () => {
    const e = await create();
    const [a] = crowd as [TestUser];
    await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, a);
    expect((await call('POST', `/events/${e.id}/checkins`, { username: a.username }, a)).status).toBe(403);
    const notGoing = await call('POST', `/events/${e.id}/checkins`, { username: outsider.username }, mod);
    expect(notGoing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'username' });
    const res = await call('POST', `/events/${e.id}/checkins`, { username: a.username }, mod);
    expect(res.body.items.find((x: any) => x.user.username === a.username).checkedIn).toBe(true);
    await call('POST', `/events/${e.id}/checkins`, { username: a.username, checkedIn: false }, mod);
    await call('POST', `/events/${e.id}/checkins`, { username: a.username }, mod);
    const checks = (await emitted(t, 'events.checked_in')).filter((p) => p.eventId === e.id);
    expect(checks).toEqual([{ eventId: e.id, communityId: e.community.id, userId: a.id, hostId: mod.id }]);
    // Gamification awards "event attended" once, however often the host toggles the check-in.
    await t.app.events.drain();
    const ledger = await t.db
      .selectFrom('points_ledger')
      .select(['reason', 'points'])
      .where('user_id', '=', a.id)
      .where('reason', '=', 'event_attended')
      .execute();
    expect(ledger).toEqual([{ reason: 'event_attended', points: 10 }]);
    // Members see who is coming, but not who checked in.
    const seen = await call('GET', `/events/${e.id}/attendees`, undefined, crowd[1]);
    expect(seen.body.items[0]).toMatchObject({ status: 'going', checkedIn: null });
  });

  it('emits each 24 h and 1 h reminder exactly once, also when the job runs twice or concurrently', async () => {
    const e = await create({
      startsAt: new Date(t.clock.now() + 30 * HOUR).toISOString(),
      endsAt: new Date(t.clock.now() + 32 * HOUR).toISOString(),
    });
    const [a, b, c] = crowd as [TestUser, TestUser, TestUser];
    await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, a);
    await call('POST', `/events/${e.id}/rsvp`, { status: 'maybe' }, b);
    await call('POST', `/events/${e.id}/rsvp`, { status: 'not_going' }, c);
    const deps = { db: t.db, events: t.app.events, clock: t.clock };
    const mine = async () => (await emitted(t, 'events.reminder_due')).filter((p) => p.eventId === e.id);
    await sendDueReminders(deps);
    expect(await mine()).toEqual([]); // 30 h ahead: nothing due yet
    t.clock.advance(7 * HOUR); // 23 h ahead
    await Promise.all([sendDueReminders(deps), sendDueReminders(deps)]);
    await sendDueReminders(deps);
    expect((await mine()).map((p) => `${p.userId}:${p.kind}`).sort()).toEqual(
      [`${a.id}:24h`, `${b.id}:24h`].sort(),
    );
    t.clock.advance(22.5 * HOUR); // 30 minutes ahead
    await sendDueReminders(deps);
    await sendDueReminders(deps);
    const all = await mine();
    expect(
      all
        .filter((p) => p.kind === '1h')
        .map((p) => p.userId)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(all[0]).toEqual({
      eventId: e.id,
      communityId: e.community.id,
      userId: expect.any(Number),
      kind: '24h',
    });
    t.clock.advance(-29.5 * HOUR);
  });

  it('refuses RSVPs to cancelled events, and lists upcoming and past events', async () => {
    const e = await create();
    expect((await call('PATCH', `/events/${e.id}`, { cancelled: true }, mod)).body.cancelled).toBe(true);
    expect((await call('POST', `/events/${e.id}/rsvp`, { status: 'going' }, member)).body.error.code).toBe(
      'EVENT_CANCELLED',
    );
    const upcoming = await call('GET', '/communities/meetups/events?limit=2', undefined, member);
    expect(upcoming.body.items).toHaveLength(2);
    expect(upcoming.body.nextCursor).toBeTruthy();
    const next = await call(
      'GET',
      `/communities/meetups/events?limit=100&cursor=${upcoming.body.nextCursor}`,
    );
    const ids = [...upcoming.body.items, ...next.body.items].map((x: any) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    const soon = await create({
      startsAt: new Date(t.clock.now() + HOUR).toISOString(),
      endsAt: new Date(t.clock.now() + 2 * HOUR).toISOString(),
    });
    t.clock.advance(3 * HOUR);
    const past = await call('GET', '/communities/meetups/events?when=past');
    expect(past.body.items.map((x: any) => x.id)).toEqual([soon.id]);
    expect((await call('POST', `/events/${soon.id}/rsvp`, { status: 'going' }, member)).body.error.code).toBe(
      'EVENT_OVER',
    );
    t.clock.advance(-3 * HOUR);
    expect((await call('GET', '/events/2000000000')).body.error.code).toBe('EVENT_NOT_FOUND');
  });
});
