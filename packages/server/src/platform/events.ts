import { sql, type Transaction } from 'kysely';
import { dialectOf, skipLocked } from '../db/dialect.ts';
import type { Db } from '../db/index.ts';
import type { DB } from '../db/schema.ts';
import type { Clock } from './clock.ts';

/**
 * Typed domain events. Each module adds its own events to this map by
 * declaration merging in its `<module>.events.ts`:
 *
 *   declare module '../../platform/events.ts' { interface EventMap { 'content.thread_created': {...} } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in the modules
export interface EventMap {}
export type EventType = keyof EventMap;

export interface HandlerContext {
  /** The transaction the handler's own writes go into; it also records the handler as done. */
  db: Transaction<DB>;
  eventId: number;
  occurredAt: number;
  /**
   * Runs `fn` once the handler's transaction has committed (never if it rolled back): for
   * effects outside the database, e.g. publishing a live event that clients may then re-read.
   */
  afterCommit(fn: () => void): void;
}
type Handler<K extends EventType> = (payload: EventMap[K], ctx: HandlerContext) => Promise<void>;

export interface Logger {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
}

const MAX_ATTEMPTS = 12;

/** An event as committed: what `onCommitted` listeners (cache invalidation) receive. */
export interface EmittedEvent {
  type: string;
  payload: unknown;
}

/**
 * The outbox (DESIGN rule 7). `emit` writes the event into the caller's
 * transaction, so an event exists if and only if the change that caused it
 * committed. `kick` dispatches soon after commit; a poller re-sends whatever
 * was never dispatched (a crash between commit and dispatch loses nothing).
 * Each handler runs in its own transaction together with a row in
 * outbox_handled, so a retried event never applies a handler's writes twice.
 */
export class Events {
  private handlers = new Map<string, { name: string; fn: Handler<any> }[]>();
  private scheduled = false;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Events emitted per open transaction, announced to `onCommitted` listeners after commit. */
  private pending = new WeakMap<object, EmittedEvent[]>();
  private committedListeners: ((events: EmittedEvent[]) => void)[] = [];

  constructor(
    private db: Db,
    private clock: Clock,
    private log: Logger,
    /**
     * How long a claimed event stays invisible to other dispatchers. Only an efficiency
     * matter: if a slow handler outlives its lease and the event is delivered twice, the
     * second handler transaction fails on the outbox_handled primary key and rolls back.
     */
    private leaseMs = 30_000,
  ) {}

  /** Records an event inside the caller's transaction. */
  async emit<K extends EventType>(trx: Transaction<DB> | Db, type: K, payload: EventMap[K]): Promise<void> {
    const now = this.clock.now();
    const list = this.pending.get(trx);
    if (list) list.push({ type, payload });
    else this.pending.set(trx, [{ type, payload }]);
    await trx
      .insertInto('outbox')
      .values({ type, payload: JSON.stringify(payload), created_at: now, available_at: now, attempts: 0 })
      .execute();
  }

  /**
   * Registers a handler; `name` must be unique and stable (it is stored in outbox_handled).
   * Handlers of an event run one after another in registration order; `first` puts a cheap,
   * latency-sensitive one (live fan-out) ahead of those registered before it.
   */
  on<K extends EventType>(type: K, name: string, fn: Handler<K>, opts: { first?: boolean } = {}): void {
    const list = this.handlers.get(type) ?? [];
    if (list.some((h) => h.name === name)) throw new Error(`Duplicate event handler ${name} for ${type}`);
    if (opts.first) list.unshift({ name, fn });
    else list.push({ name, fn });
    this.handlers.set(type, list);
  }

  /**
   * Listens for events once they are committed: right after the transaction that emitted them
   * (when it ran through `inTransaction`), and again once they are dispatched (which also covers
   * other transactions and the handlers' own writes). Listeners must be cheap and never throw.
   */
  onCommitted(fn: (events: EmittedEvent[]) => void): void {
    this.committedListeners.push(fn);
  }

  /** Announces what `trx` emitted; `inTransaction` calls it after commit. */
  committed(trx: object): void {
    const list = this.pending.get(trx);
    if (!list) return;
    this.pending.delete(trx);
    this.announce(list);
  }

  private announce(list: EmittedEvent[]) {
    for (const fn of this.committedListeners) {
      try {
        fn(list);
      } catch (err) {
        this.log.error({ err }, 'onCommitted listener failed');
      }
    }
  }

