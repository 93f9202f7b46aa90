import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';

/**
 * HTTP hardening for every response and request:
 * - security headers (helmet): a CSP without 'unsafe-inline' for scripts, no framing
 *   (frame-ancestors 'none'), a strict referrer policy, and HSTS only on TLS requests
 *   (browsers ignore it over plain HTTP, and sending it there would be misleading);
 * - rate limits on authentication and on every write, per member (or per IP when
 *   anonymous), kept in Redis when REDIS_URL is set so all processes share them.
 */
export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Styles may be inline (the docs UI and server-rendered pages set style attributes); scripts never.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https')
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 })
    : undefined;
  redis?.on('error', (err) => app.log.warn({ err }, 'rate-limit redis error'));
  if (redis) app.addHook('onClose', async () => void redis.disconnect());

  await app.register(rateLimit, {
    global: true,
    // After the auth hook (onRequest), so limits are per member when signed in.
    hook: 'preHandler',
    max: (request: FastifyRequest) =>
      isAuth(request) ? config.rateLimit.authPerHour : config.rateLimit.writesPerMinute,
    timeWindow: (request: FastifyRequest) => (isAuth(request) ? 3_600_000 : 60_000),
    // Reads are cheap and cached; what is limited is what writes or checks passwords.
    allowList: (request: FastifyRequest) => ['GET', 'HEAD', 'OPTIONS'].includes(request.method),
    keyGenerator: (request: FastifyRequest) =>
      `${isAuth(request) ? 'auth' : 'write'}:${request.viewer ? `u${request.viewer.userId}` : `ip${request.ip}`}`,
    ...(redis && { redis, nameSpace: 'hearth-rl:' }),
    skipOnError: true,
    errorResponseBuilder: (_request, context) => {
      const err = new Error(`Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`) as Error & {
        statusCode: number;
        code: string;
      };
      err.statusCode = 429;
      err.code = 'RATE_LIMITED';
      return err;
    },
  });
}

const isAuth = (request: FastifyRequest) =>
  request.method === 'POST' &&
  /\/auth\/(signup|login|password-reset|password-reset\/confirm)$/.test(request.url.split('?')[0] ?? '');
