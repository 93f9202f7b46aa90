import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import { MINUTE } from '../../platform/clock.ts';
import { Ok } from '../accounts/accounts.schema.ts';
import * as calendar from './calendar.service.ts';
import { registerEventHandlers } from './events.handlers.ts';
import { sendDueReminders } from './events.reminders.ts';
import {
  AttendeeList,
  CalendarToken,
  CheckInBody,
  CreateEventBody,
  Event,
  EventList,
  EventSettings,
  FileParams,
  IcsQuery,
  IdParams,
  ListEventsQuery,
  RsvpBody,
  RsvpResult,
  SlugParams,
  UpdateEventBody,
} from './events.schema.ts';
import * as events from './events.service.ts';
import * as rsvp from './rsvp.service.ts';
import './events.rights.ts';

const ICS = 'text/calendar; charset=utf-8';

/** Events (meetups): RSVPs with capacity and waitlist, check-in, reminders, calendar feeds. */
export const eventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, events: app.events, clock: app.clock };
  const cal = { ...deps, publicUrl: app.config.publicUrl || 'http://localhost:3000' };
  const tags = ['events'];

  registerEventHandlers(app.events);
  app.jobs.every('events.reminders', MINUTE, () => sendDueReminders(deps));

  app.get(
    '/communities/:slug/events',
    {
      schema: {
        tags,
        summary: 'Events hosted or co-hosted by a community (when=upcoming|past)',
        params: SlugParams,
        querystring: ListEventsQuery,
        response: { 200: EventList },
      },
    },
    async (req) => events.listEvents(deps, req.params.slug, req.viewer, req.query),
  );

  app.post(
    '/communities/:slug/events',
    {
      schema: {
        tags,
        summary: 'Create an event (moderators, or members when the community allows it)',
        params: SlugParams,
        body: CreateEventBody,
        response: { 201: Event },
      },
    },
    async (req, reply) => {
      const e = await events.createEvent(deps, req.params.slug, requireViewer(req), req.body);
      reply.code(201);
      return e;
    },
  );

  app.get(
    '/communities/:slug/event-settings',
    {
      schema: {
        tags,
        summary: 'Who may create events',
        params: SlugParams,
        response: { 200: EventSettings },
      },
    },
    async (req) => events.getSettings(deps, req.params.slug, req.viewer),
  );

  app.patch(
    '/communities/:slug/event-settings',
    {
      schema: {
        tags,
        summary: 'Set who may create events (moderators)',
        params: SlugParams,
        body: EventSettings,
        response: { 200: EventSettings },
      },
    },
    async (req) => events.updateSettings(deps, req.params.slug, requireViewer(req), req.body.createPolicy),
  );

  app.get(
    '/communities/:slug/events.ics',
    {
      schema: {
        tags,
        summary:
          'iCalendar feed of a community (public: anyone; private: members, with ?token= for calendar apps)',
        params: SlugParams,
        querystring: IcsQuery,
      },
    },
    async (req, reply) => {
      const viewer = req.query.token ? await calendar.viewerOfToken(deps, req.query.token) : req.viewer;
      const body = await calendar.communityFeed(cal, req.params.slug, viewer);
      reply.type(ICS).header('cache-control', 'private, max-age=300');
      return body;
    },
  );

  app.get(
    '/calendar/:file',
    {
      schema: {
        tags,
        summary:
          'Your personal iCalendar feed: GET /calendar/{token}.ics (the secret URL from POST /me/calendar)',
        params: FileParams,
      },
    },
    async (req, reply) => {
      const viewer = await calendar.viewerOfToken(deps, req.params.file.replace(/\.ics$/, ''));
      const body = await calendar.memberFeed(cal, viewer);
      reply.type(ICS).header('cache-control', 'private, max-age=300');
      return body;
    },
  );

  app.get(
    '/me/calendar',
    { schema: { tags, summary: 'Whether you have a calendar feed URL', response: { 200: CalendarToken } } },
    async (req) => calendar.tokenStatus(deps, requireViewer(req)),
  );

  app.post(
    '/me/calendar',
    {
      schema: {
        tags,
        summary: 'Create or rotate your secret calendar feed URL (shown once)',
        response: { 200: CalendarToken },
      },
    },
    async (req) => calendar.rotateToken(cal, requireViewer(req)),
  );

  app.delete(
    '/me/calendar',
    { schema: { tags, summary: 'Revoke your calendar feed URL', response: { 200: Ok } } },
    async (req) => {
      await calendar.revokeToken(deps, requireViewer(req));
      return { ok: true };
    },
  );

  app.get(
    '/events/:id',
    { schema: { tags, summary: 'An event', params: IdParams, response: { 200: Event } } },
    async (req) => events.getEvent(deps, req.params.id, req.viewer),
  );

  app.patch(
    '/events/:id',
    {
      schema: {
        tags,
        summary: 'Edit or cancel an event (organiser, moderators)',
        params: IdParams,
        body: UpdateEventBody,
        response: { 200: Event },
      },
    },
    async (req) => events.updateEvent(deps, req.params.id, requireViewer(req), req.body),
  );

  app.get(
    '/events/:id/event.ics',
    { schema: { tags, summary: 'One event as an iCalendar file (add to calendar)', params: IdParams } },
    async (req, reply) => {
      const body = await calendar.eventFile(cal, req.params.id, req.viewer);
      reply.type(ICS).header('content-disposition', `attachment; filename="event-${req.params.id}.ics"`);
      return body;
    },
  );

  app.post(
    '/events/:id/rsvp',
    {
      schema: {
        tags,
        summary: 'RSVP going (waitlisted when full), maybe or not_going (members)',
        params: IdParams,
        body: RsvpBody,
        response: { 200: RsvpResult },
      },
    },
    async (req) => rsvp.setRsvp(deps, req.params.id, requireViewer(req), req.body.status),
  );

  app.get(
    '/events/:id/attendees',
    {
      schema: {
        tags,
        summary: 'Going, waitlist (in order) and maybe (members; check-in state for hosts)',
        params: IdParams,
        response: { 200: AttendeeList },
      },
    },
    async (req) => rsvp.listAttendees(deps, req.params.id, requireViewer(req)),
  );

  app.post(
    '/events/:id/checkins',
    {
      schema: {
        tags,
        summary: 'Check an attendee in or out (organiser, moderators)',
        params: IdParams,
        body: CheckInBody,
        response: { 200: AttendeeList },
      },
    },
    async (req) =>
      rsvp.checkIn(deps, req.params.id, requireViewer(req), req.body.username, req.body.checkedIn),
  );
};
