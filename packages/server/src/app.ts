import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { type Config, loadConfig } from './config.ts';
import { createDb, type Db, migrateToLatest } from './db/index.ts';
import { accountsRoutes } from './modules/accounts/accounts.routes.ts';
import { passwordResetRoutes } from './modules/accounts/password-reset.routes.ts';
import { analyticsRoutes } from './modules/analytics/analytics.routes.ts';
import { collaborationsRoutes } from './modules/collaborations/collaborations.routes.ts';
import { communitiesRoutes } from './modules/communities/communities.routes.ts';
import { contentRoutes } from './modules/content/content.routes.ts';
import { pollsRoutes } from './modules/content/polls.routes.ts';
import { eventsRoutes } from './modules/events/events.routes.ts';
import { feedRoutes } from './modules/feed/feed.routes.ts';
import { gamificationRoutes } from './modules/gamification/gamification.routes.ts';
import { messagingRoutes } from './modules/messaging/messaging.routes.ts';
import { moderationRoutes } from './modules/moderation/moderation.routes.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { partnershipsRedirect, partnershipsRoutes } from './modules/partnerships/partnerships.routes.ts';
import { privacyRoutes } from './modules/privacy/privacy.routes.ts';
import { realtimeRoutes } from './modules/realtime/realtime.routes.ts';
import { searchRoutes } from './modules/search/search.routes.ts';
import { webRoutes } from './modules/web/web.routes.ts';
import { authHook } from './platform/auth.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import { AppError, ERRORS } from './platform/errors.ts';
import { Events } from './platform/events.ts';
import { Jobs } from './platform/jobs.ts';
import { Mailer } from './platform/mail.ts';
import { createPubSub, type PubSub } from './platform/pubsub.ts';
import { ResponseCache, registerResponseCache } from './platform/response-cache.ts';
import { registerSecurity } from './platform/security.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    events: Events;
    jobs: Jobs;
    clock: Clock;
    /** Cross-process messages (realtime fan-out, cache invalidation): Redis when REDIS_URL is set. */
    pubsub: PubSub;
    /** Outgoing mail (queued in transactions, sent after commit): SMTP_URL or a local folder. */
    mail: Mailer;
    /** Shared cache of anonymous public responses, invalidated by committed events (all processes). */
    responseCache: ResponseCache;
  }
}

export interface BuildOptions {
  config?: Partial<Config>;
  /** An existing database (tests); otherwise one is opened from the config and closed with the app. */
  db?: Db;
  clock?: Clock;
  /** A shared pub/sub (tests); otherwise one is made from REDIS_URL and closed with the app. */
  pubsub?: PubSub;
  logger?: boolean;
  /** Run migrations on start (default true). */
  migrate?: boolean;
  /** Start the outbox poller and periodic jobs (default false: `serve` turns them on). */
  background?: boolean;
}

export const API_PREFIX = '/api/v1';

