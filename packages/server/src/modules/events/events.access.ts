import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { iso } from '../../platform/clock.ts';
import * as q from './events.queries.ts';
import type { Event } from './events.schema.ts';
import { localIso } from './events.time.ts';

/**
 * Who may do what with an event. An event lives in its host community and, when co-hosted
 * (collaborations), in its partner communities too: whoever may read any of them may read
 * it, and an active member of any of them may RSVP. Only the creator, the host community's
 * moderators and site admins manage it (edit, cancel, check in).
 */
export interface EventAccess {
  canRead: boolean;
  isMember: boolean;
  isHost: boolean;
  /** Communities of the event the viewer may see (host first). */
  visible: { id: number; slug: string; name: string; visibility: string }[];
}

type CommunityLite = { id: number; slug: string; name: string; visibility: string };

/** Access for many events at once: two queries whatever the number of events. */
export async function eventAccessMany(
  db: Db,
  events: q.EventRow[],
  viewer: { userId: number; isAdmin: boolean } | null,
): Promise<Map<number, EventAccess>> {
  const cohosts = await q.cohostsOf(
    db,
    events.map((e) => e.id),
  );
  const ids = [...new Set(events.flatMap((e) => [e.community_id, ...(cohosts.get(e.id) ?? [])]))];
  const communities = new Map((await q.findCommunitiesByIds(db, ids)).map((c) => [c.id, c as CommunityLite]));
  const roles = new Map(
    viewer ? (await q.activeMemberships(db, viewer.userId, ids)).map((m) => [m.communityId, m.role]) : [],
  );
  const admin = viewer?.isAdmin ?? false;
  const out = new Map<number, EventAccess>();
  for (const e of events) {
    const all = [e.community_id, ...(cohosts.get(e.id) ?? [])]
      .map((id) => communities.get(id))
      .filter((c): c is CommunityLite => !!c);
    const visible = all.filter((c) => admin || c.visibility === 'public' || roles.has(c.id));
    const hostRole = roles.get(e.community_id);
    out.set(e.id, {
      canRead: visible.length > 0,
      isMember: all.some((c) => roles.has(c.id)) || admin,
      isHost:
        admin ||
        (viewer != null && e.created_by === viewer.userId && roles.has(e.community_id)) ||
        hostRole === 'moderator' ||
        hostRole === 'owner',
      visible,
    });
  }
  return out;
}

export async function eventAccess(db: Db, event: q.EventRow, viewer: Viewer | null): Promise<EventAccess> {
  return (await eventAccessMany(db, [event], viewer)).get(event.id)!;
}

/**
 * Turns rows into API events. `detail` is the single-event view: only there, and only for
 * attendees going and hosts, does an online event carry its link (never in lists).
 */
export async function presentEvents(
  db: Db,
  rows: q.EventRow[],
  viewer: Viewer | null,
  access: Map<number, EventAccess>,
  opts: { detail?: boolean; now: number },
): Promise<Event[]> {
  const mine = viewer
    ? await q.myRsvps(
        db,
        viewer.userId,
        rows.map((r) => r.id),
      )
    : new Map<number, q.RsvpRow>();
  const creators = new Map(
    (
      await q.findUsersByIds(db, [
        ...new Set(rows.map((r) => r.created_by).filter((x): x is number => x != null)),
      ])
    ).map((u) => [u.id, u.username]),
  );
  const out: Event[] = [];
  for (const e of rows) {
    const a = access.get(e.id)!;
    const r = mine.get(e.id);
    const host = a.visible.find((c) => c.id === e.community_id) ?? a.visible[0]!;
    const showLink = opts.detail === true && (a.isHost || r?.status === 'going');
    out.push({
      id: e.id,
      community: { id: host.id, slug: host.slug, name: host.name },
      cohosts: a.visible
        .filter((c) => c.id !== e.community_id)
        .map((c) => ({ id: c.id, slug: c.slug, name: c.name })),
      createdBy: e.created_by != null ? (creators.get(e.created_by) ?? null) : null,
      title: e.title,
      description: e.description,
      mode: e.mode,
      location: e.location,
      onlineUrl: showLink ? e.online_url : null,
      startsAt: iso(e.starts_at),
      endsAt: iso(e.ends_at),
      timeZone: e.time_zone,
      startsAtLocal: localIso(e.starts_at, e.time_zone),
      endsAtLocal: localIso(e.ends_at, e.time_zone),
      capacity: e.capacity,
      goingCount: e.going_count,
      maybeCount: e.maybe_count,
      waitlistCount: e.waitlist_count,
      cancelled: e.cancelled_at != null,
      myRsvp: r
        ? {
            status: r.status,
            waitlistPosition:
              r.status === 'waitlisted' && r.waitlist_pos != null
                ? await q.waitlistPosition(db, e.id, r.waitlist_pos)
                : null,
            checkedIn: r.checked_in_at != null,
          }
        : null,
      canManage: a.isHost,
      canRsvp: a.isMember && e.cancelled_at == null && e.ends_at > opts.now,
      createdAt: iso(e.created_at),
      updatedAt: iso(e.updated_at),
    });
  }
  return out;
}
