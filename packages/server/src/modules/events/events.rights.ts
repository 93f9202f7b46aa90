import { iso, isoOrNull } from '../../platform/clock.ts';
import {
  declareUserColumns,
  registerErasureStep,
  registerExportSection,
} from '../../platform/data-rights.ts';
import * as q from './events.queries.ts';
import { promoteFromWaitlist } from './rsvp.service.ts';

/** What events hold about a member, for erasure and export (platform/data-rights.ts). */
declareUserColumns([
  {
    table: 'event_rsvps',
    column: 'user_id',
    action: 'step',
    note: 'counts follow; a freed seat goes to the waitlist',
  },
  { table: 'event_rsvps', column: 'checked_in_by', action: 'null' },
  { table: 'event_reminders', column: 'user_id', action: 'delete' },
  { table: 'calendar_tokens', column: 'user_id', action: 'delete' },
  {
    table: 'events',
    column: 'created_by',
    action: 'tombstone',
    note: "the community's meetup stays, hosted by 'Deleted member'",
  },
  { table: 'event_cohosts', column: 'created_by', action: 'null' },
]);

const COUNTER = { going: 'going_count', maybe: 'maybe_count', waitlisted: 'waitlist_count' } as const;

/**
 * Their RSVPs go, under each event's row lock as an RSVP change would: the event's counters are
 * recounted from the locked row, and a seat they held on an upcoming event goes to the first
 * member on its waitlist (who is told, events.promoted_from_waitlist).
 */
registerErasureStep({
  name: 'events.rsvps',
  order: 35,
  async run(trx, ctx) {
    const rsvps = await trx
      .selectFrom('event_rsvps')
      .select(['event_id', 'status'])
      .where('user_id', '=', ctx.userId)
      .execute();
    for (const r of rsvps) {
      const ev = await q.lockEvent(trx, r.event_id);
      await trx
        .deleteFrom('event_rsvps')
        .where('event_id', '=', r.event_id)
        .where('user_id', '=', ctx.userId)
        .execute();
      if (!ev) continue;
      const counter = COUNTER[r.status as keyof typeof COUNTER];
      if (!counter) continue;
      const counts = {
        going_count: ev.going_count,
        maybe_count: ev.maybe_count,
        waitlist_count: ev.waitlist_count,
        [counter]: Math.max(0, ev[counter] - 1),
      };
      await q.updateEvent(trx, ev.id, counts);
      if (r.status === 'going' && ev.ends_at > ctx.now)
        await promoteFromWaitlist(ctx, trx, { ...ev, ...counts }, ctx.now);
    }
  },
});

registerExportSection('events', async (db, userId) => {
  const rsvps = await db
    .selectFrom('event_rsvps')
    .innerJoin('events', 'events.id', 'event_rsvps.event_id')
    .innerJoin('communities', 'communities.id', 'events.community_id')
    .select([
      'events.id',
      'events.title',
      'events.starts_at',
      'communities.slug',
      'event_rsvps.status',
      'event_rsvps.waitlist_pos',
      'event_rsvps.checked_in_at',
      'event_rsvps.created_at',
    ])
    .where('event_rsvps.user_id', '=', userId)
    .orderBy('events.starts_at')
    .execute();
  const hosted = await db
    .selectFrom('events')
    .innerJoin('communities', 'communities.id', 'events.community_id')
    .select(['events.id', 'events.title', 'events.description', 'events.starts_at', 'communities.slug'])
    .where('events.created_by', '=', userId)
    .orderBy('events.id')
    .execute();
  return {
    rsvps: rsvps.map((r) => ({
      eventId: r.id,
      title: r.title,
      community: r.slug,
      startsAt: iso(r.starts_at),
      status: r.status,
      waitlistPosition: r.waitlist_pos,
      checkedInAt: isoOrNull(r.checked_in_at),
      answeredAt: iso(r.created_at),
    })),
    hosted: hosted.map((e) => ({
      id: e.id,
      title: e.title,
      description: e.description,
      community: e.slug,
      startsAt: iso(e.starts_at),
    })),
  };
});
