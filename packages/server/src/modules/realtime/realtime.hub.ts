import type { WebSocket } from 'ws';
import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/events.ts';
import type { PubSub } from '../../platform/pubsub.ts';
import * as q from './realtime.queries.ts';
import { parseTopic } from './realtime.schema.ts';

/**
 * The live hub of one server process: its WebSocket clients, what each subscribed to, and the
 * bridge to `app.pubsub` (one pub/sub channel per live channel with local subscribers, so with
 * Redis every process receives what any process published).
 *
 * Protocol (JSON text frames):
 *   client → server  { type: "subscribe", topic: "thread", id } | { type: "subscribe", topic: "community", slug }
 *                    | { type: "subscribe", topic: "inbox" }   — each may carry `since`: the last event id seen
 *                    { type: "unsubscribe", channel }  { type: "ping" }
 *   server → client  { type: "hello", userId, heartbeatMs }  { type: "subscribed", channel, ref }
 *                    { type: "event", id, channel, kind, data, at }  { type: "resync", channel }
 *                    { type: "unsubscribed", channel, reason }  { type: "error", code, message, ref }
 *                    { type: "heartbeat", at }  { type: "pong" }
 * Events carry increasing ids (the `live_events` row); a client reconnecting within the
 * retention window subscribes again with `since` and gets what it missed, or `resync` (reload
 * the page's state) when that is no longer kept.
 */
export interface LiveMessage {
  id: number;
  channel: string;
  kind: string;
  data: unknown;
  at: number;
}

export type Topic =
  | { topic: 'thread'; id: number }
  | { topic: 'community'; slug?: string; id?: number }
  | { topic: 'inbox'; userId?: number };

export interface Authorized {
  channel: string;
  /** The community whose membership the subscription depends on (re-checked when it changes). */
  communityId: number | null;
}

/** Throws an AppError (same codes as the REST routes) when the viewer may not subscribe. */
export type Authorize = (viewer: Viewer, topic: Topic) => Promise<Authorized>;

/** Control messages every process receives (on `live:control`). */
export type Control =
  | { kind: 'recheck'; communityId: number; userId: number | null }
  | { kind: 'logout'; userId: number };

export const HEARTBEAT_MS = 25_000;
/** How long live events are kept for resuming. */
export const RETENTION_MS = 10 * 60_000;
/** Replays reach back this far before the client's last event (see listLiveEvents). */
export const REORDER_LOOKBACK_MS = 2_000;
const MAX_REPLAY = 500;
const MAX_SUBSCRIPTIONS = 64;
/** A client this far behind is dropped; it reconnects and resumes. */
const MAX_BUFFERED = 4 * 1024 * 1024;
const CONTROL = 'live:control';
const pubsubChannel = (channel: string) => `live:${channel}`;

interface Sub {
  channel: string;
  communityId: number | null;
  topic: Topic;
  /** While replaying or re-authorizing, live messages wait here instead of being sent. */
  pending: LiveMessage[] | null;
}

interface Client {
  ws: WebSocket;
  viewer: Viewer;
  subs: Map<string, Sub>;
  alive: boolean;
}

export interface HubDeps {
  db: Db;
  pubsub: PubSub;
  clock: Clock;
  log: Logger;
  authorize: Authorize;
}

export class LiveHub {
  private clients = new Set<Client>();
  private channels = new Map<string, Set<Client>>();
  private unsubscribers = new Map<string, () => void>();
  private timers: NodeJS.Timeout[] = [];
  private stopControl: () => void;

  constructor(private deps: HubDeps) {
    this.stopControl = deps.pubsub.subscribe(CONTROL, (m) => void this.onControl(m as Control));
    const every = (ms: number, fn: () => Promise<void> | void) => {
      const t = setInterval(() => {
        Promise.resolve(fn()).catch((err) => deps.log.warn({ err }, 'live hub timer failed'));
      }, ms);
      t.unref();
      this.timers.push(t);
    };
    every(HEARTBEAT_MS, () => this.heartbeat());
    every(60_000, () => this.recordPresence());
    every(120_000, () => this.dropEndedSessions());
  }

  /** Publishes a live event to every process (called after the event's row committed). */
  publish(message: LiveMessage): void {
    this.deps.pubsub.publish(pubsubChannel(message.channel), message);
  }

  /** Tells every process's hub to re-authorize or close subscriptions. */
  control(message: Control): void {
    this.deps.pubsub.publish(CONTROL, message);
  }

  stats() {
    return { clients: this.clients.size, channels: this.channels.size };
  }

