/**
 * The browser's live connection (`/api/v1/live`, protocol in the server's realtime.hub.ts):
 * one WebSocket per tab, shared by every component that subscribes. It reconnects with
 * backoff, resubscribes with the last event id it saw (the server replays what was missed, or
 * says "resync"), drops events it already has, and treats a connection that has been silent
 * for two heartbeats as dead.
 */
export type Topic =
  | { topic: 'thread'; id: number }
  | { topic: 'community'; slug: string }
  | { topic: 'inbox' };

export interface LiveEvent {
  id: number;
  channel: string;
  kind: string;
  data: any;
  at: number;
}

interface Sub {
  topic: Topic;
  channel: string | null;
  listeners: Set<(e: LiveEvent) => void>;
  resyncs: Set<() => void>;
}

export type LiveStatus = 'idle' | 'connecting' | 'open' | 'offline';

export class LiveConnection {
  private ws: WebSocket | null = null;
  private subs = new Map<string, Sub>();
  private lastEventId = 0;
  private seen = new Set<number>();
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setTimeout> | null = null;
  private heartbeatMs = 25_000;
  status: LiveStatus = 'idle';
  private statusListeners = new Set<(s: LiveStatus) => void>();

  constructor(
    private url: () => string = defaultUrl,
    private open: (url: string) => WebSocket = (u) => new WebSocket(u),
  ) {}

  onStatus(fn: (s: LiveStatus) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  private setStatus(s: LiveStatus) {
    this.status = s;
    for (const fn of this.statusListeners) fn(s);
  }

  /** Listens to a topic; `onResync` runs when events were missed for good (reload the data). */
  subscribe(topic: Topic, listener: (e: LiveEvent) => void, onResync?: () => void): () => void {
    const key = JSON.stringify(topic);
    let sub = this.subs.get(key);
    if (!sub) {
      sub = { topic, channel: null, listeners: new Set(), resyncs: new Set() };
      this.subs.set(key, sub);
      this.sendSubscribe(key, sub);
    }
    sub.listeners.add(listener);
    if (onResync) sub.resyncs.add(onResync);
    this.ensureOpen();
    return () => {
      const s = this.subs.get(key);
      if (!s) return;
      s.listeners.delete(listener);
      if (onResync) s.resyncs.delete(onResync);
      if (s.listeners.size === 0) {
        this.subs.delete(key);
        if (s.channel && this.ws?.readyState === 1)
          this.ws.send(JSON.stringify({ type: 'unsubscribe', channel: s.channel }));
        if (this.subs.size === 0) this.close();
      }
    };
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearTimeout(this.watchdog);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.setStatus('idle');
  }

  private ensureOpen() {
    if (this.ws || this.timer) return;
    this.connect();
  }

  private connect() {
    this.timer = null;
    this.setStatus('connecting');
    const ws = this.open(this.url());
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.setStatus('open');
      this.alive();
      for (const [key, sub] of this.subs) this.sendSubscribe(key, sub);
    };
    ws.onmessage = (m) => {
      this.alive();
      try {
        this.handle(JSON.parse(String(m.data)));
      } catch {
        // A frame we do not understand is not worth dropping the connection for.
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.watchdog) clearTimeout(this.watchdog);
      for (const sub of this.subs.values()) sub.channel = null;
      if (this.subs.size === 0) return this.setStatus('idle');
      this.setStatus('offline');
      // Backoff 1 s, 2 s, 4 s … 30 s, with jitter so a restarted server is not stampeded.
      const delay = Math.min(30_000, 1000 * 2 ** this.retry++) * (0.75 + Math.random() / 2);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  private alive() {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.ws?.close(), this.heartbeatMs * 2 + 5000);
  }

  private sendSubscribe(key: string, sub: Sub) {
    if (this.ws?.readyState !== 1) return; // OPEN
    this.ws.send(
      JSON.stringify({
        type: 'subscribe',
        ...sub.topic,
        ...(this.lastEventId && { since: this.lastEventId }),
        ref: key,
      }),
    );
  }

  private handle(f: any) {
    switch (f.type) {
      case 'hello':
        if (typeof f.heartbeatMs === 'number') this.heartbeatMs = f.heartbeatMs;
        return;
      case 'subscribed': {
        const sub = this.subs.get(f.ref);
        if (sub) sub.channel = f.channel;
        return;
      }
      case 'event': {
        if (this.seen.has(f.id)) return;
        this.seen.add(f.id);
        if (this.seen.size > 2000) this.seen = new Set([...this.seen].slice(-1000));
        if (f.id > this.lastEventId) this.lastEventId = f.id;
        for (const sub of this.subs.values()) {
          if (sub.channel === f.channel) for (const l of sub.listeners) l(f as LiveEvent);
        }
        return;
      }
      case 'resync':
        for (const sub of this.subs.values()) if (sub.channel === f.channel) for (const r of sub.resyncs) r();
        return;
      case 'unsubscribed':
        for (const [key, sub] of this.subs)
          if (sub.channel === f.channel && f.reason !== 'requested') this.subs.delete(key);
        return;
      default:
    }
  }
}

const defaultUrl = () =>
  `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/v1/live`;

let shared: LiveConnection | null = null;
/** The tab's one connection. */
export const live = (): LiveConnection => {
  shared ??= new LiveConnection();
  return shared;
};
