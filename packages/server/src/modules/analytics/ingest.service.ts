import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { type Clock, DAY } from '../../platform/clock.ts';
import { anonymousKey, hasAnalyticsConsent } from '../../platform/consent.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { bump, bumpMembers, lockCommunities, mergeRows } from './analytics.queries.ts';
import { dayOf } from './periods.ts';

export interface IngestDeps {
  db: Db;
  clock: Clock;
}

/** One report from the reader: `ms` of visible, focused reading of a thread, ending `ageMs` ago. */
export interface ReadEvent {
  type: 'view' | 'read';
  threadId: number;
  ms?: number;
  ageMs?: number;
}

/** Limits that make a report impossible (the schema enforces the simple bounds). */
export const LIMITS = {
  maxEvents: 100,
  /** One span of reading: the tracker flushes every 30 s and on leaving the page. */
  maxSpanMs: 5 * 60_000,
  /** Older reports are refused: their day's salt may be gone, and the tracker never holds them that long. */
  maxAgeMs: DAY,
  /** Spans of one batch may overlap this much (timer jitter); one person reads one thing at a time. */
  overlapToleranceMs: 2_000,
};

/** Who reads, for the daily key: the account when signed in, else address and browser. */
const subjectOf = (viewer: Viewer | null, client: { ip: string; userAgent: string }) =>
  viewer ? `u:${viewer.userId}` : `a:${client.ip}|${client.userAgent.slice(0, 200)}`;

/**
 * POST /analytics/events. Refuses the whole batch (nothing stored) when a value is impossible
 * (400, naming the event) or a thread is not readable by this reader (404, the same answer as
 * for a thread that does not exist). With the member's consent their reading is stored as
 * theirs; otherwise, and for anonymous readers, only under the daily-salted key and as counts.
 */
export async function ingest(
  deps: IngestDeps,
  viewer: Viewer | null,
  client: { ip: string; userAgent: string },
  events: ReadEvent[],
) {
  const now = deps.clock.now();
  const spans = events.map((e, i) => {
    const ms = e.ms ?? 0;
    const age = e.ageMs ?? 0;
    if (e.type === 'view' && ms !== 0) invalid(`body.events.${i}.ms`, 'a view carries no reading time');
    if (e.type === 'read' && ms <= 0) invalid(`body.events.${i}.ms`, 'a read needs a positive time');
    return { ...e, ms, end: now - age, start: now - age - ms, i };
  });
  checkOverlap(spans);
  const threads = await readableThreads(deps.db, viewer, [...new Set(events.map((e) => e.threadId))]);
  const consent = await hasAnalyticsConsent(deps.db, viewer?.userId);
  const subject = subjectOf(viewer, client);
  const keys = new Map<number, string>();
  for (const s of spans) {
    const day = dayOf(s.end);
    if (!keys.has(day)) keys.set(day, await dailyKey(deps.db, subject, s.end, dayOf(now)));
  }
  const rows = spans.map((s) => {
    const day = dayOf(s.end);
    return {
      community_id: threads.get(s.threadId)!,
      thread_id: s.threadId,
      kind: s.type,
      ms: s.ms,
      day,
      created_at: s.end,
    };
  });
  // Raw reading: one row per community and day of the batch (not one per event).
  const raw = new Map<
    string,
    { community_id: number; day: number; created_at: number; events: number[][] }
  >();
  for (const r of rows) {
    const k = `${r.community_id}|${r.day}`;
    let b = raw.get(k);
    if (!b) {
      b = { community_id: r.community_id, day: r.day, created_at: r.created_at, events: [] };
      raw.set(k, b);
    }
    b.created_at = Math.max(b.created_at, r.created_at);
    b.events.push([r.thread_id, r.ms, r.created_at]);
  }
  let stored: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    await lockCommunities(
      trx,
      [...raw.values()].map((b) => b.community_id),
    );
    await trx
      .insertInto('analytics_reading')
      .values(
        [...raw.values()].map((b) => ({
          community_id: b.community_id,
          user_id: consent ? viewer!.userId : null,
          visitor: consent ? null : keys.get(b.day)!,
          day: b.day,
          created_at: b.created_at,
          n: b.events.length,
          events: JSON.stringify(b.events),
        })),
      )
      .execute();
    // Distinct readers per day: a key seen for the first time today (per thread, and per community as thread 0).
    const seen = mergeRows(
      ['community_id', 'thread_id', 'day', 'visitor'],
      [],
      rows.flatMap((r) => {
        const visitor = keys.get(r.day)!;
        return [
          { community_id: r.community_id, thread_id: r.thread_id, day: r.day, visitor },
          { community_id: r.community_id, thread_id: 0, day: r.day, visitor },
        ];
      }),
    );
    // Keys this process already stored today need no round trip (the table stays the truth).
    const known = cachesOf(deps.db, dayOf(now)).seen;
    const unseen = seen.filter((v) => !known.has(`${v.community_id}|${v.thread_id}|${v.day}|${v.visitor}`));
    const fresh = unseen.length
      ? await trx
          .insertInto('analytics_visitors')
          .values(unseen as { community_id: number; thread_id: number; day: number; visitor: string }[])
          .onConflict((oc) => oc.columns(['community_id', 'thread_id', 'day', 'visitor']).doNothing())
          .returning(['community_id', 'thread_id', 'day'])
          .execute()
      : [];
    const newReader = new Set(fresh.map((f) => `${f.community_id}|${f.thread_id}|${f.day}`));
    stored = unseen.map((v) => `${v.community_id}|${v.thread_id}|${v.day}|${v.visitor}`);
    const counts = (r: (typeof rows)[number]) => ({
      views: r.kind === 'view' ? 1 : 0,
      reads: r.kind === 'read' ? 1 : 0,
      read_ms: r.ms,
    });
    const dayCounters = ['views', 'reads', 'read_ms', 'readers'];
    const byCommunity = mergeRows(
      ['community_id', 'day'],
      dayCounters,
      rows.map((r) => ({ community_id: r.community_id, day: r.day, ...counts(r), readers: 0 })),
    ).map((r) => ({ ...r, readers: newReader.has(`${r.community_id}|0|${r.day}`) ? 1 : 0 }));
    await bump(trx, 'analytics_read_days', ['community_id', 'day'], dayCounters, byCommunity);
    const byThread = mergeRows(
      ['community_id', 'day', 'thread_id'],
      dayCounters,
      rows.map((r) => ({
        community_id: r.community_id,
        day: r.day,
        thread_id: r.thread_id,
        ...counts(r),
        readers: 0,
      })),
    ).map((r) => ({ ...r, readers: newReader.has(`${r.community_id}|${r.thread_id}|${r.day}`) ? 1 : 0 }));
    await bump(trx, 'analytics_thread_days', ['community_id', 'day', 'thread_id'], dayCounters, byThread);
    if (consent) {
      await bumpMembers(
        trx,
        rows.map((r) => ({
          community_id: r.community_id,
          user_id: viewer!.userId,
          day: r.day,
          add: { read_ms: r.ms, views: r.kind === 'view' ? 1 : 0 },
        })),
      );
    }
  });
  rememberVisitors(deps.db, stored, dayOf(now));
  return { accepted: rows.length, recordedAs: consent ? ('member' as const) : ('anonymous' as const) };
}

