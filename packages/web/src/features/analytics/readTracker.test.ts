import { describe, expect, it } from 'vitest';
import { type ReadEvent, ReadTracker } from './readTracker.ts';

/** A page whose visibility, focus and clock the test controls. */
function page() {
  const handlers = new Map<string, (() => void)[]>();
  const target = {
    addEventListener: (type: string, fn: () => void) =>
      handlers.set(type, [...(handlers.get(type) ?? []), fn]),
    removeEventListener: (type: string, fn: () => void) =>
      handlers.set(
        type,
        (handlers.get(type) ?? []).filter((f) => f !== fn),
      ),
  };
  const state = { t: 0, visible: true, focused: true };
  const doc = {
    ...target,
    get visibilityState() {
      return (state.visible ? 'visible' : 'hidden') as DocumentVisibilityState;
    },
    hasFocus: () => state.focused,
  };
  const win = { ...target, setInterval: () => 1, clearInterval: () => {} };
  const fire = (type: string) => {
    for (const fn of handlers.get(type) ?? []) fn();
  };
  const sent: { events: ReadEvent[]; leaving: boolean; at: number }[] = [];
  const tracker = new ReadTracker({
    threadId: 7,
    now: () => state.t,
    doc: doc as never,
    win: win as never,
    idleMs: 60_000,
    flushMs: 30_000,
    send: (events, o) => sent.push({ events, leaving: o.leaving, at: state.t }),
  });
  return { state, fire, sent, tracker, handlers };
}

const reads = (sent: { events: ReadEvent[] }[]) =>
  sent.flatMap((s) => s.events).filter((e) => e.type === 'read');

describe('read tracker', () => {
  it('counts visible, focused time and sends a view first, then spans every 30 s', () => {
    const p = page();
    p.tracker.start();
    p.state.t = 10_000;
    p.fire('scroll');
    p.state.t = 30_000;
    p.tracker.tick();
    expect(p.sent).toHaveLength(1);
    expect(p.sent[0]!.events[0]).toEqual({ type: 'view', threadId: 7 });
    expect(reads(p.sent)).toEqual([{ type: 'read', threadId: 7, ms: 30_000, ageMs: 0 }]);
    p.state.t = 45_000;
    p.fire('keydown');
    p.state.t = 60_000;
    p.tracker.tick();
    expect(reads(p.sent).map((e) => e.ms)).toEqual([30_000, 30_000]);
  });

  it('stops counting while hidden or blurred, and flushes when the page is hidden', () => {
    const p = page();
    p.tracker.start();
    p.state.t = 5_000;
    p.state.focused = false;
    p.fire('blur');
    p.state.t = 50_000; // 45 s in another window: not reading
    p.state.focused = true;
    p.fire('focus');
    p.state.t = 60_000;
    p.state.visible = false;
    p.fire('visibilitychange');
    expect(p.sent.at(-1)!.leaving).toBe(true);
    expect(reads(p.sent).map((e) => [e.ms, e.ageMs])).toEqual([
      [5_000, 55_000],
      [10_000, 0],
    ]);
    p.state.t = 200_000; // hidden: nothing more
    p.tracker.tick();
    expect(reads(p.sent)).toHaveLength(2);
  });

  it('treats a minute without input as not reading, counting only up to the idle limit', () => {
    const p = page();
    p.tracker.start();
    p.state.t = 10_000;
    p.fire('pointermove'); // last input at 10 s
    p.state.t = 300_000; // the reader left the desk
    p.tracker.tick();
    expect(reads(p.sent).map((e) => e.ms)).toEqual([70_000]); // 0 → 10 s + 60 s idle allowance
    p.state.t = 310_000;
    p.tracker.tick();
    expect(reads(p.sent)).toHaveLength(1);
  });

  it('cuts reading longer than the server accepts into 5-minute spans and stops on unmount', () => {
    const p = page();
    p.tracker.start();
    for (let t = 5_000; t <= 600_000; t += 5_000) {
      p.state.t = t;
      p.fire('scroll');
      p.tracker.tick();
    }
    p.tracker.stop();
    const ms = reads(p.sent).map((e) => e.ms!);
    expect(Math.max(...ms)).toBeLessThanOrEqual(300_000);
    expect(ms.reduce((a, b) => a + b, 0)).toBe(600_000);
    expect([...p.handlers.values()].every((l) => l.length === 0)).toBe(true);
    // Spans of one batch never overlap (the server refuses overlapping reading).
    for (const s of p.sent) {
      const spans = s.events
        .filter((e) => e.type === 'read')
        .map((e) => [s.at - e.ageMs! - e.ms!, s.at - e.ageMs!]);
      for (let i = 1; i < spans.length; i++)
        expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]! - 1);
    }
  });
});
