import type { Db } from '../../db/index.ts';
import { DAY, iso } from '../../platform/clock.ts';
import { LISTED, topWithTies } from './analytics.queries.ts';
import { AT_RISK, LEVELS, levelOf, RECENT_WEEKS, WEIGHTS, WINDOW_WEEKS } from './engagement.ts';
import * as m from './metrics.queries.ts';
import { cachedFacts, over, suppress, type Window } from './metrics.service.ts';
import { isoDay, weekOfDay } from './periods.ts';

/** Dashboard sections about people and content; every group of members below K is suppressed. */

export const COHORT_WEEKS = 12;
/** Members tables look at the 13 weeks (91 days) ending with the selected end day. */
export const MEMBER_WINDOW_DAYS = WINDOW_WEEKS * 7;
export const NEWCOMER_DAYS = 30;
const LIST_LIMIT = 20;

/** Weekly join cohorts × weeks since joining (week 0 = the join week), the last 12 cohorts. */
export async function retention(db: Db, communityId: number, w: Window) {
  // Up to the chosen end day (not the end of its period, which may be in the future).
  const lastWeek = weekOfDay(w.endDay);
  const firstWeek = lastWeek - COHORT_WEEKS + 1;
  const { sizes, cells } = await m.cohorts(db, communityId, firstWeek, lastWeek, COHORT_WEEKS - 1);
  const size = new Map(sizes.map((s) => [Number(s.join_week), Number(s.size)]));
  const cell = new Map(cells.map((c) => [`${c.join_week}|${c.age}`, Number(c.members)]));
  const rows = [];
  for (let week = firstWeek; week <= lastWeek; week++) {
    const n = size.get(week) ?? 0;
    const ages = lastWeek - week + 1; // weeks observed so far
    rows.push({
      cohort: isoDay(week * 7 - 3),
      size: suppress(n),
      // A cohort under K is suppressed whole: its cells would describe fewer than K people.
      retained: Array.from({ length: ages }, (_, age) => over(n, cell.get(`${week}|${age}`) ?? 0)),
      rates: Array.from({ length: ages }, (_, age) =>
        over(n, Math.round(((cell.get(`${week}|${age}`) ?? 0) / Math.max(n, 1)) * 1000) / 1000),
      ),
    });
  }
  return { weeks: COHORT_WEEKS, cohorts: rows };
}

/** Top content by depth: reading time, then distinct repliers (never views). */
export async function content(db: Db, communityId: number, w: Window) {
  const rows = await m.topThreads(db, communityId, w.startDay, w.lastDay, LIST_LIMIT);
  return {
    threads: rows.map((r) => ({
      id: r.thread_id,
      title: r.title,
      // Reading time of a thread read by fewer than K reader-days is not shown.
      readMinutes: over(r.readers, Math.round(r.read_ms / 6000) / 10),
      readerDays: suppress(r.readers),
      commentsInPeriod: r.comments,
      replies: r.replies,
      distinctRepliers: r.repliers,
    })),
  };
}

/**
 * A cached list of [userId, a, b] (sorted a desc, b desc, ties kept) → the first `limit`
 * members, ties broken by username (names are read now: the cache holds no names).
 */
async function named(db: Db, list: [number, number, number][], limit: number) {
  const users = new Map(
    (
      await m.usersByIds(
        db,
        list.map((x) => x[0]),
      )
    ).map((u) => [u.id, u]),
  );
  return list
    .filter(([id]) => users.has(id))
    .map(([id, a, b]) => ({ user: users.get(id)!, a, b }))
    .sort((x, y) => y.a - x.a || y.b - x.b || (x.user.username < y.user.username ? -1 : 1))
    .slice(0, limit);
}

/** Engagement levels, champions, members at risk, newcomers without a reply. */
export async function members(db: Db, communityId: number, w: Window) {
  const endWeek = weekOfDay(w.endDay);
  const endMs = (w.endDay + 1) * DAY;
  const fromDay = w.endDay - MEMBER_WINDOW_DAYS + 1;
  // Levels, members at risk and champions are cached per end week / end day (analytics_cache).
  const [levelFacts, riskFacts, championFacts, total, newcomers] = await Promise.all([
    cachedFacts<number[]>(db, communityId, 'levels', [endWeek], async (trx) => {
      const loves = await m.memberLove(
        trx,
        communityId,
        endWeek - WINDOW_WEEKS + 1,
        endWeek,
        endWeek - RECENT_WEEKS + 1,
        WEIGHTS,
      );
      // Members per level (1..4) among those with activity in the window, then how many had any.
      const counts = [0, 0, 0, 0];
      for (const x of loves) counts[levelOf(x.love).level - 1]!++;
      return new Map([[endWeek, [...counts, loves.length]]]);
    }),
    cachedFacts<[number, number, number][]>(db, communityId, 'at-risk', [endWeek], async (trx) => {
      const all = await m.atRiskCandidates(
        trx,
        communityId,
        endWeek,
        AT_RISK.quietWeeks,
        AT_RISK.lookbackWeeks,
        AT_RISK.minActiveWeeks,
      );
      return new Map([[endWeek, topWithTies(all, LISTED).map((x) => [x.user_id, x.a, x.b])]]);
    }),
    cachedFacts<[number, number, number][]>(db, communityId, 'champions', [w.endDay], async (trx) => {
      const all = await m.championCandidates(trx, communityId, fromDay, w.endDay);
      return new Map([[w.endDay, topWithTies(all, LISTED).map((x) => [x.user_id, x.a, x.b])]]);
    }),
    m.membersAt(db, communityId, endMs - 1),
    m.newcomersWithoutReply(db, communityId, endMs - NEWCOMER_DAYS * DAY, endMs, LIST_LIMIT),
  ]);
  const level = levelFacts.get(endWeek)!;
  const counts = new Map<number, number>(LEVELS.map((l) => [l.level, level[l.level - 1] ?? 0]));
  // Members with no activity in the window are observers too.
  const counted = level[4] ?? 0;
  counts.set(4, (counts.get(4) ?? 0) + Math.max(0, total - counted));
  const levels = LEVELS.map((l) => ({
    level: l.level,
    name: l.name,
    minLove: Number.isFinite(l.minLove) ? l.minLove : null,
    members: suppress(counts.get(l.level) ?? 0),
  }));
  const champions = (await named(db, championFacts.get(w.endDay)!, LIST_LIMIT)).map((c) => ({
    username: c.user.username,
    display_name: c.user.display_name,
    repliers: c.a,
    replies: c.b,
  }));
  const atRisk = (await named(db, riskFacts.get(endWeek)!, LIST_LIMIT)).map((c) => ({
    username: c.user.username,
    display_name: c.user.display_name,
    weeks: c.a,
    last_week: c.b,
  }));
  return {
    window: { start: isoDay(fromDay), end: isoDay(w.endDay) },
    members: suppress(total),
    levels,
    champions: champions.map((c) => ({
      username: c.username,
      displayName: c.display_name,
      distinctRepliers: c.repliers,
      replies: c.replies,
    })),
    atRisk: atRisk.map((a) => ({
      username: a.username,
      displayName: a.display_name,
      activeWeeks: a.weeks,
      lastActiveWeek: isoDay(a.last_week * 7 - 3),
    })),
    newcomersWithoutReply: newcomers.map((n) => ({
      username: n.username,
      displayName: n.display_name,
      joinedAt: iso(n.joined_at),
      firstContributionAt: iso(n.first_contribution_at),
    })),
    settings: { ...AT_RISK, newcomerDays: NEWCOMER_DAYS, weights: WEIGHTS },
  };
}
