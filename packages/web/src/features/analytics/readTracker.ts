/**
 * Counts the time a thread is actually read: the page is visible (Page Visibility API), the
 * window has focus, and the reader did something (scroll, key, pointer, touch) in the last
 * `idleMs`. Spans of reading are batched and sent every `flushMs`, and when the page is
 * hidden or left, to the one ingestion endpoint (POST /api/v1/analytics/events). Whether the
 * server keeps it as the member's depends on their consent; this code sends the same either way.
 */
export interface ReadEvent {
  type: 'view' | 'read';
  threadId: number;
  ms?: number;
  ageMs?: number;
}

export interface TrackerOptions {
  threadId: number;
  send: (events: ReadEvent[], opts: { leaving: boolean }) => void;
  now?: () => number;
  /** No input for this long = not reading (the tab may be open on a desk). */
  idleMs?: number;
  flushMs?: number;
  /** The server refuses spans over 5 minutes; longer reading is cut into several. */
  maxSpanMs?: number;
  doc?: Pick<Document, 'visibilityState' | 'hasFocus' | 'addEventListener' | 'removeEventListener'>;
  win?: Pick<Window, 'addEventListener' | 'removeEventListener' | 'setInterval' | 'clearInterval'>;
}

const ACTIVITY = ['scroll', 'keydown', 'pointerdown', 'pointermove', 'touchstart', 'wheel'] as const;

export class ReadTracker {
  private readonly now: () => number;
  private readonly idleMs: number;
  private readonly maxSpanMs: number;
  private lastInput: number;
  /** Start of the span being read, or null while not reading. */
  private spanStart: number | null = null;
  /** Finished spans waiting to be sent: [startMs, endMs]. */
  private spans: [number, number][] = [];
  private viewed = false;
  private timer: number | null = null;
  private readonly listeners: [EventTarget, string, () => void][] = [];

  constructor(private readonly o: TrackerOptions) {
    this.now = o.now ?? (() => performance.now());
    this.idleMs = o.idleMs ?? 60_000;
    this.maxSpanMs = o.maxSpanMs ?? 5 * 60_000;
    this.lastInput = this.now();
  }

  start(): void {
    const doc = this.o.doc ?? document;
    const win = this.o.win ?? window;
    const on = (target: EventTarget, type: string, fn: () => void) => {
      target.addEventListener(type, fn, { passive: true } as AddEventListenerOptions);
      this.listeners.push([target, type, fn]);
    };
    on(doc as unknown as EventTarget, 'visibilitychange', () => {
      this.update();
      if (doc.visibilityState === 'hidden') this.flush(true);
    });
    on(win as unknown as EventTarget, 'focus', () => this.update());
    on(win as unknown as EventTarget, 'blur', () => this.update());
    on(win as unknown as EventTarget, 'pagehide', () => this.flush(true));
    for (const type of ACTIVITY) on(win as unknown as EventTarget, type, () => this.input());
    this.timer = win.setInterval(
      () => this.tick(),
      Math.min(this.o.flushMs ?? 30_000, 5_000),
    ) as unknown as number;
    this.flushEvery = this.o.flushMs ?? 30_000;
    this.lastFlush = this.now();
    this.update();
  }

  private flushEvery = 30_000;
  private lastFlush = 0;

  /** Stops counting and sends what is left (leaving the page). */
  stop(): void {
    this.flush(true);
    for (const [target, type, fn] of this.listeners) target.removeEventListener(type, fn);
    this.listeners.length = 0;
    if (this.timer != null) (this.o.win ?? window).clearInterval(this.timer);
    this.timer = null;
  }

  /** Whether the reader is reading now. */
  reading(): boolean {
    const doc = this.o.doc ?? document;
    return doc.visibilityState === 'visible' && doc.hasFocus() && this.now() - this.lastInput < this.idleMs;
  }

  input(): void {
    this.lastInput = this.now();
    this.update();
  }

  /** Periodic check: ends a span that went idle, cuts long spans, flushes on schedule. */
  tick(): void {
    this.update();
    if (this.now() - this.lastFlush >= this.flushEvery) this.flush(false);
  }

  /** Opens or closes the current span to match the reader's state. */
  update(): void {
    const now = this.now();
    const reading = this.reading();
    if (reading && this.spanStart == null) this.spanStart = now;
    if (!reading && this.spanStart != null) {
      // Idle: the reading stopped when the last input was this.idleMs old, not now.
      const end =
        this.now() - this.lastInput >= this.idleMs
          ? Math.max(this.spanStart, this.lastInput + this.idleMs)
          : now;
      this.close(Math.min(end, now));
    }
    if (this.spanStart != null && now - this.spanStart >= this.maxSpanMs) {
      this.close(now);
      this.spanStart = now;
    }
  }

  private close(end: number): void {
    if (this.spanStart == null) return;
    if (end - this.spanStart >= 1000) this.spans.push([this.spanStart, end]);
    this.spanStart = null;
  }

  /** Sends finished spans (and the span in progress, cut at now); `leaving` also ends the span. */
  flush(leaving: boolean): void {
    const now = this.now();
    this.lastFlush = now;
    if (this.spanStart != null) {
      this.close(now);
      // Still reading: the next span starts where this one was cut.
      if (!leaving) this.update();
    }
    const events: ReadEvent[] = [];
    if (!this.viewed) {
      events.push({ type: 'view', threadId: this.o.threadId });
      this.viewed = true;
    }
    for (const [s, e] of this.spans) {
      events.push({
        type: 'read',
        threadId: this.o.threadId,
        ms: Math.round(e - s),
        ageMs: Math.max(0, Math.round(now - e)),
      });
    }
    this.spans = [];
    if (events.length) this.o.send(events.slice(0, 100), { leaving });
  }
}
