import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Id } from '../../platform/schema.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateStr = Type.String({ format: 'date-time' });

export const CommunityRef = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });
const Person = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  avatarUrl: Nullable(Type.String()),
});

export const RsvpStatus = Type.Union([
  Type.Literal('going'),
  Type.Literal('maybe'),
  Type.Literal('not_going'),
  Type.Literal('waitlisted'),
]);

export const MyRsvp = Type.Object({
  status: RsvpStatus,
  waitlistPosition: Nullable(Type.Integer({ description: '1 = next to be promoted' })),
  checkedIn: Type.Boolean(),
});

export const Event = Type.Object({
  id: Type.Integer(),
  community: CommunityRef,
  cohosts: Type.Array(CommunityRef, { description: 'Partner communities co-hosting it (those you may see)' }),
  createdBy: Nullable(Type.String()),
  title: Type.String(),
  description: Type.String(),
  mode: Type.Union([Type.Literal('online'), Type.Literal('in_person')]),
  location: Type.String({ description: 'The place (in person); empty for online events' }),
  onlineUrl: Nullable(
    Type.String({ description: 'Online events: only for attendees going, hosts and moderators' }),
  ),
  startsAt: DateStr,
  endsAt: DateStr,
  timeZone: Type.String({ description: 'IANA zone of the organiser' }),
  startsAtLocal: Type.String({ description: 'Wall-clock start in timeZone, YYYY-MM-DDTHH:mm' }),
  endsAtLocal: Type.String(),
  capacity: Nullable(Type.Integer()),
  goingCount: Type.Integer(),
  maybeCount: Type.Integer(),
  waitlistCount: Type.Integer(),
  cancelled: Type.Boolean(),
  myRsvp: Type.Union([MyRsvp, Type.Null()]),
  canManage: Type.Boolean({ description: 'The viewer may edit, cancel and check people in' }),
  canRsvp: Type.Boolean(),
  createdAt: DateStr,
  updatedAt: DateStr,
});
export type Event = Static<typeof Event>;

export const EventList = Type.Object({ items: Type.Array(Event), nextCursor: Nullable(Type.String()) });

export const ListEventsQuery = Type.Object({
  when: Type.Optional(Type.Union([Type.Literal('upcoming'), Type.Literal('past')])),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

const Url = Type.String({ minLength: 8, maxLength: 500, pattern: '^https?://[^\\s]+$' });
const Mode = Type.Union([Type.Literal('online'), Type.Literal('in_person')]);

export const CreateEventBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ maxLength: 20_000, default: '' }),
  mode: Mode,
  location: Type.Optional(Type.String({ maxLength: 300 })),
  onlineUrl: Type.Optional(Url),
  startsAt: DateStr,
  endsAt: DateStr,
  timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  capacity: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()])),
});
export type CreateEventBody = Static<typeof CreateEventBody>;

export const UpdateEventBody = Type.Partial(
  Type.Object({
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 20_000 }),
    mode: Mode,
    location: Type.String({ maxLength: 300 }),
    onlineUrl: Type.Union([Url, Type.Null()]),
    startsAt: DateStr,
    endsAt: DateStr,
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    capacity: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()]),
    cancelled: Type.Boolean(),
  }),
);
export type UpdateEventBody = Static<typeof UpdateEventBody>;

export const RsvpBody = Type.Object({
  status: Type.Union([Type.Literal('going'), Type.Literal('maybe'), Type.Literal('not_going')], {
    description: 'going (waitlisted when full), maybe, not_going',
  }),
});
export const RsvpResult = Type.Object({ event: Event, promoted: Type.Array(Type.String()) });

export const Attendee = Type.Object({
  user: Person,
  status: RsvpStatus,
  waitlistPosition: Nullable(Type.Integer()),
  checkedIn: Nullable(Type.Boolean({ description: 'Hosts only; null for everyone else' })),
});
export const AttendeeList = Type.Object({ items: Type.Array(Attendee) });

export const CheckInBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  checkedIn: Type.Boolean({ default: true }),
});

export const EventSettings = Type.Object({
  createPolicy: Type.Union([Type.Literal('moderators'), Type.Literal('members')], {
    description: 'Who may create events: moderators (default) or every member',
  }),
});

export const CalendarToken = Type.Object({
  active: Type.Boolean(),
  createdAt: Nullable(DateStr),
  /** Only in the answer that creates it: the secret is not stored, only its hash. */
  feedUrl: Type.Optional(Type.String()),
  token: Type.Optional(Type.String()),
});

export const IcsQuery = Type.Object({
  token: Type.Optional(
    Type.String({ maxLength: 100, description: 'Your secret calendar token (private communities)' }),
  ),
});
export const FileParams = Type.Object({ file: Type.String({ maxLength: 120 }) });
export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 64 }) });
export const IdParams = Type.Object({ id: Id() });
