import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { type Clock, DAY, iso } from '../../platform/clock.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { communityAccess } from '../../platform/permissions.ts';
import { lockCommunities, readCache } from './analytics.queries.ts';
import * as m from './metrics.queries.ts';
import {
  bucketEndDay,
  bucketOf,
  bucketStartDay,
  GRAIN_OF,
  type Grain,
  isoDay,
  monthOfDay,
  type PeriodName,
  parseIsoDay,
  weekOfDay,
} from './periods.ts';
import { rebuildCommunity } from './rebuild.ts';

export interface MetricsDeps {
  db: Db;
  clock: Clock;
}

/**
 * k-anonymity threshold: any number of members below K (but above 0) is shown as null with
 * `suppressed`, and so is anything computed over fewer than K members (a rate, an average).
 * Applies to everything the dashboard shows and exports.
 */
export const K = 5;
export const suppress = (n: number): number | null => (n > 0 && n < K ? null : n);
/** A value computed over `members` people: null unless there are at least K of them. */
export const over = <T>(members: number, value: T): T | null => (members < K ? null : value);

export interface PeriodQuery {
  period: PeriodName;
  /** Last day to look at, YYYY-MM-DD (UTC); default today. */
  end?: string;
  /** How many buckets the series shows. */
  buckets?: number;
}

export interface Window {
  grain: Grain;
  period: PeriodName;
  endDay: number;
  bucket: number;
  startDay: number;
  lastDay: number;
}

export const DEFAULT_BUCKETS: Record<PeriodName, number> = { day: 30, week: 26, month: 24 };

export function windowOf(q: PeriodQuery, now: number, bucketShift = 0): Window {
  const grain = GRAIN_OF[q.period];
  let endDay = Math.floor(now / DAY);
  if (q.end) {
    const parsed = parseIsoDay(q.end);
    if (parsed == null) invalid('querystring.end', 'must be a date YYYY-MM-DD');
    endDay = parsed;
  }
  const bucket = bucketOf(grain, endDay) + bucketShift;
  return {
    grain,
    period: q.period,
    endDay,
    bucket,
    startDay: bucketStartDay(grain, bucket),
    lastDay: bucketEndDay(grain, bucket),
  };
}

/**
 * The community, if the viewer moderates it: outsiders of a private community get the same
 * 404 as for one that does not exist; everyone else who is not a moderator or owner gets 403.
 * A community whose rollups were never built (imported history, or older than analytics) is
 * rebuilt from its content tables first.
 */
export async function loadManagedCommunity(deps: MetricsDeps, slug: string, viewer: Viewer | null) {
  if (!viewer) fail('UNAUTHENTICATED', 'Sign in to see analytics');
  const community = await m.findCommunity(deps.db, slug);
  if (!community) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  const access = await communityAccess(deps.db, community, viewer);
  if (!access.canSeeCommunity) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  if (!access.isModerator)
    fail('FORBIDDEN', 'Only moderators and owners of this community see its analytics');
  if ((await m.rebuiltAt(deps.db, community.id)) == null) await rebuildOnce(deps, community.id);
  return community;
}

/** The dashboard's sections load in parallel: one lazy rebuild per community in this process. */
const rebuilding = new Map<number, Promise<unknown>>();
function rebuildOnce(deps: MetricsDeps, communityId: number) {
  let p = rebuilding.get(communityId);
  if (!p) {
    p = rebuildCommunity(deps, communityId).finally(() => rebuilding.delete(communityId));
    rebuilding.set(communityId, p);
  }
  return p;
}

/**
 * Dashboard facts of `keys` from the cache (`analytics_cache`, kept valid by the writers); the
 * missing ones are computed and stored in one transaction (on SQLite no rollup write can come
 * between the two).
 */
export async function cachedFacts<T>(
  db: Db,
  communityId: number,
  kind: string,
  keys: number[],
  compute: (trx: Db, missing: number[]) => Promise<Map<number, T>>,
): Promise<Map<number, T>> {
  const have = new Map<number, T>();
  if (keys.length === 0) return have;
  const lo = Math.min(...keys);
  const hi = Math.max(...keys);
  for (const r of await readCache(db, communityId, kind, lo, hi)) have.set(r.key, r.data as T);
  const missing = keys.filter((k) => !have.has(k));
  if (missing.length > 0) {
    await db.transaction().execute(async (trx) => {
      // No rollup write between computing and storing (on SQLite the transaction is enough).
      await lockCommunities(trx, [communityId]);
      const computed = await compute(trx, missing);
      await m.writeCache(
        trx,
        communityId,
        kind,
        missing.map((k) => [k, computed.get(k)]),
      );
      for (const k of missing) have.set(k, computed.get(k)!);
    });
  }
  return have;
}