  attach(ws: WebSocket, viewer: Viewer): void {
    const client: Client = { ws, viewer, subs: new Map(), alive: true };
    this.clients.add(client);
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('message', (raw, isBinary) => {
      client.alive = true;
      if (isBinary)
        return this.send(client, { type: 'error', code: 'VALIDATION_FAILED', message: 'Send JSON text' });
      void this.onMessage(client, raw.toString()).catch((err) => {
        this.deps.log.warn({ err }, 'live message failed');
        this.send(client, { type: 'error', code: 'INTERNAL', message: 'Something went wrong on our side' });
      });
    });
    ws.on('close', () => this.detach(client));
    ws.on('error', () => ws.terminate());
    this.send(client, { type: 'hello', userId: viewer.userId, heartbeatMs: HEARTBEAT_MS });
    void q.touchPresence(this.deps.db, [viewer.userId], this.deps.clock.now()).catch(() => {});
  }

  private detach(client: Client): void {
    if (!this.clients.delete(client)) return;
    for (const channel of client.subs.keys()) this.leave(client, channel);
    client.subs.clear();
    // Away from now on (unless another tab or process still has a socket; that one refreshes it).
    void q.touchPresence(this.deps.db, [client.viewer.userId], this.deps.clock.now()).catch(() => {});
  }

  private send(client: Client, frame: unknown): void {
    this.sendRaw(client, JSON.stringify(frame));
  }

