import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmittedEvent } from './events.ts';
import type { PubSub } from './pubsub.ts';

/**
 * A shared cache of serialized responses for anonymous readers of public pages (a thread, its
 * comments, a community's lists): the bulk of a community site's traffic is people and crawlers
 * who are not signed in, and they all get the same bytes.
 *
 * Privacy: only requests with no credentials at all (no session cookie that resolved to a
 * viewer, no API token) are served from or stored in it, and only by routes that opt in with
 * `config: { responseCache: true }` and call `cacheScope(reply, communityId)`. What an anonymous
 * reader may see is public by definition, so nothing private or per-viewer can enter it.
 *
 * Coherence: every committed domain event invalidates its community's entries (events without a
 * community, such as a profile edit, invalidate everything), at once in this process and through
 * `app.pubsub` in the others. When the pub/sub cannot reach the other processes (Redis down) the
 * cache steps aside until it can. A read that overlapped an invalidation is not stored (epoch
 * check), so a response computed before a write never outlives it. Entries also expire after
 * `ttlMs`: changes that raise no event (the periodic hot-rank refresh) show within that time.
 */
export interface ResponseCacheOptions {
  ttlMs: number;
  maxEntries?: number;
}

interface Entry {
  body: string;
  scope: number;
  expires: number;
}

export const INVALIDATE_CHANNEL = 'cache.invalidate';
/** Events that change nothing an anonymous reader of community pages sees. */
const NO_PUBLIC_EFFECT = new Set([
  'accounts.user_signed_up',
  'feed.user_followed',
  // Personal things: an inbox, a conversation, a choice about one's own data.
  'notifications.created',
  'notifications.read',
  'messaging.message_sent',
  'messaging.user_blocked',
  'messaging.conversation_read',
  'privacy.consent_changed',
]);

declare module 'fastify' {
  interface FastifyRequest {
    cacheEpoch?: number;
  }
  interface FastifyReply {
    cacheScope?: number;
  }
  interface FastifyContextConfig {
    /** Anonymous GETs of this route may be served from the shared response cache. */
    responseCache?: boolean;
  }
}

export class ResponseCache {
  private entries = new Map<string, Entry>();
  private byScope = new Map<number, Set<string>>();
  /** Bumped by every invalidation; a read stores its response only if none happened meanwhile. */
  epoch = 0;
  readonly maxEntries: number;
  hits = 0;
  misses = 0;
  private unsubscribe: () => void;

  constructor(
    private pubsub: PubSub,
    readonly ttlMs: number,
    maxEntries = 5000,
    /** The app's clock: answers that depend on "now" (periods, decay) expire with it. */
    private now: () => number = Date.now,
  ) {
    this.maxEntries = maxEntries;
    this.unsubscribe = pubsub.subscribe(INVALIDATE_CHANNEL, (m) => {
      const scopes = (m as { scopes?: unknown })?.scopes;
      if (scopes === 'all') this.clearLocal();
      else if (Array.isArray(scopes)) for (const s of scopes) if (typeof s === 'number') this.dropScope(s);
    });
  }

  /** Usable only while invalidations reach every process. */
  get enabled(): boolean {
    if (this.ttlMs <= 0) return false;
    if (!this.pubsub.healthy) {
      if (this.entries.size) this.clearLocal();
      return false;
    }
    return true;
  }

  get(key: string): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.delete(key);
      return undefined;
    }
    return e.body;
  }

  set(key: string, scope: number, body: string, epochAtStart: number): void {
    if (epochAtStart !== this.epoch) return;
    this.delete(key);
    if (this.entries.size >= this.maxEntries) {
      // Map order is insertion order: drop the oldest tenth.
      let n = Math.ceil(this.maxEntries / 10);
      for (const k of this.entries.keys()) {
        this.delete(k);
        if (--n <= 0) break;
      }
    }
    this.entries.set(key, { body, scope, expires: this.now() + this.ttlMs });
    let keys = this.byScope.get(scope);
    if (!keys) {
      keys = new Set();
      this.byScope.set(scope, keys);
    }
    keys.add(key);
  }

  /** Invalidates here and in every other process. */
  invalidate(scopes: number[] | 'all'): void {
    if (scopes !== 'all' && scopes.length === 0) return;
    if (scopes === 'all') this.clearLocal();
    else for (const s of scopes) this.dropScope(s);
    this.pubsub.publish(INVALIDATE_CHANNEL, { scopes });
  }

  /** The scopes a batch of committed events touches. */
  static scopesOf(events: EmittedEvent[]): number[] | 'all' {
    const scopes = new Set<number>();
    for (const e of events) {
      if (NO_PUBLIC_EFFECT.has(e.type)) continue;
      const id = (e.payload as { communityId?: unknown } | null)?.communityId;
      if (typeof id !== 'number') return 'all';
      scopes.add(id);
    }
    return [...scopes];
  }

  close(): void {
    this.unsubscribe();
    this.clearLocal();
  }

  private delete(key: string) {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.byScope.get(e.scope)?.delete(key);
  }

  private dropScope(scope: number) {
    this.epoch++;
    const keys = this.byScope.get(scope);
    if (!keys) return;
    for (const k of keys) this.entries.delete(k);
    this.byScope.delete(scope);
  }

  private clearLocal() {
    this.epoch++;
    this.entries.clear();
    this.byScope.clear();
  }
}

/** Tells the cache which community a response belongs to; without it the response is not stored. */
export function cacheScope(reply: FastifyReply, communityId: number): void {
  reply.cacheScope = communityId;
}

const anonymous = (req: FastifyRequest) => req.viewer === null && !req.headers.authorization;

/**
 * Hooks for the API scope; the lookup must run after the auth hook (it needs `req.viewer`).
 * A hit answers from memory with `x-hearth-cache: hit`; security headers still apply (onSend).
 */
export function registerResponseCache(api: FastifyInstance, cache: ResponseCache): void {
  api.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || !req.routeOptions.config.responseCache || !anonymous(req)) return;
    if (!cache.enabled) return;
    const body = cache.get(req.url);
    if (body !== undefined) {
      cache.hits++;
      reply.header('x-hearth-cache', 'hit').type('application/json; charset=utf-8');
      return reply.send(body);
    }
    cache.misses++;
    req.cacheEpoch = cache.epoch;
  });
  api.addHook('onSend', async (req, reply, payload) => {
    if (req.cacheEpoch === undefined || reply.cacheScope === undefined) return payload;
    if (reply.statusCode === 200 && typeof payload === 'string' && cache.enabled) {
      cache.set(req.url, reply.cacheScope, payload, req.cacheEpoch);
      reply.header('x-hearth-cache', 'miss');
    }
    return payload;
  });
}
