import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import { requireViewer } from '../../platform/auth.ts';
import { fail } from '../../platform/errors.ts';
import { authorizer } from './realtime.access.ts';
import { registerLiveHandlers } from './realtime.events.ts';
import { LiveHub, RETENTION_MS } from './realtime.hub.ts';
import { pruneLiveEvents } from './realtime.queries.ts';
import { ErrorBody } from './realtime.schema.ts';
import './realtime.rights.ts';

/**
 * Realtime: `GET /live` upgrades to a WebSocket (protocol in realtime.hub.ts). Signed-in
 * members only (session cookie or API token); a cookie-authenticated upgrade must come from
 * this site's own pages (Origin check: browsers send cookies with cross-site WebSocket
 * handshakes, and CSRF tokens cannot ride on them).
 */
export const realtimeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  const hub = new LiveHub({
    db: app.db,
    pubsub: app.pubsub,
    clock: app.clock,
    log: app.log,
    authorize: authorizer(app.db),
  });
  registerLiveHandlers(app.events, hub);
  app.jobs.every('realtime.prune', 60_000, () => pruneLiveEvents(app.db, app.clock.now() - RETENTION_MS));
  app.addHook('onClose', async () => hub.close());

  const sameSite = (req: FastifyRequest) => {
    const origin = req.headers.origin;
    if (!origin || req.viewer?.via !== 'session') return true;
    const allowed = new Set([`${req.protocol}://${req.headers.host}`, new URL(app.config.publicUrl).origin]);
    return allowed.has(origin);
  };

  app.route({
    method: 'GET',
    url: '/live',
    schema: {
      tags: ['realtime'],
      summary:
        'WebSocket: live comments, reactions, edits, deletions, notifications and messages (upgrade required; signed in)',
      response: { 426: ErrorBody },
    },
    preValidation: async (req) => {
      requireViewer(req);
      if (!sameSite(req))
        fail('FORBIDDEN', 'Live connections with a session cookie must come from this site');
    },
    handler: async (_req, reply) => {
      reply.header('upgrade', 'websocket');
      fail('UPGRADE_REQUIRED', 'Connect with a WebSocket client (Upgrade: websocket)');
    },
    wsHandler: (socket, req) => hub.attach(socket, req.viewer!),
  });
};