const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** Distinct active members per bucket of [from, to] (0 when none). */
export const activeMembers = (db: Db, communityId: number, grain: Grain, from: number, to: number) =>
  cachedFacts<number>(db, communityId, `active-${grain}`, range(from, to), async (trx, missing) => {
    const rows = await m.activeCounts(trx, communityId, grain, Math.min(...missing), Math.max(...missing));
    const out = new Map(missing.map((k) => [k, 0]));
    for (const r of rows) if (out.has(Number(r.bucket))) out.set(Number(r.bucket), Number(r.members));
    return out;
  });

/** Members with consent who read in a bucket, and those who did on two or more of its days. */
async function repeatVisitors(db: Db, communityId: number, grain: Grain, bucket: number) {
  const facts = await cachedFacts<{ visitors: number; repeat: number }>(
    db,
    communityId,
    `repeat-${grain}`,
    [bucket],
    async (trx) =>
      new Map([
        [
          bucket,
          await m.repeatVisitors(
            trx,
            communityId,
            bucketStartDay(grain, bucket),
            bucketEndDay(grain, bucket),
          ),
        ],
      ]),
  );
  return facts.get(bucket)!;
}

/** Members (with consent) who read in a bucket: how many, their total and median reading time. */
async function memberReading(db: Db, communityId: number, grain: Grain, bucket: number) {
  const facts = await cachedFacts<{ n: number; sum: number; median: number | null }>(
    db,
    communityId,
    `reading-${grain}`,
    [bucket],
    async (trx) => {
      const ms = (await m.memberReading(trx, communityId, grain, bucket)).map((r) => Number(r.read_ms));
      return new Map([[bucket, { n: ms.length, sum: sum(ms, (x) => x), median: median(ms) }]]);
    },
  );
  return facts.get(bucket)!;
}

const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((a, r) => a + Number(f(r) ?? 0), 0);
const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round = (x: number | null, digits = 1) =>
  x == null ? null : Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** Every headline number for one period (a calendar day, ISO week or month). */
export async function periodSummary(db: Db, communityId: number, w: Window) {
  const { startDay, lastDay } = w;
  const [contrib, reading, active, daily, weekly, monthly, repeat, act, started, readers] = await Promise.all(
    [
      m.contributionDays(db, communityId, startDay, lastDay),
      m.readingDays(db, communityId, startDay, lastDay),
      activeMembers(db, communityId, w.grain, w.bucket, w.bucket),
      activeMembers(db, communityId, 'd', startDay, lastDay),
      activeMembers(db, communityId, 'w', weekOfDay(lastDay), weekOfDay(lastDay)),
      activeMembers(db, communityId, 'm', monthOfDay(lastDay), monthOfDay(lastDay)),
      repeatVisitors(db, communityId, w.grain, w.bucket),
      m.activation(db, communityId, startDay * DAY, (lastDay + 1) * DAY),
      m.threadsStarted(db, communityId, startDay * DAY, (lastDay + 1) * DAY),
      memberReading(db, communityId, w.grain, w.bucket),
    ],
  );
  const days = lastDay - startDay + 1;
  const activeCount = active.get(w.bucket) ?? 0;
  const dau = sum([...daily.values()], (n) => n) / days;
  const wau = weekly.get(weekOfDay(lastDay)) ?? 0;
  const mau = monthly.get(monthOfDay(lastDay)) ?? 0;
  const threads = sum(contrib, (r) => r.threads);
  const comments = sum(contrib, (r) => r.comments);
  const reactions = sum(contrib, (r) => r.reactions);
  const sentimentN = sum(contrib, (r) => r.sentiment_n);
  const live = started.filter((t) => t.deleted === 0);
  const answered = live.filter((t) => t.first_response_at != null);
  const replied = live.filter((t) => t.replies > 0);
  const readMs = sum(reading, (r) => r.read_ms);
  const readerDays = sum(reading, (r) => r.readers);
  return {
    start: isoDay(startDay),
    end: isoDay(lastDay),
    activeMembers: suppress(activeCount),
    dailyActiveAvg: over(activeCount, round(dau)),
    weeklyActive: suppress(wau),
    monthlyActive: suppress(mau),
    stickiness: over(mau, round(ratio(dau, mau), 3)),
    newMembers: suppress(sum(contrib, (r) => r.new_members)),
    leftMembers: suppress(sum(contrib, (r) => r.left_members)),
    activation: {
      joined: suppress(act.joined),
      activated: over(act.joined, act.activated),
      rate: over(act.joined, round(ratio(act.activated, act.joined), 3)),
    },
    repeatVisitors: {
      visitors: suppress(repeat.visitors),
      repeat: over(repeat.visitors, repeat.repeat),
      rate: over(repeat.visitors, round(ratio(repeat.repeat, repeat.visitors), 3)),
    },
    reading: {
      views: sum(reading, (r) => r.views),
      minutes: over(readerDays, round(readMs / 60_000)),
      readersPerDay: over(readerDays, round(readerDays / days)),
      minutesPerReaderDay: over(readerDays, round(ratio(readMs / 60_000, readerDays))),
      membersReading: suppress(readers.n),
      minutesPerMember: over(readers.n, round(ratio(readers.sum / 60_000, readers.n))),
      medianMinutesPerMember: over(readers.n, round((readers.median ?? 0) / 60_000)),
    },
    threads,
    comments,
    reactions,
    reactionsPerContribution: round(ratio(reactions, threads + comments), 2),
    repliesPerThread: round(
      ratio(
        sum(live, (t) => t.replies),
        live.length,
      ),
      2,
    ),
    averageDepth: round(
      ratio(
        sum(replied, (t) => t.max_depth + 1),
        replied.length,
      ),
      2,
    ),
    medianFirstResponseMinutes: round(
      median(answered.map((t) => (t.first_response_at! - t.created_at) / 60_000)),
    ),
    answeredThreads: answered.length,
    unansweredThreads: live.length - answered.length,
    moderationActions: sum(contrib, (r) => r.mod_actions),
    reports: sum(contrib, (r) => r.reports),
    sentiment: {
      scored: sentimentN,
      average: round(
        ratio(
          sum(contrib, (r) => r.sentiment_sum),
          sentimentN,
        ),
        3,
      ),
      positiveShare: round(
        ratio(
          sum(contrib, (r) => r.positive),
          sentimentN,
        ),
        3,
      ),
      negativeShare: round(
        ratio(
          sum(contrib, (r) => r.negative),
          sentimentN,
        ),
        3,
      ),
    },
  };
}

