import type { Insertable, Transaction, Updateable } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB, EventsTable, RsvpStatus } from '../../db/schema.ts';

/** All SQL of the events module (DESIGN rule 5). */
type Q = Db | Transaction<DB>;

export const findCommunityBySlug = (db: Q, slug: string) =>
  db
    .selectFrom('communities')
    .select(['id', 'slug', 'name', 'visibility'])
    .where('slug', '=', slug.toLowerCase())
    .executeTakeFirst();

export const findCommunitiesByIds = (db: Q, ids: number[]) =>
  ids.length
    ? db
        .selectFrom('communities')
        .select(['id', 'slug', 'name', 'visibility'])
        .where('id', 'in', ids)
        .execute()
    : Promise.resolve([]);

export const findEvent = (db: Q, id: number) =>
  db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
export type EventRow = NonNullable<Awaited<ReturnType<typeof findEvent>>>;

/**
 * Takes the event's row lock for the rest of the transaction (PostgreSQL: an UPDATE
 * locks the row until commit, so concurrent RSVPs to one event queue up here; SQLite has
 * one writer anyway) and returns the row as it is now.
 */
export const lockEvent = (trx: Transaction<DB>, id: number) =>
  trx
    .updateTable('events')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();

export const insertEvent = (db: Q, values: Insertable<EventsTable>) =>
  db.insertInto('events').values(values).returning('id').executeTakeFirstOrThrow();

export const updateEvent = (db: Q, id: number, set: Updateable<EventsTable>) =>
  db.updateTable('events').set(set).where('id', '=', id).execute();

/** Events hosted or co-hosted by a community, upcoming (ends after `now`, soonest first) or past. */
export function listCommunityEvents(
  db: Q,
  a: {
    communityId: number;
    now: number;
    when: 'upcoming' | 'past';
    after: [number, number] | null;
    limit: number;
  },
) {
  let q = db
    .selectFrom('events')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('community_id', '=', a.communityId),
        eb(
          'id',
          'in',
          eb
            .selectFrom('event_cohosts')
            .select('event_id')
            .where('event_cohosts.community_id', '=', a.communityId),
        ),
      ]),
    );
  if (a.when === 'upcoming') {
    q = q.where('ends_at', '>', a.now);
    if (a.after) {
      const [s, id] = a.after;
      q = q.where((eb) =>
        eb.or([eb('starts_at', '>', s), eb.and([eb('starts_at', '=', s), eb('id', '>', id)])]),
      );
    }
    q = q.orderBy('starts_at', 'asc').orderBy('id', 'asc');
  } else {
    q = q.where('ends_at', '<=', a.now);
    if (a.after) {
      const [s, id] = a.after;
      q = q.where((eb) =>
        eb.or([eb('starts_at', '<', s), eb.and([eb('starts_at', '=', s), eb('id', '<', id)])]),
      );
    }
    q = q.orderBy('starts_at', 'desc').orderBy('id', 'desc');
  }
  return q.limit(a.limit + 1).execute();
}

/** Every event a calendar feed of a community shows: the last 90 days and all upcoming. */
export const listFeedEvents = (db: Q, communityId: number, since: number) =>
  db
    .selectFrom('events')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('community_id', '=', communityId),
        eb(
          'id',
          'in',
          eb
            .selectFrom('event_cohosts')
            .select('event_id')
            .where('event_cohosts.community_id', '=', communityId),
        ),
      ]),
    )
    .where('ends_at', '>', since)
    .orderBy('starts_at')
    .limit(1000)
    .execute();

/** The member's own events (going, maybe, waitlisted) for their personal feed. */
export const listRsvpedEvents = (db: Q, userId: number, since: number) =>
  db
    .selectFrom('event_rsvps')
    .innerJoin('events', 'events.id', 'event_rsvps.event_id')
    .selectAll('events')
    .select('event_rsvps.status as rsvp_status')
    .where('event_rsvps.user_id', '=', userId)
    .where('event_rsvps.status', 'in', ['going', 'maybe', 'waitlisted'])
    .where('events.ends_at', '>', since)
    .orderBy('events.starts_at')
    .limit(1000)
    .execute();

export const cohostsOf = async (db: Q, eventIds: number[]) => {
  const map = new Map<number, number[]>();
  if (!eventIds.length) return map;
  const rows = await db
    .selectFrom('event_cohosts')
    .select(['event_id', 'community_id'])
    .where('event_id', 'in', eventIds)
    .execute();
  for (const r of rows) map.set(r.event_id, [...(map.get(r.event_id) ?? []), r.community_id]);
  return map;
};

/** The communities among `ids` where the user is an active member. */
export const activeMemberships = async (db: Q, userId: number, ids: number[]) =>
  ids.length
    ? (
        await db
          .selectFrom('memberships')
          .select(['community_id', 'role'])
          .where('user_id', '=', userId)
          .where('status', '=', 'active')
          .where('community_id', 'in', ids)
          .execute()
      ).map((r) => ({ communityId: r.community_id, role: r.role }))
    : [];

export const findRsvp = (db: Q, eventId: number, userId: number) =>
  db
    .selectFrom('event_rsvps')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
export type RsvpRow = NonNullable<Awaited<ReturnType<typeof findRsvp>>>;

export const myRsvps = async (db: Q, userId: number, eventIds: number[]) =>
  new Map(
    (eventIds.length
      ? await db
          .selectFrom('event_rsvps')
          .selectAll()
          .where('user_id', '=', userId)
          .where('event_id', 'in', eventIds)
          .execute()
      : []
    ).map((r) => [r.event_id, r]),
  );