/** Builds the Hearth server: platform first, then one line per module. Never listens. */
export async function buildApp(opts: BuildOptions = {}): Promise<FastifyInstance> {
  const config = loadConfig(process.env, opts.config);
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: {
      customOptions: { allErrors: false, removeAdditional: true, coerceTypes: 'array', useDefaults: true },
    },
    // Errors Fastify raises before routing (a malformed URL) bypass setErrorHandler; keep the error contract.
    frameworkErrors: errorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const db =
    opts.db ?? createDb({ databaseUrl: config.databaseUrl, sqliteFile: `${config.dataDir}/hearth.sqlite` });
  const clock = opts.clock ?? systemClock;
  const events = new Events(db, clock, app.log, config.outboxLeaseMs);
  const jobs = new Jobs(db, clock, app.log);
  const pubsub = opts.pubsub ?? createPubSub(config.redisUrl, app.log, config.redisPrefix);
  const mail = new Mailer(db, clock, app.log, {
    smtpUrl: config.smtpUrl,
    dir: `${config.dataDir}/mail`,
    from: config.mailFrom,
  });
  app.decorate('config', config);
  app.decorate('db', db);
  app.decorate('clock', clock);
  app.decorate('events', events);
  app.decorate('jobs', jobs);
  app.decorate('pubsub', pubsub);
  app.decorate('mail', mail);
  jobs.every('mail.deliver', 15_000, () => mail.flush());
  const responseCache = new ResponseCache(pubsub, config.responseCacheMs, 5000, () => clock.now());
  events.onCommitted((list) => responseCache.invalidate(ResponseCache.scopesOf(list)));
  // Of the periodic jobs only the rank refresh changes what cached reads show (list order, ranks);
  // the others (mail, digests, badges, reminders, analytics) would empty the cache every few
  // seconds for nothing. Anything else is bounded by the cache's lifetime (HEARTH_RESPONSE_CACHE_MS).
  jobs.onRan((name) => {
    if (name === 'content.hot_ranks') responseCache.invalidate('all');
  });
  app.decorate('responseCache', responseCache);
  app.decorateRequest('viewer', null);

  if (opts.migrate !== false) await migrateToLatest(db);

  app.setErrorHandler(errorHandler);
  // JSON only: without this, a text/plain body reached the routes as a string and failed as "body must be object".
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` } });
  });

  await app.register(cookie);
  await registerSecurity(app, config);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Hearth API', version: '1', description: 'Micro-communities: REST under /api/v1' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'hearth_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { withCredentials: true, persistAuthorization: true },
    // "Try it out" with a session cookie must echo the CSRF token, as the web app does.
    theme: { js: [{ filename: 'hearth-csrf.js', content: DOCS_CSRF_SCRIPT }] },
  });

  await app.register(
    async (api) => {
      api.addHook('onRequest', authHook(db, clock));
      registerResponseCache(api, responseCache);
      api.get(
        '/health',
        { schema: { tags: ['platform'], summary: 'Liveness and database check' } },
        async () => {
          await db.selectFrom('job_leases').select('name').limit(1).execute();
          return { ok: true };
        },
      );
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await api.register(accountsRoutes);
      await api.register(communitiesRoutes);
      await api.register(contentRoutes);
      await api.register(feedRoutes);
      await api.register(searchRoutes);
      await api.register(gamificationRoutes);
      await api.register(moderationRoutes);
      await api.register(analyticsRoutes);
      await api.register(privacyRoutes);
      await api.register(partnershipsRoutes);
      await api.register(eventsRoutes);
      await api.register(pollsRoutes);
      await api.register(collaborationsRoutes);
      await api.register(passwordResetRoutes);
      await api.register(notificationsRoutes);
      await api.register(messagingRoutes);
      await api.register(realtimeRoutes);
    },
    { prefix: API_PREFIX },
  );

  await app.register(partnershipsRedirect);
  await app.register(webRoutes);

  app.addHook('onReady', async () => {
    if (opts.background) {
      events.start();
      jobs.start();
    }
  });
  app.addHook('onClose', async () => {
    jobs.stop();
    await events.stop();
    await mail.close();
    responseCache.close();
    if (!opts.pubsub) await pubsub.close();
    if (!opts.db) await db.destroy();
  });
  return app;
}

const DOCS_CSRF_SCRIPT = `(function () {
  var original = window.fetch;
  window.fetch = function (input, init) {
    init = init || {};
    var method = (init.method || (input && input.method) || 'GET').toUpperCase();
    var match = document.cookie.match(/(?:^|; )hearth_csrf=([^;]*)/);
    if (match && method !== 'GET' && method !== 'HEAD') {
      var headers = new Headers(init.headers || {});
      if (!headers.has('x-csrf-token')) headers.set('x-csrf-token', decodeURIComponent(match[1]));
      init.headers = headers;
    }
    return original.call(this, input, init);
  };
})();`;

const DB_DOWN = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08006',
  '08001',
]);

function errorHandler(err: FastifyError, req: any, reply: any) {
  const send = (status: number, code: string, message: string, field?: string) =>
    reply.code(status).send({ error: { code, message, ...(field && { field }) } });
  if (err instanceof AppError) {
    if (err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
    return send(err.status, err.code, err.message, err.field);
  }
  if (err.validation) {
    const v = err.validation[0]!;
    const missing = (v.params as { missingProperty?: string })?.missingProperty;
    const path = [err.validationContext, ...(v.instancePath || '').split('/').filter(Boolean), missing]
      .filter(Boolean)
      .join('.');
    const message = missing ? `${path} is required` : `${path} ${v.message}`;
    return send(400, 'VALIDATION_FAILED', message, path);
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return send(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return send(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  if (err.statusCode === 400) return send(400, 'VALIDATION_FAILED', err.message);
  const code = (err as { code?: string }).code;
  if (
    (code && DB_DOWN.has(code)) ||
    /Connection terminated|connect ECONNREFUSED|is not queryable|the database system is (shutting down|starting up)/.test(
      err.message,
    )
  ) {
    reply.header('retry-after', '5');
    return send(503, 'DATABASE_UNAVAILABLE', 'The database is unavailable; try again shortly');
  }
  if (err.statusCode === 429) return send(429, 'RATE_LIMITED', err.message);
  req.log.error({ err }, 'unhandled error');
  return send(ERRORS.INTERNAL, 'INTERNAL', 'Something went wrong on our side');
}
