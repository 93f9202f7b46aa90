/**
 * Events the events module emits. Payloads carry ids only; consumers (notifications,
 * gamification after the merge) load what they need and check the member may still read.
 */
declare module '../../platform/events.ts' {
  interface EventMap {
    'events.created': { eventId: number; communityId: number; createdBy: number };
    /** `cancelledNow`: this update is the cancellation (members who answered are told). */
    'events.updated': {
      eventId: number;
      communityId: number;
      updatedBy: number;
      cancelled: boolean;
      cancelledNow: boolean;
    };
    'events.rsvp_changed': {
      eventId: number;
      communityId: number;
      userId: number;
      status: 'going' | 'maybe' | 'not_going' | 'waitlisted';
      previous: 'going' | 'maybe' | 'not_going' | 'waitlisted' | null;
    };
    'events.promoted_from_waitlist': { eventId: number; communityId: number; userId: number };
    'events.checked_in': { eventId: number; communityId: number; userId: number; hostId: number };
    /** One per member, event and kind, exactly once (event_reminders primary key, same transaction). */
    'events.reminder_due': { eventId: number; communityId: number; userId: number; kind: '24h' | '1h' };
  }
}
export {};