  private sendRaw(client: Client, frame: string | Buffer): void {
    const ws = client.ws;
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      ws.terminate();
      return;
    }
    // A Buffer is sent as is (as a text frame): fan-out encodes the JSON to UTF-8 once, not per socket.
    ws.send(frame, { binary: false });
  }

  private async onMessage(client: Client, text: string): Promise<void> {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text);
      if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) throw new Error('not an object');
    } catch {
      return this.send(client, {
        type: 'error',
        code: 'VALIDATION_FAILED',
        message: 'Frames are JSON objects',
      });
    }
    const ref = typeof msg.ref === 'string' || typeof msg.ref === 'number' ? msg.ref : undefined;
    const bad = (message: string, field: string) =>
      this.send(client, { type: 'error', code: 'VALIDATION_FAILED', message, field, ref });
    switch (msg.type) {
      case 'ping':
        return this.send(client, { type: 'pong', ref });
      case 'unsubscribe': {
        if (typeof msg.channel !== 'string') return bad('channel is required', 'channel');
        if (client.subs.delete(msg.channel)) this.leave(client, msg.channel);
        return this.send(client, { type: 'unsubscribed', channel: msg.channel, reason: 'requested', ref });
      }
      case 'subscribe': {
        const topic = parseTopic(msg);
        if (typeof topic === 'string') return bad(topic, topic.split(' ')[0]!);
        const since = msg.since;
        if (since !== undefined && !(Number.isSafeInteger(since) && (since as number) >= 0))
          return bad('since must be a non-negative integer', 'since');
        return this.subscribe(client, topic, (since as number | undefined) ?? null, ref);
      }
      default:
        return bad('type must be subscribe, unsubscribe or ping', 'type');
    }
  }

  private async subscribe(client: Client, topic: Topic, since: number | null, ref: unknown): Promise<void> {
    let auth: Authorized;
    try {
      auth = await this.deps.authorize(client.viewer, topic);
    } catch (err) {
      if (err instanceof AppError)
        return this.send(client, { type: 'error', code: err.code, message: err.message, ref });
      throw err;
    }
    if (!this.clients.has(client)) return;
    if (client.subs.has(auth.channel))
      return this.send(client, { type: 'subscribed', channel: auth.channel, ref });
    if (client.subs.size >= MAX_SUBSCRIPTIONS) {
      return this.send(client, {
        type: 'error',
        code: 'VALIDATION_FAILED',
        message: `At most ${MAX_SUBSCRIPTIONS} subscriptions per connection`,
        ref,
      });
    }
    // Listen first (buffering), then replay, so nothing published in between is lost.
    const sub: Sub = { channel: auth.channel, communityId: auth.communityId, topic, pending: [] };
    client.subs.set(auth.channel, sub);
    this.join(client, auth.channel);
    const sent = new Set<number>();
    if (since != null && since > 0) {
      const replay = await this.replay(auth.channel, since);
      if (replay === 'resync') this.send(client, { type: 'resync', channel: auth.channel });
      else
        for (const e of replay) {
          sent.add(e.id);
          this.send(client, { type: 'event', ...e });
        }
    }
    if (client.subs.get(auth.channel) !== sub) return;
    this.send(client, { type: 'subscribed', channel: auth.channel, ref });
    this.flush(client, sub, sent);
  }

  private flush(client: Client, sub: Sub, skip: Set<number> = new Set()): void {
    const waiting = sub.pending ?? [];
    sub.pending = null;
    for (const m of waiting) if (!skip.has(m.id)) this.send(client, { type: 'event', ...m });
  }

  private async replay(channel: string, since: number): Promise<LiveMessage[] | 'resync'> {
    const db = this.deps.db;
    const anchor = await q.findLiveEvent(db, since);
    if (!anchor) {
      // Either pruned (too old: the client must reload) or an id from the future (ignore it).
      const oldest = await q.oldestLiveEventId(db);
      if (oldest == null || since < oldest) return 'resync';
    }
    const rows = await q.listLiveEvents(db, {
      channel,
      afterId: since,
      sinceAt: anchor ? anchor.created_at - REORDER_LOOKBACK_MS : null,
      limit: MAX_REPLAY + 1,
    });
    if (rows.length > MAX_REPLAY) return 'resync';
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      kind: r.kind,
      data: JSON.parse(r.payload),
      at: r.created_at,
    }));
  }

  private join(client: Client, channel: string): void {
    let set = this.channels.get(channel);
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
      this.unsubscribers.set(
        channel,
        this.deps.pubsub.subscribe(pubsubChannel(channel), (m) => this.deliver(channel, m as LiveMessage)),
      );
    }
    set.add(client);
  }

  private leave(client: Client, channel: string): void {
    const set = this.channels.get(channel);
    if (!set) return;
    set.delete(client);
    if (set.size === 0) {
      this.channels.delete(channel);
      this.unsubscribers.get(channel)?.();
      this.unsubscribers.delete(channel);
    }
  }

  /** Fan-out: the frame is serialized once for all local subscribers of the channel. */
  private deliver(channel: string, message: LiveMessage): void {
    const set = this.channels.get(channel);
    if (!set) return;
    let frame: Buffer | null = null;
    for (const client of set) {
      const sub = client.subs.get(channel);
      if (!sub) continue;
      if (sub.pending) {
        sub.pending.push(message);
        continue;
      }
      frame ??= Buffer.from(JSON.stringify({ type: 'event', ...message }));
      this.sendRaw(client, frame);
    }
  }

  private async onControl(c: Control): Promise<void> {
    if (c.kind === 'logout') {
      for (const client of this.clients) {
        if (client.viewer.userId === c.userId) client.ws.close(4401, 'signed out');
      }
      return;
    }
    // Hold delivery for the affected subscriptions right now (synchronously), so no event that
    // arrives after this message reaches a member who may have lost access, then re-authorize.
    const affected: [Client, Sub][] = [];
    for (const client of this.clients) {
      if (c.userId != null && client.viewer.userId !== c.userId) continue;
      for (const sub of client.subs.values()) {
        if (sub.communityId !== c.communityId) continue;
        sub.pending ??= [];
        affected.push([client, sub]);
      }
    }
    for (const [client, sub] of affected) {
      let allowed = false;
      try {
        const again = await this.deps.authorize(client.viewer, sub.topic);
        allowed = again.channel === sub.channel;
      } catch (err) {
        if (!(err instanceof AppError)) this.deps.log.warn({ err }, 'live re-authorization failed');
      }
      if (client.subs.get(sub.channel) !== sub) continue;
      if (allowed) {
        this.flush(client, sub);
      } else {
        client.subs.delete(sub.channel);
        this.leave(client, sub.channel);
        this.send(client, { type: 'unsubscribed', channel: sub.channel, reason: 'forbidden' });
      }
    }
  }

  private heartbeat(): void {
    const at = this.deps.clock.now();
    const frame = Buffer.from(JSON.stringify({ type: 'heartbeat', at }));
    for (const client of this.clients) {
      if (!client.alive) {
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
      this.sendRaw(client, frame);
    }
  }

  private async recordPresence(): Promise<void> {
    const ids = [...new Set([...this.clients].map((c) => c.viewer.userId))];
    await q.touchPresence(this.deps.db, ids, this.deps.clock.now());
  }

  /** Sockets opened with a session that has since ended (log-out, password reset) are closed. */
  async dropEndedSessions(): Promise<void> {
    const ids = [
      ...new Set([...this.clients].map((c) => c.viewer.sessionId).filter((s): s is string => !!s)),
    ];
    if (ids.length === 0) return;
    const live = await q.liveSessions(this.deps.db, ids, this.deps.clock.now());
    for (const client of this.clients) {
      const s = client.viewer.sessionId;
      if (s && !live.has(s)) client.ws.close(4401, 'session ended');
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.stopControl();
    for (const client of this.clients) client.ws.close(1001, 'server shutting down');
    for (const un of this.unsubscribers.values()) un();
    this.unsubscribers.clear();
    this.channels.clear();
    this.clients.clear();
  }
}
