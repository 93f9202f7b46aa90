import type { Transaction } from 'kysely';
import type { DB, RsvpStatus } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import * as q from './events.queries.ts';
import { type EventDeps, getEvent, loadReadableEvent } from './events.service.ts';

function requireViewerIsMember(access: { isMember: boolean }) {
  if (!access.isMember) fail('NOT_A_MEMBER', 'Join this community to do this');
}

/**
 * RSVPs, the waitlist and check-in. Every change to one event's RSVPs runs under that
 * event's row lock (q.lockEvent), and the counters are written from the locked row, so
 * concurrent "going" requests can never take more seats than the capacity, and a seat
 * freed by a cancellation goes to the first waitlisted member in the same transaction.
 */

type Counts = { going_count: number; maybe_count: number; waitlist_count: number };
const COUNTER: Partial<Record<RsvpStatus, keyof Counts>> = {
  going: 'going_count',
  maybe: 'maybe_count',
  waitlisted: 'waitlist_count',
};

const countsOf = (ev: Counts): Counts => ({
  going_count: ev.going_count,
  maybe_count: ev.maybe_count,
  waitlist_count: ev.waitlist_count,
});

function move(counts: Counts, from: RsvpStatus | null, to: RsvpStatus) {
  const a = from ? COUNTER[from] : undefined;
  const b = COUNTER[to];
  if (a) counts[a] -= 1;
  if (b) counts[b] += 1;
}

/**
 * Fills free seats from the waitlist, first come first served. Runs inside a transaction
 * that holds the event's row lock; `event` is the locked row (with any new capacity).
 * Returns the promoted user ids.
 */
export async function promoteFromWaitlist(
  deps: { events: Pick<EventDeps['events'], 'emit'> },
  trx: Transaction<DB>,
  event: q.EventRow,
  now: number,
): Promise<number[]> {
  const counts = countsOf(event);
  const free = event.capacity == null ? counts.waitlist_count : event.capacity - counts.going_count;
  if (free <= 0 || counts.waitlist_count <= 0 || event.cancelled_at != null) return [];
  const next = await q.firstWaitlisted(trx, event.id, free);
  for (const w of next) {
    await q.upsertRsvp(trx, {
      eventId: event.id,
      userId: w.user_id,
      communityId: event.community_id,
      status: 'going',
      waitlistPos: null,
      now,
    });
    move(counts, 'waitlisted', 'going');
    await deps.events.emit(trx, 'events.promoted_from_waitlist', {
      eventId: event.id,
      communityId: event.community_id,
      userId: w.user_id,
    });
  }
  if (next.length) await q.updateEvent(trx, event.id, counts);
  return next.map((w) => w.user_id);
}

/**
 * Takes a member's RSVP off an event (they left its community, or erased their account), under
 * the event's row lock like any RSVP change: the counters follow, and a seat they held on an
 * event not yet over goes to the first member on the waitlist. Returns the promoted user ids.
 */
export async function dropRsvp(
  deps: { events: Pick<EventDeps['events'], 'emit'> },
  trx: Transaction<DB>,
  eventId: number,
  userId: number,
  now: number,
): Promise<number[]> {
  const ev = await q.lockEvent(trx, eventId);
  const current = await q.findRsvp(trx, eventId, userId);
  if (!ev || !current) return [];
  await trx.deleteFrom('event_rsvps').where('event_id', '=', eventId).where('user_id', '=', userId).execute();
  const counts = countsOf(ev);
  const counter = COUNTER[current.status];
  if (!counter) return [];
  counts[counter] = Math.max(0, counts[counter] - 1);
  await q.updateEvent(trx, eventId, counts);
  return current.status === 'going' && ev.ends_at > now
    ? promoteFromWaitlist(deps, trx, { ...ev, ...counts }, now)
    : [];
}

/**
 * Sets the viewer's RSVP. "going" on a full event puts them on the waitlist (asking again
 * keeps their place); leaving "going" promotes the first waitlisted member.
 */
