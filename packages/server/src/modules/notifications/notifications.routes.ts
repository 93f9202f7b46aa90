import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import { registerNotificationHandlers } from './notifications.events.ts';
import { sendDueDigests } from './notifications.mail.ts';
import {
  ListQuery,
  MarkReadBody,
  NotificationList,
  Preferences,
  SlugParams,
  TokenQuery,
  UnreadCount,
  Unsubscribed,
  UpdatePreferencesBody,
  Watching,
} from './notifications.schema.ts';
import * as svc from './notifications.service.ts';
import './notifications.rights.ts';

/** Notifications: the inbox, unread count, preferences, digests, community watches, unsubscribe. */
export const notificationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps: svc.NotificationDeps = {
    db: app.db,
    events: app.events,
    clock: app.clock,
    mail: app.mail,
    publicUrl: app.config.publicUrl,
  };
  const tags = ['notifications'];
  registerNotificationHandlers(app.events, deps);
  app.jobs.every('notifications.digest', 10 * 60_000, () => sendDueDigests(deps));

  app.get(
    '/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications, newest activity first',
        querystring: ListQuery,
        response: { 200: NotificationList },
      },
    },
    async (req) => svc.listInbox(deps, requireViewer(req), req.query),
  );

  app.get(
    '/notifications/unread-count',
    { schema: { tags, summary: 'How many unread notifications I have', response: { 200: UnreadCount } } },
    async (req) => svc.unreadCount(deps, requireViewer(req)),
  );

  app.post(
    '/notifications/read',
    {
      schema: {
        tags,
        summary: 'Mark notifications read: { ids } or { all: true }',
        body: MarkReadBody,
        response: { 200: UnreadCount },
      },
    },
    async (req) => svc.markRead(deps, requireViewer(req), req.body),
  );

  app.get(
    '/notifications/preferences',
    {
      schema: {
        tags,
        summary: 'Per-type channels (off, in_app, email) and the digest',
        response: { 200: Preferences },
      },
    },
    async (req) => svc.getPreferences(deps, requireViewer(req).userId),
  );

  app.patch(
    '/notifications/preferences',
    {
      schema: {
        tags,
        summary: 'Change per-type channels and the digest (off, daily, weekly)',
        body: UpdatePreferencesBody,
        response: { 200: Preferences },
      },
    },
    async (req) => svc.updatePreferences(deps, requireViewer(req), req.body),
  );

  app.get(
    '/notifications/unsubscribe',
    {
      schema: {
        tags,
        summary: 'What an unsubscribe link would stop (changes nothing; for the confirmation page)',
        querystring: TokenQuery,
        response: { 200: Unsubscribed },
      },
    },
    async (req) => svc.unsubscribe(deps, req.query.token, false),
  );

  app.post(
    '/notifications/unsubscribe',
    {
      schema: {
        tags,
        summary: 'One-click unsubscribe (RFC 8058) from the emails of one type; no sign-in needed',
        querystring: TokenQuery,
        response: { 200: Unsubscribed },
      },
    },
    async (req) => svc.unsubscribe(deps, req.query.token, true),
  );

  app.get(
    '/communities/:slug/watch',
    {
      schema: {
        tags,
        summary: 'Whether I watch this community',
        params: SlugParams,
        response: { 200: Watching },
      },
    },
    async (req) => svc.watchState(deps, req.params.slug, requireViewer(req)),
  );

  app.post(
    '/communities/:slug/watch',
    {
      schema: {
        tags,
        summary: 'Watch a community: a notification for each new thread (readers)',
        params: SlugParams,
        response: { 200: Watching },
      },
    },
    async (req) => svc.setWatch(deps, req.params.slug, requireViewer(req), true),
  );

  app.delete(
    '/communities/:slug/watch',
    {
      schema: { tags, summary: 'Stop watching a community', params: SlugParams, response: { 200: Watching } },
    },
    async (req) => svc.setWatch(deps, req.params.slug, requireViewer(req), false),
  );
};