  /** Asks for a dispatch soon; call after the emitting transaction committed. */
  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.dispatchPending().catch((err) => this.log.error({ err }, 'outbox dispatch failed'));
    });
  }

  /** Polls for events that were never dispatched (crash, other process, retry backoff). */
  start(intervalMs = 1000): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Dispatches until nothing is due (tests use it to wait for side effects). */
  async drain(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      if ((await this.dispatchPending()) === 0) return;
    }
  }

  /** Claims a batch of due events, runs their handlers, returns how many were claimed. */
  async dispatchPending(batch = 100): Promise<number> {
    // One dispatch loop per process at a time; a concurrent caller waits for it.
    while (this.running) await this.running;
    let claimed = 0;
    this.running = (async () => {
      const rows = await this.claim(batch);
      claimed = rows.length;
      const done: number[] = [];
      for (const row of rows) if (await this.deliver(row)) done.push(row.id);
      // One update for the whole batch (was one per event); a crash before it only means
      // the events come back after their lease, and their handlers are found done.
      if (done.length)
        await this.db
          .updateTable('outbox')
          .set({ dispatched_at: this.clock.now() })
          .where('id', 'in', done)
          .execute();
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    return claimed;
  }

  private async claim(batch: number) {
    const now = this.clock.now();
    const dialect = dialectOf(this.db);
    // Leasing = pushing available_at into the future; a crashed process's lease simply expires.
    const result = await sql<{
      id: number;
      type: string;
      payload: string;
      created_at: number;
      attempts: number;
    }>`
      update outbox set available_at = ${now + this.leaseMs}, attempts = attempts + 1
      where id in (
        select id from outbox
        where dispatched_at is null and dead_at is null and available_at <= ${now}
        order by id limit ${batch}${skipLocked(dialect)}
      )
      returning id, type, payload, created_at, attempts`.execute(this.db);
    return result.rows.sort((a, b) => a.id - b.id);
  }

  /** Runs the event's handlers; true when all of them succeeded (or had already). */
  private async deliver(row: {
    id: number;
    type: string;
    payload: string;
    created_at: number;
    attempts: number;
  }): Promise<boolean> {
    const payload = JSON.parse(row.payload);
    let error: unknown = null;
    for (const h of this.handlers.get(row.type) ?? []) {
      const committed: (() => void)[] = [];
      try {
        await this.db.transaction().execute(async (trx) => {
          // The "done" row first (one round trip instead of a lookup plus an insert): if it
          // exists the handler already ran; if the handler throws, the rollback takes it away.
          const claimed = await trx
            .insertInto('outbox_handled')
            .values({ event_id: row.id, handler: h.name, handled_at: this.clock.now() })
            .onConflict((oc) => oc.columns(['event_id', 'handler']).doNothing())
            .executeTakeFirst();
          if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return;
          await h.fn(payload, {
            db: trx,
            eventId: row.id,
            occurredAt: row.created_at,
            afterCommit: (fn) => committed.push(fn),
          });
        });
        for (const fn of committed) {
          try {
            fn();
          } catch (err) {
            this.log.error({ err, event: row.type, handler: h.name }, 'after-commit callback failed');
          }
        }
      } catch (err) {
        error = err;
        this.log.error({ err, event: row.type, eventId: row.id, handler: h.name }, 'event handler failed');
      }
    }
    // The handlers' writes (counts, ranks) are committed: let caches know, even if one failed.
    if (this.committedListeners.length) this.announce([{ type: row.type, payload }]);
    if (!error) return true; // marked dispatched with its batch
    const now = this.clock.now();
    const dead = row.attempts >= MAX_ATTEMPTS;
    // Exponential backoff: 2 s, 4 s, 8 s ... capped at 10 minutes.
    const backoff = Math.min(600_000, 1000 * 2 ** row.attempts);
    await this.db
      .updateTable('outbox')
      .set({
        available_at: now + backoff,
        last_error: String(error).slice(0, 1000),
        dead_at: dead ? now : null,
      })
      .where('id', '=', row.id)
      .execute();
    return false;
  }
}

/** Runs `fn` in a transaction and kicks the dispatcher once it has committed. */
export async function inTransaction<T>(
  deps: { db: Db; events: Events },
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  let tx: object | null = null;
  const result = await deps.db.transaction().execute((trx) => {
    tx = trx;
    return fn(trx);
  });
  if (tx) deps.events.committed(tx);
  deps.events.kick();
  return result;
}
