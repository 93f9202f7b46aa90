import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { DAY } from '../../platform/clock.ts';
import { decodeCursor, page } from '../../platform/cursor.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { type Events, inTransaction } from '../../platform/events.ts';
import { assertMember, assertModerator, communityAccess } from '../../platform/permissions.ts';
import { eventAccess, eventAccessMany, presentEvents } from './events.access.ts';
import * as q from './events.queries.ts';
import type { CreateEventBody, UpdateEventBody } from './events.schema.ts';
import { canonicalZone } from './events.time.ts';
import { promoteFromWaitlist } from './rsvp.service.ts';
import './events.events.ts';

export interface EventDeps {
  db: Db;
  events: Events;
  clock: Clock;
}

/** An event lasts at most this long (a weekend retreat fits; a typo in the year does not). */
const MAX_DURATION = 14 * DAY;

export async function loadReadableCommunity(deps: EventDeps, slug: string, viewer: Viewer | null) {
  const community = await q.findCommunityBySlug(deps.db, slug);
  if (!community) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  const access = await communityAccess(deps.db, community, viewer);
  if (!access.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  return { community, access };
}

/** An event the viewer may read (404 otherwise, the same as for one that does not exist). */
export async function loadReadableEvent(deps: EventDeps, id: number, viewer: Viewer | null) {
  const event = await q.findEvent(deps.db, id);
  if (!event) fail('EVENT_NOT_FOUND', `No event ${id}`);
  const access = await eventAccess(deps.db, event, viewer);
  if (!access.canRead) fail('EVENT_NOT_FOUND', `No event ${id}`);
  return { event, access };
}

const parseTime = (s: string, field: string) => {
  const t = Date.parse(s);
  if (!Number.isFinite(t)) invalid(field, 'is not an ISO 8601 date-time');
  return t;
};

function checkTimes(start: number, end: number) {
  if (end <= start) invalid('endsAt', 'must be after startsAt');
  if (end - start > MAX_DURATION) invalid('endsAt', 'an event lasts at most 14 days');
}

function checkPlace(mode: 'online' | 'in_person', location: string, onlineUrl: string | null) {
  if (mode === 'online' && !onlineUrl) invalid('onlineUrl', 'an online event needs its link');
  if (mode === 'in_person' && !location.trim()) invalid('location', 'an in-person event needs a place');
}

export async function getSettings(deps: EventDeps, slug: string, viewer: Viewer | null) {
  const { community } = await loadReadableCommunity(deps, slug, viewer);
  const s = await q.findSettings(deps.db, community.id);
  return { createPolicy: s?.create_policy ?? ('moderators' as const) };
}

export async function updateSettings(
  deps: EventDeps,
  slug: string,
  viewer: Viewer,
  createPolicy: 'moderators' | 'members',
) {
  const { community, access } = await loadReadableCommunity(deps, slug, viewer);
  assertModerator(access);
  await q.upsertSettings(deps.db, community.id, createPolicy, deps.clock.now());
  return { createPolicy };
}

export async function createEvent(deps: EventDeps, slug: string, viewer: Viewer, body: CreateEventBody) {
  const { community, access } = await loadReadableCommunity(deps, slug, viewer);
  const policy = (await q.findSettings(deps.db, community.id))?.create_policy ?? 'moderators';
  if (policy === 'members') assertMember(access);
  else assertModerator(access);
  const zone = canonicalZone(body.timeZone);
  const start = parseTime(body.startsAt, 'startsAt');
  const end = parseTime(body.endsAt, 'endsAt');
  checkTimes(start, end);
  const location = (body.location ?? '').trim();
  const onlineUrl = body.mode === 'online' ? (body.onlineUrl ?? null) : null;
  checkPlace(body.mode, location, onlineUrl);
  if (start < deps.clock.now() - DAY) invalid('startsAt', 'is in the past');
  const now = deps.clock.now();
  const id = await inTransaction(deps, async (trx) => {
    const row = await q.insertEvent(trx, {
      community_id: community.id,
      created_by: viewer.userId,
      title: body.title.trim(),
      description: body.description ?? '',
      mode: body.mode,
      location: body.mode === 'in_person' ? location : '',
      online_url: onlineUrl,
      starts_at: start,
      ends_at: end,
      time_zone: zone,
      capacity: body.capacity ?? null,
      cancelled_at: null,
      created_at: now,
      updated_at: now,
    });
    await deps.events.emit(trx, 'events.created', {
      eventId: row.id,
      communityId: community.id,
      createdBy: viewer.userId,
    });
    return row.id;
  });
  return getEvent(deps, id, viewer);
}

export async function getEvent(deps: EventDeps, id: number, viewer: Viewer | null) {
  const { event, access } = await loadReadableEvent(deps, id, viewer);
  const [e] = await presentEvents(deps.db, [event], viewer, new Map([[id, access]]), {
    detail: true,
    now: deps.clock.now(),
  });
  return e!;
}

export async function listEvents(
  deps: EventDeps,
  slug: string,
  viewer: Viewer | null,
  query: { when?: 'upcoming' | 'past'; cursor?: string; limit: number },
) {
  const { community } = await loadReadableCommunity(deps, slug, viewer);
  const after = decodeCursor(query.cursor, ['int', 'id']) as [number, number] | null;
  const rows = await q.listCommunityEvents(deps.db, {
    communityId: community.id,
    now: deps.clock.now(),
    when: query.when ?? 'upcoming',
    after,
    limit: query.limit,
  });
  const { items, nextCursor } = page(rows, query.limit, (e) => [e.starts_at, e.id]);
  const access = await eventAccessMany(deps.db, items, viewer);
  // Listed in a community the viewer may read, so each is readable (through that community).
  return {
    items: await presentEvents(deps.db, items, viewer, access, { now: deps.clock.now() }),
    nextCursor,
  };
}

/** Edits and cancellation, by the creator or the host community's moderators. */
export async function updateEvent(deps: EventDeps, id: number, viewer: Viewer, body: UpdateEventBody) {
  const { event, access } = await loadReadableEvent(deps, id, viewer);
  if (!access.isHost) fail('FORBIDDEN', 'Only the organiser or a moderator can edit this event');
  const zone = body.timeZone !== undefined ? canonicalZone(body.timeZone) : event.time_zone;
  const start = body.startsAt !== undefined ? parseTime(body.startsAt, 'startsAt') : event.starts_at;
  const end = body.endsAt !== undefined ? parseTime(body.endsAt, 'endsAt') : event.ends_at;
  checkTimes(start, end);
  const mode = body.mode ?? event.mode;
  const location = (body.location ?? event.location).trim();
  const onlineUrl =
    mode === 'online' ? (body.onlineUrl !== undefined ? body.onlineUrl : event.online_url) : null;
  checkPlace(mode, location, onlineUrl);
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const locked = (await q.lockEvent(trx, id))!;
    const capacity = body.capacity !== undefined ? body.capacity : locked.capacity;
    await q.updateEvent(trx, id, {
      title: body.title?.trim() ?? locked.title,
      description: body.description ?? locked.description,
      mode,
      location: mode === 'in_person' ? location : '',
      online_url: onlineUrl,
      starts_at: start,
      ends_at: end,
      time_zone: zone,
      capacity,
      cancelled_at:
        body.cancelled === undefined
          ? locked.cancelled_at
          : body.cancelled
            ? (locked.cancelled_at ?? now)
            : null,
      updated_at: now,
    });
    // More room: the waitlist moves up in the same transaction.
    await promoteFromWaitlist(deps, trx, { ...locked, capacity }, now);
    await deps.events.emit(trx, 'events.updated', {
      eventId: id,
      communityId: event.community_id,
      updatedBy: viewer.userId,
      cancelled: body.cancelled ?? locked.cancelled_at != null,
      cancelledNow: body.cancelled === true && locked.cancelled_at == null,
    });
  });
  return getEvent(deps, id, viewer);
}
