import cluster, { type Worker } from 'node:cluster';
import { Redis } from 'ioredis';
import type { Logger } from './events.ts';

/**
 * Cross-process messages: realtime fan-out (a comment posted on one server reaches the
 * WebSocket clients of every server) and cache invalidation. In-process by default; with
 * REDIS_URL every `hearth serve` process shares Redis pub/sub channels.
 *
 * Delivery is at-most-once and best effort (Redis pub/sub keeps nothing): anything that must
 * not be lost travels through the outbox first, and pub/sub only tells other processes that
 * something happened. Messages are JSON values. A handler never sees its own process's
 * message twice: local subscribers are called directly and echoes from Redis are dropped.
 */
export type PubSubHandler = (message: unknown, channel: string) => void;

export interface PubSub {
  publish(channel: string, message: unknown): void;
  /** Returns an unsubscribe function. */
  subscribe(channel: string, handler: PubSubHandler): () => void;
  /** Whether messages currently reach other processes (always true in-process). */
  readonly healthy: boolean;
  close(): Promise<void>;
}

/** One process: subscribers are called synchronously-after-publish (next microtask). */
export class LocalPubSub implements PubSub {
  protected handlers = new Map<string, Set<PubSubHandler>>();

  get healthy(): boolean {
    return true;
  }

  publish(channel: string, message: unknown): void {
    this.deliver(channel, message);
  }

  subscribe(channel: string, handler: PubSubHandler): () => void {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      this.onFirstSubscriber(channel);
    }
    set.add(handler);
    return () => {
      const s = this.handlers.get(channel);
      if (!s) return;
      s.delete(handler);
      if (s.size === 0) {
        this.handlers.delete(channel);
        this.onLastUnsubscribe(channel);
      }
    };
  }

  protected deliver(channel: string, message: unknown): void {
    const set = this.handlers.get(channel);
    if (!set) return;
    for (const h of [...set]) {
      queueMicrotask(() => {
        try {
          h(message, channel);
        } catch {
          // A failing subscriber must not stop the others.
        }
      });
    }
  }

  protected onFirstSubscriber(_channel: string): void {}
  protected onLastUnsubscribe(_channel: string): void {}

  async close(): Promise<void> {
    this.handlers.clear();
  }
}

/**
 * Redis pub/sub: one publishing connection and one subscribing connection per process.
 * If Redis is down, publishes are dropped (local subscribers still get them) and `healthy`
 * is false; ioredis reconnects on its own and channels are re-subscribed.
 */
export class RedisPubSub extends LocalPubSub {
  private pub: Redis;
  private sub: Redis;
  private readonly origin = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  private up = false;

  constructor(
    url: string,
    private prefix = 'hearth:',
    private log?: Logger,
  ) {
    super();
    const opts = { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false };
    this.pub = new Redis(url, opts);
    this.sub = new Redis(url, { ...opts, enableOfflineQueue: true });
    for (const conn of [this.pub, this.sub]) {
      conn.on('error', (err) => this.log?.warn({ err }, 'pubsub redis error'));
    }
    this.pub.on('ready', () => {
      this.up = true;
    });
    // A subscribe issued while the connection was still being made can be lost (seen in tests:
    // the first channel of a fresh process never received anything): subscribe to every channel
    // with local handlers whenever the subscriber connection becomes ready (again).
    this.sub.on('ready', () => {
      const channels = [...this.handlers.keys()];
      if (channels.length) this.confirm(channels);
    });
    // Until Redis has confirmed a subscription, messages on it can be missed: not healthy.
    for (const ev of ['end', 'close'] as const) this.sub.on(ev, () => this.confirmed.clear());
    this.pub.on('end', () => {
      this.up = false;
    });
    this.pub.on('close', () => {
      this.up = false;
    });
    this.sub.on('message', (raw: string, data: string) => {
      let envelope: { o: string; m: unknown };
      try {
        envelope = JSON.parse(data);
      } catch {
        return;
      }
      if (envelope.o === this.origin) return; // our own message, already delivered locally
      this.deliver(raw.slice(this.prefix.length), envelope.m);
    });
  }

  /** Channels Redis has confirmed this process is subscribed to (on the current connection). */
  private confirmed = new Set<string>();

  private confirm(channels: string[]): void {
    this.sub
      .subscribe(...channels.map((c) => this.prefix + c))
      .then(() => {
        for (const c of channels) if (this.handlers.has(c)) this.confirmed.add(c);
      })
      .catch((err) => this.log?.warn({ err }, 'subscribe failed'));
  }

  /**
   * Publishing works and every channel with a local subscriber is confirmed subscribed: only
   * then are other processes' messages sure to arrive (the response cache steps aside otherwise).
   */
  override get healthy(): boolean {
    if (!this.up) return false;
    for (const c of this.handlers.keys()) if (!this.confirmed.has(c)) return false;
    return true;
  }

  override publish(channel: string, message: unknown): void {
    this.deliver(channel, message);
    if (!this.up) return;
    this.pub
      .publish(this.prefix + channel, JSON.stringify({ o: this.origin, m: message }))
      .catch((err) => this.log?.warn({ err, channel }, 'pubsub publish failed'));
  }

  protected override onFirstSubscriber(channel: string): void {
    this.confirm([channel]);
  }

  protected override onLastUnsubscribe(channel: string): void {
    this.confirmed.delete(channel);
    this.sub.unsubscribe(this.prefix + channel).catch(() => {});
  }

  override async close(): Promise<void> {
    await super.close();
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

/** What crosses between the processes of `hearth serve --processes N` (cluster IPC). */
interface IpcEnvelope {
  hearthPubsub: 1;
  channel: string;
  message: unknown;
}
const isEnvelope = (m: unknown): m is IpcEnvelope =>
  typeof m === 'object' && m !== null && (m as IpcEnvelope).hearthPubsub === 1;

/**
 * A worker of `hearth serve --processes N` without Redis: messages go to the primary process
 * over the cluster's IPC channel, and it passes them to every other worker (relayPubSub).
 * Same contract as Redis: local subscribers directly, best effort across processes.
 */
export class IpcPubSub extends LocalPubSub {
  private readonly onMessage = (m: unknown) => {
    if (isEnvelope(m)) this.deliver(m.channel, m.message);
  };

  constructor(private readonly proc: NodeJS.Process = process) {
    super();
    proc.on('message', this.onMessage);
  }

  override get healthy(): boolean {
    return this.proc.connected === true;
  }

  override publish(channel: string, message: unknown): void {
    this.deliver(channel, message);
    if (!this.proc.connected || !this.proc.send) return;
    try {
      this.proc.send({ hearthPubsub: 1, channel, message } satisfies IpcEnvelope);
    } catch {
      // The primary is gone (shutting down): nothing left to tell.
    }
  }

  override async close(): Promise<void> {
    this.proc.off('message', this.onMessage);
    await super.close();
  }
}

/** The primary's side of IpcPubSub: a worker's message goes to every other live worker. */
export function relayPubSub(from: Worker, message: unknown, workers: Iterable<Worker>): void {
  if (!isEnvelope(message)) return;
  for (const w of workers) {
    if (w === from || !w.isConnected()) continue;
    w.send(message, undefined, () => {}); // a worker exiting meanwhile is not an error
  }
}

export function createPubSub(redisUrl: string | null, log?: Logger, prefix?: string): PubSub {
  if (redisUrl) return new RedisPubSub(redisUrl, prefix, log);
  // A worker of `hearth serve --processes N` (cluster.fork sets NODE_UNIQUE_ID) without Redis.
  return cluster.isWorker ? new IpcPubSub() : new LocalPubSub();
}