/** One point per bucket of the period's grain, ending with the current one. */
export async function series(db: Db, communityId: number, w: Window, buckets: number) {
  const first = w.bucket - buckets + 1;
  const from = bucketStartDay(w.grain, first);
  const to = w.lastDay;
  const [contrib, reading, active] = await Promise.all([
    m.contributionDays(db, communityId, from, to),
    m.readingDays(db, communityId, from, to),
    activeMembers(db, communityId, w.grain, first, w.bucket),
  ]);
  const points = Array.from({ length: buckets }, (_, i) => {
    const b = first + i;
    return {
      bucket: b,
      start: isoDay(bucketStartDay(w.grain, b)),
      days: bucketEndDay(w.grain, b) - bucketStartDay(w.grain, b) + 1,
      activeMembers: 0,
      newMembers: 0,
      threads: 0,
      comments: 0,
      reactions: 0,
      readMs: 0,
      readerDays: 0,
      sentimentSum: 0,
      sentimentN: 0,
    };
  });
  const at = (day: number) => points[bucketOf(w.grain, day) - first];
  for (const r of contrib) {
    const p = at(r.day);
    if (!p) continue;
    p.newMembers += r.new_members;
    p.threads += r.threads;
    p.comments += r.comments;
    p.reactions += r.reactions;
    p.sentimentSum += Number(r.sentiment_sum);
    p.sentimentN += r.sentiment_n;
  }
  for (const r of reading) {
    const p = at(r.day);
    if (!p) continue;
    p.readMs += Number(r.read_ms);
    p.readerDays += r.readers;
  }
  for (const [bucket, n] of active) {
    const p = points[bucket - first];
    if (p) p.activeMembers = n;
  }
  return points.map((p) => ({
    start: p.start,
    activeMembers: suppress(p.activeMembers),
    newMembers: suppress(p.newMembers),
    threads: p.threads,
    comments: p.comments,
    reactions: p.reactions,
    readMinutes: over(p.readerDays, round(p.readMs / 60_000)),
    readersPerDay: over(p.readerDays, round(p.readerDays / p.days)),
    sentiment: round(ratio(p.sentimentSum, p.sentimentN), 3),
  }));
}

export const iso0 = (ms: number | null) => (ms == null ? null : iso(ms));