export async function upsertRsvp(
  db: Q,
  r: {
    eventId: number;
    userId: number;
    communityId: number;
    status: RsvpStatus;
    waitlistPos: number | null;
    now: number;
  },
) {
  await db
    .insertInto('event_rsvps')
    .values({
      event_id: r.eventId,
      user_id: r.userId,
      community_id: r.communityId,
      status: r.status,
      waitlist_pos: r.waitlistPos,
      created_at: r.now,
      updated_at: r.now,
    })
    .onConflict((oc) =>
      oc
        .columns(['event_id', 'user_id'])
        .doUpdateSet({ status: r.status, waitlist_pos: r.waitlistPos, updated_at: r.now }),
    )
    .execute();
}

/** The first `n` waitlisted members, in the order they joined the waitlist. */
export const firstWaitlisted = (db: Q, eventId: number, n: number) =>
  db
    .selectFrom('event_rsvps')
    .select(['user_id', 'waitlist_pos'])
    .where('event_id', '=', eventId)
    .where('status', '=', 'waitlisted')
    .orderBy('waitlist_pos')
    .limit(n)
    .execute();

/** How many are ahead of this waitlist position (1 = first in line). */
export const waitlistPosition = async (db: Q, eventId: number, pos: number) => {
  const r = await db
    .selectFrom('event_rsvps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', '=', 'waitlisted')
    .where('waitlist_pos', '<=', pos)
    .executeTakeFirstOrThrow();
  return Number(r.n);
};

export const listAttendees = (db: Q, eventId: number) =>
  db
    .selectFrom('event_rsvps')
    .innerJoin('users', 'users.id', 'event_rsvps.user_id')
    .select([
      'event_rsvps.user_id',
      'event_rsvps.status',
      'event_rsvps.waitlist_pos',
      'event_rsvps.checked_in_at',
      'users.username',
      'users.display_name',
      'users.avatar_url',
    ])
    .where('event_rsvps.event_id', '=', eventId)
    .where('event_rsvps.status', 'in', ['going', 'maybe', 'waitlisted'])
    .orderBy('event_rsvps.status')
    .orderBy('event_rsvps.waitlist_pos')
    .orderBy('event_rsvps.created_at')
    .limit(2000)
    .execute();

export const findUserByUsername = (db: Q, username: string) =>
  db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();

export const findUsersByIds = (db: Q, ids: number[]) =>
  ids.length
    ? db
        .selectFrom('users')
        .select(['id', 'username', 'display_name', 'avatar_url'])
        .where('id', 'in', ids)
        .execute()
    : Promise.resolve([]);

export const setCheckIn = (db: Q, eventId: number, userId: number, at: number | null, by: number | null) =>
  db
    .updateTable('event_rsvps')
    .set({ checked_in_at: at, checked_in_by: by })
    .where('event_id', '=', eventId)
    .where('user_id', '=', userId)
    .execute();

export const findSettings = (db: Q, communityId: number) =>
  db.selectFrom('event_settings').selectAll().where('community_id', '=', communityId).executeTakeFirst();

export const upsertSettings = (db: Q, communityId: number, policy: 'moderators' | 'members', now: number) =>
  db
    .insertInto('event_settings')
    .values({ community_id: communityId, create_policy: policy, updated_at: now })
    .onConflict((oc) => oc.column('community_id').doUpdateSet({ create_policy: policy, updated_at: now }))
    .execute();

// --- reminders ---

/** RSVPs (going or maybe) of live events starting in (from, to], not reminded of this kind yet. */
export const dueReminders = (db: Q, kind: '24h' | '1h', from: number, to: number, limit: number) =>
  db
    .selectFrom('event_rsvps')
    .innerJoin('events', 'events.id', 'event_rsvps.event_id')
    .select(['events.id as event_id', 'events.community_id', 'event_rsvps.user_id'])
    .where('events.starts_at', '>', from)
    .where('events.starts_at', '<=', to)
    .where('events.cancelled_at', 'is', null)
    .where('event_rsvps.status', 'in', ['going', 'maybe'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('event_reminders')
            .select('event_reminders.event_id')
            .whereRef('event_reminders.event_id', '=', 'event_rsvps.event_id')
            .whereRef('event_reminders.user_id', '=', 'event_rsvps.user_id')
            .where('event_reminders.kind', '=', kind),
        ),
      ),
    )
    .orderBy('events.id')
    .orderBy('event_rsvps.user_id')
    .limit(limit)
    .execute();

/** Records a reminder as sent; true only for the one call that inserted it (exactly once). */
export async function claimReminder(db: Q, eventId: number, userId: number, kind: '24h' | '1h', now: number) {
  const r = await db
    .insertInto('event_reminders')
    .values({ event_id: eventId, user_id: userId, kind, sent_at: now })
    .onConflict((oc) => oc.columns(['event_id', 'user_id', 'kind']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

// --- calendar tokens ---

export const findCalendarToken = (db: Q, userId: number) =>
  db.selectFrom('calendar_tokens').selectAll().where('user_id', '=', userId).executeTakeFirst();

export const findCalendarTokenByHash = (db: Q, hash: string) =>
  db
    .selectFrom('calendar_tokens')
    .innerJoin('users', 'users.id', 'calendar_tokens.user_id')
    .select(['calendar_tokens.user_id', 'users.username', 'users.is_admin'])
    .where('calendar_tokens.token_hash', '=', hash)
    .executeTakeFirst();

export async function replaceCalendarToken(db: Q, userId: number, hash: string, now: number) {
  await db
    .insertInto('calendar_tokens')
    .values({ user_id: userId, token_hash: hash, created_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: hash, created_at: now }))
    .execute();
}

export const deleteCalendarToken = (db: Q, userId: number) =>
  db.deleteFrom('calendar_tokens').where('user_id', '=', userId).executeTakeFirst();