export async function setRsvp(
  deps: EventDeps,
  id: number,
  viewer: Viewer,
  wanted: 'going' | 'maybe' | 'not_going',
) {
  const { event, access } = await loadReadableEvent(deps, id, viewer);
  requireViewerIsMember(access);
  const now = deps.clock.now();
  if (event.cancelled_at) fail('EVENT_CANCELLED', 'This event was cancelled');
  if (event.ends_at <= now) fail('EVENT_OVER', 'This event is over');
  const promotedIds = await inTransaction(deps, async (trx) => {
    const ev = (await q.lockEvent(trx, id))!;
    const current = await q.findRsvp(trx, id, viewer.userId);
    const prev = current?.status ?? null;
    let status: RsvpStatus = wanted;
    let pos: number | null = null;
    const counts = countsOf(ev);
    let seq = ev.waitlist_seq;
    if (wanted === 'going') {
      if (prev === 'going') return [];
      if (prev === 'waitlisted') return []; // keeps their place in line
      if (ev.capacity != null && counts.going_count >= ev.capacity) {
        status = 'waitlisted';
        seq += 1;
        pos = seq;
      }
    } else if (prev === wanted) return [];
    move(counts, prev, status);
    await q.upsertRsvp(trx, {
      eventId: id,
      userId: viewer.userId,
      communityId: ev.community_id,
      status,
      waitlistPos: pos,
      now,
    });
    await q.updateEvent(trx, id, { ...counts, waitlist_seq: seq });
    await deps.events.emit(trx, 'events.rsvp_changed', {
      eventId: id,
      communityId: ev.community_id,
      userId: viewer.userId,
      status,
      previous: prev,
    });
    return prev === 'going'
      ? promoteFromWaitlist(deps, trx, { ...ev, ...counts, waitlist_seq: seq }, now)
      : [];
  });
  const promoted = (await q.findUsersByIds(deps.db, promotedIds)).map((u) => u.username);
  return { event: await getEvent(deps, id, viewer), promoted };
}

/** Who is coming: members of the event's communities and its hosts; check-in state for hosts only. */
export async function listAttendees(deps: EventDeps, id: number, viewer: Viewer) {
  const { access } = await loadReadableEvent(deps, id, viewer);
  requireViewerIsMember(access);
  const rows = await q.listAttendees(deps.db, id);
  let place = 0;
  const order: Record<string, number> = { going: 0, waitlisted: 1, maybe: 2 };
  return {
    items: rows
      .sort((a, b) => order[a.status]! - order[b.status]! || (a.waitlist_pos ?? 0) - (b.waitlist_pos ?? 0))
      .map((r) => ({
        user: { id: r.user_id, username: r.username, displayName: r.display_name, avatarUrl: r.avatar_url },
        status: r.status,
        waitlistPosition: r.status === 'waitlisted' ? ++place : null,
        checkedIn: access.isHost ? r.checked_in_at != null : null,
      })),
  };
}

/** The host marks a member going as present (or not). Emits events.checked_in once per member. */
export async function checkIn(
  deps: EventDeps,
  id: number,
  viewer: Viewer,
  username: string,
  checkedIn: boolean,
) {
  const { event, access } = await loadReadableEvent(deps, id, viewer);
  if (!access.isHost) fail('FORBIDDEN', 'Only the organiser or a moderator can check people in');
  if (event.cancelled_at) fail('EVENT_CANCELLED', 'This event was cancelled');
  const user = await q.findUserByUsername(deps.db, username);
  const rsvp = user ? await q.findRsvp(deps.db, id, user.id) : undefined;
  if (!user || rsvp?.status !== 'going') invalid('username', 'is not going to this event');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const fresh = (await q.findRsvp(trx, id, user.id))!;
    if (checkedIn === (fresh.checked_in_at != null)) return;
    await q.setCheckIn(
      trx,
      id,
      user.id,
      checkedIn ? now : null,
      checkedIn ? viewer.userId : fresh.checked_in_by,
    );
    // Points for attending (gamification, after the merge) come from this event, so only the first check-in emits it.
    if (checkedIn && fresh.checked_in_by == null) {
      await deps.events.emit(trx, 'events.checked_in', {
        eventId: id,
        communityId: event.community_id,
        userId: user.id,
        hostId: viewer.userId,
      });
    }
  });
  return listAttendees(deps, id, viewer);
}
