import path from 'node:path';

/**
 * Configuration comes from environment variables, validated once at start.
 * No variable set = the embedded default (SQLite under ./.hearth, port 3000).
 */
export interface Config {
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Prefix of Redis pub/sub channels (HEARTH_REDIS_PREFIX), so several Hearths can share one Redis. */
  redisPrefix: string;
  smtpUrl: string | null;
  /** Sender of outgoing mail (HEARTH_MAIL_FROM); defaults to hearth@<host of the public URL>. */
  mailFrom: string;
  dataDir: string;
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustProxy: boolean;
  /** How long an outbox event claimed by a dispatcher stays leased to it (ms). */
  outboxLeaseMs: number;
  /** Requests allowed per key: sign-up/log-in per hour, writes per minute. */
  rateLimit: { authPerHour: number; writesPerMinute: number };
  /** Public base URL, used for canonical links; defaults to http://localhost:PORT. */
  publicUrl: string;
  /**
   * Automatic moderation's heuristics (flood and new-member limits, duplicates, spam score);
   * sanctions, guideline re-acceptance and watched words apply regardless. HEARTH_AUTOMOD.
   */
  automod: boolean;
  /** Issue 8: days raw analytics events are kept before only rollups remain. HEARTH_ANALYTICS_RETENTION_DAYS. */
  analyticsRetentionDays: number;
  /**
   * How long an anonymous public response may be served from the shared response cache (ms);
   * 0 turns the cache off. Invalidation by domain events is immediate; this bounds what raises
   * no event. HEARTH_RESPONSE_CACHE_MS, default 5000.
   */
  responseCacheMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function parsePort(value: string, name: string, problems: string[]): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < 0 || n > 65535) {
    problems.push(`${name}=${JSON.stringify(value)} is not a port number (0-65535)`);
    return 0;
  }
  return n;
}

function parseUrl(
  value: string | undefined,
  name: string,
  protocols: string[],
  problems: string[],
): string | null {
  if (value === undefined || value === '') return null;
  try {
    const u = new URL(value);
    if (!protocols.includes(u.protocol)) {
      problems.push(
        `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got ${u.protocol}//)`,
      );
      return null;
    }
    return value;
  } catch {
    problems.push(`${name} is not a URL: ${JSON.stringify(value)}`);
    return null;
  }
}

function parseBool(value: string | undefined, name: string, problems: string[]): boolean {
  if (value === undefined || value === '') return false;
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['0', 'false', 'no'].includes(value)) return false;
  problems.push(`${name} must be true or false (got ${JSON.stringify(value)})`);
  return false;
}

/** Reads and validates the environment; throws ConfigError listing every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const databaseUrl = parseUrl(env.DATABASE_URL, 'DATABASE_URL', ['postgres:', 'postgresql:'], problems);
  const redisUrl = parseUrl(env.REDIS_URL, 'REDIS_URL', ['redis:', 'rediss:'], problems);
  const smtpUrl = parseUrl(env.SMTP_URL, 'SMTP_URL', ['smtp:', 'smtps:'], problems);
  const port = env.PORT ? parsePort(env.PORT, 'PORT', problems) : 3000;
  const logLevel = (env.HEARTH_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`HEARTH_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const trustProxy = parseBool(env.HEARTH_TRUST_PROXY, 'HEARTH_TRUST_PROXY', problems);
  const positive = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    if (!/^[1-9]\d*$/.test(v)) {
      problems.push(`${name} must be a positive whole number (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return Number(v);
  };
  const rateLimit = {
    authPerHour: positive('HEARTH_RATE_LIMIT_AUTH', 60),
    writesPerMinute: positive('HEARTH_RATE_LIMIT_WRITES', 300),
  };
  const publicUrl = parseUrl(env.HEARTH_PUBLIC_URL, 'HEARTH_PUBLIC_URL', ['http:', 'https:'], problems);
  const redisPrefix = env.HEARTH_REDIS_PREFIX || 'hearth:';
  if (!/^[\w:.-]{1,64}$/.test(redisPrefix))
    problems.push('HEARTH_REDIS_PREFIX may only hold letters, digits, "_", ":", "." and "-" (at most 64)');
  const mailFrom = env.HEARTH_MAIL_FROM ?? '';
  if (mailFrom && !/^[^\r\n]*@[^\r\n]+$/.test(mailFrom))
    problems.push(
      `HEARTH_MAIL_FROM must be an address like "Hearth <hearth@example.org>" (got ${JSON.stringify(mailFrom)})`,
    );
  let responseCacheMs = 5000;
  if (env.HEARTH_RESPONSE_CACHE_MS !== undefined && env.HEARTH_RESPONSE_CACHE_MS !== '') {
    if (/^\d+$/.test(env.HEARTH_RESPONSE_CACHE_MS)) responseCacheMs = Number(env.HEARTH_RESPONSE_CACHE_MS);
    else
      problems.push(
        `HEARTH_RESPONSE_CACHE_MS must be a whole number of milliseconds, 0 to turn the cache off (got ${JSON.stringify(env.HEARTH_RESPONSE_CACHE_MS)})`,
      );
  }
  const automod = env.HEARTH_AUTOMOD ? parseBool(env.HEARTH_AUTOMOD, 'HEARTH_AUTOMOD', problems) : true;
  if (problems.length) throw new ConfigError(problems);
  const config: Config = {
    databaseUrl,
    redisUrl,
    redisPrefix,
    smtpUrl,
    mailFrom,
    dataDir: path.resolve(env.HEARTH_DATA_DIR || '.hearth'),
    port,
    host: env.HOST || '127.0.0.1',
    logLevel,
    trustProxy,
    publicUrl: publicUrl ?? '',
    rateLimit,
    outboxLeaseMs: positive('HEARTH_OUTBOX_LEASE_MS', 30_000),
    automod,
    analyticsRetentionDays: positive('HEARTH_ANALYTICS_RETENTION_DAYS', 90),
    responseCacheMs,
    ...overrides,
  };
  if (!config.publicUrl) config.publicUrl = `http://localhost:${config.port}`;
  if (!config.mailFrom) config.mailFrom = `Hearth <hearth@${new URL(config.publicUrl).hostname}>`;
  return config;
}
