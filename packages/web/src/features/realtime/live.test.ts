import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveConnection, type LiveEvent } from './live.ts';

/** A WebSocket stand-in: records what the client sends and lets the test play the server. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: any[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  serverOpens() {
    this.readyState = 1;
    this.onopen?.();
    this.frame({ type: 'hello', userId: 1, heartbeatMs: 25_000 });
  }
  frame(f: unknown) {
    this.onmessage?.({ data: JSON.stringify(f) });
  }
}

describe('LiveConnection', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  const make = () =>
    new LiveConnection(
      () => 'ws://test/api/v1/live',
      (u) => new FakeSocket(u) as unknown as WebSocket,
    );

  it('subscribes, delivers each event once, and resumes from the last id after a drop', () => {
    const live = make();
    const got: LiveEvent[] = [];
    const resyncs = vi.fn();
    const stop = live.subscribe({ topic: 'thread', id: 7 }, (e) => got.push(e), resyncs);
    const ws = FakeSocket.all[0]!;
    ws.serverOpens();
    const sub = ws.sent.find((f) => f.type === 'subscribe');
    expect(sub).toMatchObject({ topic: 'thread', id: 7 });
    expect(sub.since).toBeUndefined();
    ws.frame({ type: 'subscribed', channel: 'thread:7', ref: sub.ref });
    const event = {
      type: 'event',
      id: 41,
      channel: 'thread:7',
      kind: 'comment.created',
      data: { n: 1 },
      at: 1,
    };
    ws.frame(event);
    ws.frame(event); // a replay repeats it: dropped
    ws.frame({ ...event, id: 42, channel: 'thread:8' }); // not ours
    expect(got.map((e) => e.id)).toEqual([41]);

    ws.close();
    expect(live.status).toBe('offline');
    vi.advanceTimersByTime(2000);
    const again = FakeSocket.all[1]!;
    again.serverOpens();
    expect(again.sent.find((f) => f.type === 'subscribe')).toMatchObject({
      topic: 'thread',
      id: 7,
      since: 42,
    });
    again.frame({ type: 'subscribed', channel: 'thread:7', ref: sub.ref });
    again.frame({ type: 'resync', channel: 'thread:7' });
    expect(resyncs).toHaveBeenCalledTimes(1);

    stop();
    expect(again.sent.at(-1)).toEqual({ type: 'unsubscribe', channel: 'thread:7' });
    expect(live.status).toBe('idle');
  });

  it('shares one server subscription between listeners of a topic, and treats silence as a dead link', () => {
    const live = make();
    const a = vi.fn();
    const b = vi.fn();
    live.subscribe({ topic: 'inbox' }, a);
    live.subscribe({ topic: 'inbox' }, b);
    const ws = FakeSocket.all[0]!;
    ws.serverOpens();
    const subs = ws.sent.filter((f) => f.type === 'subscribe');
    expect(subs).toHaveLength(1);
    ws.frame({ type: 'subscribed', channel: 'user:1', ref: subs[0].ref });
    ws.frame({ type: 'event', id: 1, channel: 'user:1', kind: 'notification.created', data: {}, at: 1 });
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    // No frame for two heartbeats: the client closes and reconnects.
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all.length).toBeGreaterThan(1);
  });
});
