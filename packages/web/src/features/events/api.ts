/**
 * Types and calls of the events module (server: modules/events), polls (content module)
 * and collaborations, through the shared request helper (CSRF, coded errors).
 */
import { request } from '../../lib/api.ts';

const enc = encodeURIComponent;
type Ok = { ok: boolean };
type CommunityRef = { id: number; slug: string; name: string };

export type RsvpStatus = 'going' | 'maybe' | 'not_going' | 'waitlisted';
export type EventMode = 'online' | 'in_person';

export interface HearthEvent {
  id: number;
  community: CommunityRef;
  cohosts: CommunityRef[];
  createdBy: string | null;
  title: string;
  description: string;
  mode: EventMode;
  location: string;
  onlineUrl: string | null;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  startsAtLocal: string;
  endsAtLocal: string;
  capacity: number | null;
  goingCount: number;
  maybeCount: number;
  waitlistCount: number;
  cancelled: boolean;
  myRsvp: { status: RsvpStatus; waitlistPosition: number | null; checkedIn: boolean } | null;
  canManage: boolean;
  canRsvp: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Attendee {
  user: { id: number; username: string; displayName: string; avatarUrl: string | null };
  status: RsvpStatus;
  waitlistPosition: number | null;
  checkedIn: boolean | null;
}

export interface EventInput {
  title: string;
  description: string;
  mode: EventMode;
  location?: string;
  onlineUrl?: string | null;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  capacity?: number | null;
}

export interface PollView {
  id: number;
  threadId: number;
  question: string;
  maxChoices: number;
  closesAt: string | null;
  closed: boolean;
  voterCount: number;
  resultsVisible: boolean;
  myVote: number[] | null;
  canVote: boolean;
  options: { id: number; label: string; votes: number | null }[];
}
export interface PollInput {
  question: string;
  options: string[];
  maxChoices: number;
  closesAt?: string | null;
}

export interface Collaboration {
  id: number;
  partner: { id: number; slug: string; name: string; visibility: string };
  status: 'proposed' | 'active' | 'ended';
  direction: 'outgoing' | 'incoming';
  createdAt: string;
  acceptedAt: string | null;
}

export const eventsApi = {
  list: (slug: string, q: { when?: 'upcoming' | 'past'; cursor?: string | null } = {}) =>
    request<{ items: HearthEvent[]; nextCursor: string | null }>(
      'GET',
      `/communities/${enc(slug)}/events?limit=20${q.when ? `&when=${q.when}` : ''}${q.cursor ? `&cursor=${enc(q.cursor)}` : ''}`,
    ),
  get: (id: number) => request<HearthEvent>('GET', `/events/${id}`),
  create: (slug: string, body: EventInput) =>
    request<HearthEvent>('POST', `/communities/${enc(slug)}/events`, body),
  update: (id: number, body: Partial<EventInput> & { cancelled?: boolean }) =>
    request<HearthEvent>('PATCH', `/events/${id}`, body),
  rsvp: (id: number, status: 'going' | 'maybe' | 'not_going') =>
    request<{ event: HearthEvent; promoted: string[] }>('POST', `/events/${id}/rsvp`, { status }),
  attendees: (id: number) => request<{ items: Attendee[] }>('GET', `/events/${id}/attendees`),
  checkIn: (id: number, username: string, checkedIn: boolean) =>
    request<{ items: Attendee[] }>('POST', `/events/${id}/checkins`, { username, checkedIn }),
  settings: (slug: string) =>
    request<{ createPolicy: 'moderators' | 'members' }>('GET', `/communities/${enc(slug)}/event-settings`),
  updateSettings: (slug: string, createPolicy: 'moderators' | 'members') =>
    request<{ createPolicy: 'moderators' | 'members' }>('PATCH', `/communities/${enc(slug)}/event-settings`, {
      createPolicy,
    }),
  calendarStatus: () => request<{ active: boolean; createdAt: string | null }>('GET', '/me/calendar'),
  rotateCalendar: () =>
    request<{ active: boolean; createdAt: string; token: string; feedUrl: string }>('POST', '/me/calendar'),
  revokeCalendar: () => request<Ok>('DELETE', '/me/calendar'),
  cohost: (id: number, community: string, confirmPrivateToPublic?: boolean) =>
    request<{ items: CommunityRef[] }>('POST', `/events/${id}/cohosts`, {
      community,
      confirmPrivateToPublic,
    }),
  removeCohost: (id: number, slug: string) =>
    request<{ items: CommunityRef[] }>('DELETE', `/events/${id}/cohosts/${enc(slug)}`),
};

export const pollsApi = {
  get: (threadId: number) => request<{ poll: PollView | null }>('GET', `/threads/${threadId}/poll`),
  create: (threadId: number, body: PollInput) =>
    request<{ poll: PollView }>('POST', `/threads/${threadId}/poll`, body),
  vote: (threadId: number, optionIds: number[]) =>
    request<{ poll: PollView }>('POST', `/threads/${threadId}/poll/votes`, { optionIds }),
};

export const collabApi = {
  collaborations: (slug: string) =>
    request<{ items: Collaboration[] }>('GET', `/communities/${enc(slug)}/collaborations`),
  propose: (slug: string, partner: string) =>
    request<Collaboration>('POST', `/communities/${enc(slug)}/collaborations`, { partner }),
  accept: (id: number) => request<Collaboration>('POST', `/collaborations/${id}/accept`),
  end: (id: number) => request<Ok>('POST', `/collaborations/${id}/end`),
  crossposts: (threadId: number) =>
    request<{ origin: CommunityRef | null; items: CommunityRef[] }>('GET', `/threads/${threadId}/crossposts`),
  crosspost: (threadId: number, community: string, confirmPrivateToPublic?: boolean) =>
    request<{ origin: CommunityRef | null; items: CommunityRef[] }>(
      'POST',
      `/threads/${threadId}/crossposts`,
      {
        community,
        confirmPrivateToPublic,
      },
    ),
  removeCrosspost: (threadId: number, slug: string) =>
    request<{ origin: CommunityRef | null; items: CommunityRef[] }>(
      'DELETE',
      `/threads/${threadId}/crossposts/${enc(slug)}`,
    ),
};

/** UTC instant of a wall-clock time (`YYYY-MM-DDTHH:mm`) in an IANA zone, found with Intl (two passes cover DST). */
export function zonedToUtc(local: string, zone: string): string {
  const [d, t] = local.split('T');
  const [y, mo, da] = (d ?? '').split('-').map(Number);
  const [h, mi] = (t ?? '').split(':').map(Number);
  const wall = Date.UTC(y!, mo! - 1, da!, h!, mi!);
  if (!Number.isFinite(wall)) return '';
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - offsetMs(guess, zone);
  return new Date(guess).toISOString();
}

function offsetMs(at: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    +parts.year!,
    +parts.month! - 1,
    +parts.day!,
    +parts.hour!,
    +parts.minute!,
    +parts.second!,
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** "Wed 1 Jul 2026, 18:00" from a local `YYYY-MM-DDTHH:mm`, without shifting it to the browser's zone. */
export function formatLocal(local: string): string {
  const [d, t] = local.split('T');
  const [y, m, day] = (d ?? '').split('-').map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, day!));
  const f = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return `${f.format(date)}, ${t}`;
}

/** The zones the browser knows (Intl), for the zone picker; falls back to a short list. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
  } catch {
    return ['UTC', 'Europe/London', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'];
  }
}

/** A Google Calendar "add" link (no account data leaves Hearth: the link is built here). */
export function googleCalendarUrl(e: HearthEvent, pageUrl: string): string {
  const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const p = new URLSearchParams({
    action: 'TEMPLATE',
    text: e.title,
    dates: `${stamp(e.startsAt)}/${stamp(e.endsAt)}`,
    details: `${e.description}\n\n${pageUrl}`.trim(),
    location: e.mode === 'in_person' ? e.location : pageUrl,
    ctz: e.timeZone,
  });
  return `https://calendar.google.com/calendar/render?${p.toString()}`;
}
