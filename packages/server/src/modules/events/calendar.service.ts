import { randomToken, sha256, type Viewer } from '../../platform/auth.ts';
import { DAY } from '../../platform/clock.ts';
import { fail } from '../../platform/errors.ts';
import { type EventAccess, eventAccessMany } from './events.access.ts';
import { calendar, type IcsEvent } from './events.ical.ts';
import * as q from './events.queries.ts';
import { type EventDeps, loadReadableCommunity, loadReadableEvent } from './events.service.ts';

/**
 * Calendar feeds (.ics). Calendar apps cannot send cookies, so a member gets a secret
 * feed URL (a random token; only its sha256 is stored; rotating or revoking it kills the
 * old URL). Access is decided at every fetch from the member's current memberships, so a
 * private community's events leave the feed the moment they leave the community.
 * The online link of an event is only written for members going to it (personal feed,
 * single-event file), never into a community feed.
 */

/** Feeds show the last 90 days and everything upcoming. */
const FEED_HISTORY = 90 * DAY;
const TOKEN_PREFIX = 'hcal_';

export interface CalendarDeps extends EventDeps {
  publicUrl: string;
}

/** The viewer a calendar token stands for, or a 404 (an unknown or revoked token). */
export async function viewerOfToken(deps: EventDeps, token: string): Promise<Viewer> {
  const row = token.startsWith(TOKEN_PREFIX)
    ? await q.findCalendarTokenByHash(deps.db, sha256(token))
    : undefined;
  if (!row) fail('CALENDAR_TOKEN_NOT_FOUND', 'No such calendar feed (the link may have been revoked)');
  return { userId: row.user_id, username: row.username, isAdmin: row.is_admin === 1, via: 'token' };
}

function toIcs(deps: CalendarDeps, e: q.EventRow, a: EventAccess, withLink: boolean): IcsEvent {
  const host = a.visible.find((c) => c.id === e.community_id) ?? a.visible[0]!;
  const page = `${deps.publicUrl}/c/${host.slug}/e/${e.id}`;
  const link = withLink && e.mode === 'online' && e.online_url ? e.online_url : null;
  return {
    uid: `event-${e.id}@${new URL(deps.publicUrl || 'http://localhost').host}`,
    stamp: e.updated_at,
    created: e.created_at,
    start: e.starts_at,
    end: e.ends_at,
    summary: e.title,
    description: [e.description, link ? `Join: ${link}` : '', `Event page: ${page}`]
      .filter(Boolean)
      .join('\n\n'),
    location: e.mode === 'in_person' ? e.location : link ? link : 'Online (link on the event page)',
    url: page,
    cancelled: e.cancelled_at != null,
    timeZone: e.time_zone,
  };
}

/** A community's events: anyone for a public community; members (cookie or token) for a private one. */
export async function communityFeed(deps: CalendarDeps, slug: string, viewer: Viewer | null) {
  const { community } = await loadReadableCommunity(deps, slug, viewer);
  const rows = await q.listFeedEvents(deps.db, community.id, deps.clock.now() - FEED_HISTORY);
  const access = await eventAccessMany(deps.db, rows, viewer);
  return calendar(
    `${community.name} (Hearth)`,
    rows.map((e) => toIcs(deps, e, access.get(e.id)!, false)),
  );
}

/** The member's own calendar: events they are going to, maybe going to, or waitlisted for, that they may still read. */
export async function memberFeed(deps: CalendarDeps, viewer: Viewer) {
  const rows = await q.listRsvpedEvents(deps.db, viewer.userId, deps.clock.now() - FEED_HISTORY);
  const access = await eventAccessMany(deps.db, rows, viewer);
  const events = rows
    .filter((e) => access.get(e.id)!.canRead)
    .map((e) => toIcs(deps, e, access.get(e.id)!, e.rsvp_status === 'going'));
  return calendar(`Hearth: ${viewer.username}`, events);
}

/** One event as a file ("add to calendar"). */
export async function eventFile(deps: CalendarDeps, id: number, viewer: Viewer | null) {
  const { event, access } = await loadReadableEvent(deps, id, viewer);
  const rsvp = viewer ? await q.findRsvp(deps.db, id, viewer.userId) : undefined;
  return calendar(event.title, [toIcs(deps, event, access, access.isHost || rsvp?.status === 'going')]);
}

export async function tokenStatus(deps: EventDeps, viewer: Viewer) {
  const row = await q.findCalendarToken(deps.db, viewer.userId);
  return { active: !!row, createdAt: row ? new Date(row.created_at).toISOString() : null };
}

/** Creates or rotates the secret feed URL; the old one stops working at once. */
export async function rotateToken(deps: CalendarDeps, viewer: Viewer) {
  const token = TOKEN_PREFIX + randomToken(24);
  const now = deps.clock.now();
  await q.replaceCalendarToken(deps.db, viewer.userId, sha256(token), now);
  return {
    active: true,
    createdAt: new Date(now).toISOString(),
    token,
    feedUrl: `${deps.publicUrl}/api/v1/calendar/${token}.ics`,
  };
}

export async function revokeToken(deps: EventDeps, viewer: Viewer) {
  await q.deleteCalendarToken(deps.db, viewer.userId);
}
