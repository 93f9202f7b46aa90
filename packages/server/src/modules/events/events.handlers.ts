import '../communities/communities.events.ts';
import type { Events } from '../../platform/events.ts';
import { dropRsvp } from './rsvp.service.ts';

/**
 * Events in: a member who leaves (or is removed from) a community gives up their places at its
 * events that are not over, so the seat goes to the waitlist and no reminder follows them out.
 */
export function registerEventHandlers(events: Events): void {
  events.on('communities.member_left', 'events.drop_rsvps_on_leave', async (e, ctx) => {
    const mine = await ctx.db
      .selectFrom('event_rsvps')
      .innerJoin('events', 'events.id', 'event_rsvps.event_id')
      .select('event_rsvps.event_id')
      .where('event_rsvps.user_id', '=', e.userId)
      .where('events.community_id', '=', e.communityId)
      .where('events.ends_at', '>', ctx.occurredAt)
      // Still a member of a community co-hosting the event: their place stays.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('event_cohosts')
              .innerJoin('memberships', 'memberships.community_id', 'event_cohosts.community_id')
              .select('memberships.user_id')
              .whereRef('event_cohosts.event_id', '=', 'events.id')
              .where('memberships.user_id', '=', e.userId)
              .where('memberships.status', '=', 'active'),
          ),
        ),
      )
      .execute();
    for (const r of mine) await dropRsvp({ events }, ctx.db, r.event_id, e.userId, ctx.occurredAt);
  });
}
