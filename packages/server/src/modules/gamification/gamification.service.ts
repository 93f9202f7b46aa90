import type { Viewer } from '../../platform/auth.ts';
import { DAY, iso } from '../../platform/clock.ts';
import { fail } from '../../platform/errors.ts';
import { normalizeTag } from '../../platform/tags.ts';
import * as bq from './badges.queries.ts';
import { presentBadge } from './badges.service.ts';
import { type GamificationDeps, loadAsMember, loadReadable } from './context.ts';
import * as gq from './gamification.queries.ts';
import { type Period, periodStart } from './leaderboards.ts';
import { levelFor, perksFor } from './levels.ts';
import { awardVisit } from './points.ts';
import { loadSettings } from './settings.ts';
import * as sq from './sources.queries.ts';
import { streakFrom } from './streaks.ts';

type HeldRow = Awaited<ReturnType<typeof bq.heldBadges>>[number];
const presentHeld = (b: HeldRow) => ({
  ...presentBadge(b),
  grantedAt: iso(b.granted_at),
  manual: b.granted_by !== null,
});

/** A member's points, level, perks, streak and badges in one community (balance and choices: to themselves). */
export async function memberSummary(
  deps: GamificationDeps,
  slug: string,
  username: string,
  viewer: Viewer | null,
) {
  const { community } = await loadReadable(deps.db, slug, viewer);
  const user = await sq.findActiveMember(deps.db, community.id, username);
  if (!user) fail('USER_NOT_FOUND', 'No such member');
  const s = await loadSettings(deps.db, community.id);
  const points = await gq.earnedPoints(deps.db, community.id, user.id);
  const today = Math.floor(deps.clock.now() / DAY);
  // A year back bounds the read; a streak longer than that is reported as 366 days at most.
  const streak = streakFrom(await gq.activeDays(deps.db, community.id, user.id, today - 366), today);
  const self = viewer?.userId === user.id;
  return {
    username: user.username,
    points,
    level: levelFor(points, s.levels),
    perks: perksFor(points, s.levels),
    streak,
    badges: (await bq.heldBadges(deps.db, community.id, [user.id])).map(presentHeld),
    ...(self && {
      balance: await gq.spendableBalance(deps.db, community.id, user.id),
      hideFromLeaderboards: await gq.isHidden(deps.db, community.id, user.id),
    }),
  };
}

/** Levels and flair of many members at once (the names on a thread page: one request per page). */
export async function memberLevels(
  deps: GamificationDeps,
  slug: string,
  viewer: Viewer | null,
  usernames: string[],
) {
  const { community } = await loadReadable(deps.db, slug, viewer);
  const wanted = [...new Set(usernames.map((u) => u.trim().toLowerCase()).filter(Boolean))].slice(0, 200);
  const members = await sq.activeMembersByUsernames(deps.db, community.id, wanted);
  const s = await loadSettings(deps.db, community.id);
  const totals = await gq.earnedPointsOf(
    deps.db,
    community.id,
    members.map((m) => m.id),
  );
  return {
    items: members
      .map((m) => {
        const points = totals.get(m.id) ?? 0;
        const l = levelFor(points, s.levels);
        return { username: m.username, points, level: l.level, levelName: l.name, flair: l.flair };
      })
      .sort((a, b) => a.username.localeCompare(b.username)),
  };
}

export async function leaderboard(
  deps: GamificationDeps,
  slug: string,
  viewer: Viewer | null,
  q: { period: Period; tag?: string; limit: number },
) {
  const { community } = await loadReadable(deps.db, slug, viewer);
  const tag = q.tag ? normalizeTag(q.tag, 'querystring.tag') : null;
  const since = periodStart(q.period, deps.clock.now());
  const rows = await gq.leaderboard(deps.db, { communityId: community.id, since, tag, limit: q.limit });
  const s = await loadSettings(deps.db, community.id);
  // Levels come from all-time points, whatever the period ranks.
  const totals = await gq.earnedPointsOf(
    deps.db,
    community.id,
    rows.map((r) => r.id),
  );
  return {
    period: q.period,
    tag,
    items: rows.map((r, i) => {
      const l = levelFor(totals.get(r.id) ?? 0, s.levels);
      return {
        rank: i + 1,
        username: r.username,
        points: Number(r.points),
        level: l.level,
        levelName: l.name,
        flair: l.flair,
      };
    }),
    tags: (await gq.boardTags(deps.db, community.id, since)).map((t) => ({
      name: t.name,
      points: Number(t.points),
    })),
  };
}

/** A profile's gamification: one card per community the viewer may read where the user is active. */
export async function userGamification(deps: GamificationDeps, username: string, viewer: Viewer | null) {
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();
  if (!user) fail('USER_NOT_FOUND', `No user @${username}`);
  const communities = await sq.communitiesOfMember(deps.db, user.id);
  // Private communities only for the viewer's own private communities (membership must not leak).
  const mine = viewer ? await sq.activeCommunityIds(deps.db, viewer.userId) : new Set<number>();
  const visible = communities.filter((c) => c.visibility === 'public' || mine.has(c.id) || viewer?.isAdmin);
  const cards = [];
  for (const c of visible) {
    const s = await loadSettings(deps.db, c.id);
    const points = await gq.earnedPoints(deps.db, c.id, user.id);
    const badges = (await bq.heldBadges(deps.db, c.id, [user.id])).map(presentHeld);
    if (points === 0 && !badges.length) continue;
    cards.push({
      community: { slug: c.slug, name: c.name },
      points,
      level: levelFor(points, s.levels),
      badges,
    });
  }
  return { username: user.username, communities: cards.sort((a, b) => b.points - a.points) };
}

/** A daily visit (active members): points once per UTC day, and a day for the streak. */
export async function visit(deps: GamificationDeps, slug: string, viewer: Viewer) {
  const { community } = await loadAsMember(deps.db, slug, viewer);
  const now = deps.clock.now();
  await deps.db.transaction().execute((trx) => awardVisit(trx, community.id, viewer.userId, now));
  return { ok: true, points: await gq.earnedPoints(deps.db, community.id, viewer.userId) };
}

export async function setPrefs(deps: GamificationDeps, slug: string, viewer: Viewer, hide: boolean) {
  const { community } = await loadAsMember(deps.db, slug, viewer);
  await gq.setHidden(deps.db, community.id, viewer.userId, hide);
  return { hideFromLeaderboards: await gq.isHidden(deps.db, community.id, viewer.userId) };
}