/**
 * Per-process caches for the hot path, both only for today and yesterday (the days whose salts
 * exist): the daily keys of recent readers, and distinct-reader rows already stored. They are
 * emptied when the UTC day changes, so nothing outlives the salts `dropOldSalts` deletes.
 */
const CACHE_MAX = 100_000;
interface Caches {
  day: number;
  keys: Map<string, string>;
  seen: Set<string>;
}
const caches = new WeakMap<Db, Caches>();

function cachesOf(db: Db, today: number): Caches {
  let c = caches.get(db);
  if (!c || c.day !== today) {
    c = { day: today, keys: new Map(), seen: new Set() };
    caches.set(db, c);
  }
  return c;
}

async function dailyKey(db: Db, subject: string, at: number, today: number) {
  const day = dayOf(at);
  if (day < today - 1) return anonymousKey(db, subject, at);
  const c = cachesOf(db, today);
  const k = `${day}|${subject}`;
  let key = c.keys.get(k);
  if (!key) {
    key = await anonymousKey(db, subject, at);
    if (c.keys.size >= CACHE_MAX) c.keys.clear();
    c.keys.set(k, key);
  }
  return key;
}

function rememberVisitors(db: Db, keys: string[], today: number) {
  const c = cachesOf(db, today);
  if (c.seen.size + keys.length > CACHE_MAX) c.seen.clear();
  for (const k of keys) c.seen.add(k);
}

/** The reading spans of one batch cannot add up to more time than they cover. */
function checkOverlap(spans: { ms: number; start: number; end: number; i: number }[]) {
  const reads = spans.filter((s) => s.ms > 0).sort((a, b) => a.start - b.start);
  let coveredUntil = Number.NEGATIVE_INFINITY;
  for (const s of reads) {
    if (s.start < coveredUntil - LIMITS.overlapToleranceMs) {
      invalid(`body.events.${s.i}.ms`, 'overlaps another span of reading in this batch');
    }
    coveredUntil = Math.max(coveredUntil, s.end);
  }
}

/**
 * The community of each thread, if this reader may read all of them: a visible (or their own
 * held) thread, not deleted, in a public community or one where they are an active member.
 */
async function readableThreads(db: Db, viewer: Viewer | null, ids: number[]) {
  const rows = await db
    .selectFrom('threads')
    .innerJoin('communities', 'communities.id', 'threads.community_id')
    .select([
      'threads.id',
      'threads.community_id',
      'threads.author_id',
      'threads.status',
      'threads.deleted_at',
      'communities.visibility',
    ])
    .where('threads.id', 'in', ids)
    .execute();
  const memberships = viewer
    ? await db
        .selectFrom('memberships')
        .select(['community_id', 'role', 'status'])
        .where('user_id', '=', viewer.userId)
        .where('community_id', 'in', rows.map((r) => r.community_id).concat([0]))
        .execute()
    : [];
  const active = new Map(
    memberships.filter((m) => m.status === 'active').map((m) => [m.community_id, m.role]),
  );
  const out = new Map<number, number>();
  for (const r of rows) {
    const role = active.get(r.community_id);
    const admin = viewer?.isAdmin ?? false;
    const canRead = r.visibility === 'public' || role != null || admin;
    const visible =
      r.status === 'visible' ||
      r.author_id === viewer?.userId ||
      role === 'moderator' ||
      role === 'owner' ||
      admin;
    if (canRead && visible && r.deleted_at == null) out.set(r.id, r.community_id);
  }
  for (const id of ids) if (!out.has(id)) fail('THREAD_NOT_FOUND', `No thread ${id}`);
  return out;
}
