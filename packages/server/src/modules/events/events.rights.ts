import { iso, isoOrNull } from '../../platform/clock.ts';
import {
  declareUserColumns,
  registerErasureStep,
  registerExportSection,
} from '../../platform/data-rights.ts';
import { dropRsvp } from './rsvp.service.ts';

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

/** Their RSVPs go as if they had left: counters follow, a freed seat goes to the waitlist (who is told). */
registerErasureStep({
  name: 'events.rsvps',
  order: 35,
  async run(trx, ctx) {
    const rsvps = await trx
      .selectFrom('event_rsvps')
      .select('event_id')
      .where('user_id', '=', ctx.userId)
      .execute();
    for (const r of rsvps) await dropRsvp(ctx, trx, r.event_id, ctx.userId, ctx.now);
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
