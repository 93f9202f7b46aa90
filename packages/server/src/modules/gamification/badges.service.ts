import type { BadgeTier } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { DAY, iso } from '../../platform/clock.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { type Events, inTransaction } from '../../platform/events.ts';
import * as bq from './badges.queries.ts';
import { type BadgeRule, type CountKind, DEFAULT_BADGES, meets, type StatSource } from './badges.rules.ts';
import { type GamificationDeps, loadModerated, loadReadable } from './context.ts';
import './gamification.events.ts';
import { activeDays, countByReason, earnedPoints, type Q } from './gamification.queries.ts';
import { findActiveMember } from './sources.queries.ts';
import { streakFrom } from './streaks.ts';

/** Adds the default badges a community does not have yet (new communities, and older ones lazily). */
export async function ensureDefaultBadges(db: Q, communityId: number, now: number): Promise<void> {
  if ((await bq.countDefaultBadges(db, communityId)) >= DEFAULT_BADGES.length) return;
  await bq.insertBadges(db, communityId, DEFAULT_BADGES, true, null, now);
}

/** A member's stats for the rules, each read at most once per evaluation. */
function statsOf(db: Q, communityId: number, userId: number, now: number): StatSource {
  const memo = new Map<string, Promise<number | boolean>>();
  const once = <T extends number | boolean>(key: string, read: () => Promise<T>) => {
    if (!memo.has(key)) memo.set(key, read());
    return memo.get(key) as Promise<T>;
  };
  const ledger: Partial<Record<CountKind, string>> = {
    accepted_answers: 'accepted_answer',
    helpful_notes: 'helpful_note',
    events_attended: 'event_attended',
  };
  return {
    count: (kind) =>
      once(kind, async () => {
        if (kind === 'threads' || kind === 'comments')
          return bq.countLiveContent(db, kind, communityId, userId);
        if (kind === 'points') return earnedPoints(db, communityId, userId);
        if (kind === 'welcomed') return bq.welcomedNewcomers(db, communityId, userId);
        if (kind === 'streak') {
          const today = Math.floor(now / DAY);
          return streakFrom(await activeDays(db, communityId, userId, today - 366), today).current;
        }
        return countByReason(db, communityId, userId, ledger[kind]!);
      }),
    reactedReplies: (k) => once(`rr${k}`, () => bq.reactedReplies(db, communityId, userId, k)),
    acceptedGuidelines: () => once('guidelines', () => bq.acceptedGuidelines(db, communityId, userId)),
  };
}

/**
 * Evaluates every enabled rule badge for one member, inside `trx`; grants what is met and not
 * yet decided (held, or revoked by a moderator), and announces each grant. Idempotent.
 */
export async function evaluateMember(
  trx: Q,
  events: Events,
  communityId: number,
  userId: number,
  now: number,
  ensured?: Set<number>,
) {
  // Once per community and job run: the default set must exist before it can be earned.
  if (!ensured?.has(communityId)) await ensureDefaultBadges(trx, communityId, now);
  ensured?.add(communityId);
  const decided = await bq.decidedBadgeIds(trx, communityId, userId);
  const stats = statsOf(trx, communityId, userId, now);
  const granted: string[] = [];
  for (const b of await bq.enabledRuleBadges(trx, communityId)) {
    if (decided.has(b.id)) continue;
    if (!(await meets(JSON.parse(b.rule) as BadgeRule, stats))) continue;
    const fresh = await bq.grantBadge(trx, { badgeId: b.id, communityId, userId, by: null, reason: '', now });
    if (!fresh) continue;
    granted.push(b.slug);
    await events.emit(trx as Parameters<Events['emit']>[0], 'gamification.badge_earned', {
      communityId,
      userId,
      badgeId: b.id,
      badgeSlug: b.slug,
      tier: b.tier,
    });
  }
  return granted;
}

/**
 * The badge job: evaluates the members queued by event handlers (one transaction each, which
 * also removes them from the queue).
 */
export async function runBadgeJob(deps: GamificationDeps, batch = 200) {
  let evaluated = 0;
  let granted = 0;
  const ensured = new Set<number>();
  for (;;) {
    const queued = await bq.queuedMembers(deps.db, batch);
    for (const m of queued) {
      await inTransaction(deps, async (trx) => {
        await bq.dequeue(trx, m.community_id, m.user_id);
        const now = deps.clock.now();
        granted += (await evaluateMember(trx, deps.events, m.community_id, m.user_id, now, ensured)).length;
      });
      evaluated++;
    }
    if (queued.length < batch) break;
  }
  return { evaluated, granted };
}

const presentBadge = (b: { id: number; slug: string; name: string; description: string; tier: string }) => ({
  id: b.id,
  slug: b.slug,
  name: b.name,
  description: b.description,
  tier: b.tier as BadgeTier,
});

export async function listCommunityBadges(deps: GamificationDeps, slug: string, viewer: Viewer | null) {
  const { community, access } = await loadReadable(deps.db, slug, viewer);
  await ensureDefaultBadges(deps.db, community.id, deps.clock.now());
  const rows = await bq.listBadges(deps.db, community.id);
  return {
    items: rows
      .filter((b) => b.enabled === 1 || access.isModerator)
      .map((b) => ({
        ...presentBadge(b),
        rule: JSON.parse(b.rule) as BadgeRule,
        isDefault: b.is_default === 1,
        enabled: b.enabled === 1,
        holders: Number(b.holders ?? 0),
      })),
  };
}

export async function createBadge(
  deps: GamificationDeps,
  slug: string,
  viewer: Viewer,
  body: { slug: string; name: string; description?: string; tier: BadgeTier; rule: BadgeRule },
) {
  const { community } = await loadModerated(deps.db, slug, viewer);
  const now = deps.clock.now();
  await ensureDefaultBadges(deps.db, community.id, now);
  const def = { ...body, name: body.name.trim(), description: body.description?.trim() ?? '' };
  const rows = await bq.insertBadges(deps.db, community.id, [def], false, viewer.userId, now);
  if (!rows.length) fail('BADGE_EXISTS', `A badge "${body.slug}" exists already here`);
  await bq.insertLog(deps.db, {
    communityId: community.id,
    actorId: viewer.userId,
    action: 'badge_created',
    badgeId: rows[0]!.id,
    now,
  });
  return (await listCommunityBadges(deps, slug, viewer)).items.find((b) => b.id === rows[0]!.id)!;
}

export async function editBadge(
  deps: GamificationDeps,
  slug: string,
  viewer: Viewer,
  id: number,
  body: Partial<{ name: string; description: string; tier: BadgeTier; enabled: boolean; rule: BadgeRule }>,
) {
  const { community } = await loadModerated(deps.db, slug, viewer);
  const badge = await bq.findBadge(deps.db, community.id, id);
  if (!badge) fail('BADGE_NOT_FOUND', `No badge ${id} here`);
  if (body.rule && badge.is_default === 1) invalid('body.rule', 'the rules of default badges are fixed');
  if (body.name !== undefined && !body.name.trim()) invalid('body.name', 'must not be blank');
  await bq.updateBadge(deps.db, id, {
    ...(body.name !== undefined && { name: body.name.trim() }),
    ...(body.description !== undefined && { description: body.description.trim() }),
    ...(body.tier && { tier: body.tier }),
    ...(body.enabled !== undefined && { enabled: body.enabled ? 1 : 0 }),
    ...(body.rule && { rule: JSON.stringify(body.rule) }),
  });
  await bq.insertLog(deps.db, {
    communityId: community.id,
    actorId: viewer.userId,
    action: 'badge_edited',
    badgeId: id,
    now: deps.clock.now(),
  });
  return (await listCommunityBadges(deps, slug, viewer)).items.find((b) => b.id === id)!;
}

/** Moderators grant any badge by hand (logged, announced); a revoked badge can be granted again. */
export async function grantManually(
  deps: GamificationDeps,
  slug: string,
  viewer: Viewer,
  username: string,
  body: { badgeId: number; reason?: string },
) {
  const { community } = await loadModerated(deps.db, slug, viewer);
  const member = await findActiveMember(deps.db, community.id, username);
  if (!member) fail('USER_NOT_FOUND', `No member @${username} here`);
  const badge = await bq.findBadge(deps.db, community.id, body.badgeId);
  if (!badge) fail('BADGE_NOT_FOUND', `No badge ${body.badgeId} here`);
  const now = deps.clock.now();
  const reason = body.reason?.trim() ?? '';
  await inTransaction(deps, async (trx) => {
    const existing = await bq.findMemberBadge(trx, badge.id, member.id);
    if (existing && existing.revoked_at === null)
      fail('BADGE_ALREADY_HELD', `@${member.username} has it already`);
    if (existing) await bq.regrantBadge(trx, existing.id, viewer.userId, reason, now);
    else
      await bq.grantBadge(trx, {
        badgeId: badge.id,
        communityId: community.id,
        userId: member.id,
        by: viewer.userId,
        reason,
        now,
      });
    await bq.insertLog(trx, {
      communityId: community.id,
      actorId: viewer.userId,
      action: 'badge_granted',
      targetUserId: member.id,
      badgeId: badge.id,
      reason,
      now,
    });
    await deps.events.emit(trx, 'gamification.badge_earned', {
      communityId: community.id,
      userId: member.id,
      badgeId: badge.id,
      badgeSlug: badge.slug,
      tier: badge.tier,
    });
  });
  return { ok: true };
}

/** Moderators revoke a badge (logged); the rule job will not grant it again. */
export async function revokeManually(
  deps: GamificationDeps,
  slug: string,
  viewer: Viewer,
  username: string,
  badgeId: number,
  reason: string,
) {
  const { community } = await loadModerated(deps.db, slug, viewer);
  const member = await findActiveMember(deps.db, community.id, username);
  if (!member) fail('USER_NOT_FOUND', `No member @${username} here`);
  const badge = await bq.findBadge(deps.db, community.id, badgeId);
  if (!badge) fail('BADGE_NOT_FOUND', `No badge ${badgeId} here`);
  const held = await bq.findMemberBadge(deps.db, badge.id, member.id);
  if (!held || held.revoked_at !== null) fail('BADGE_NOT_HELD', `@${member.username} does not hold it`);
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await bq.revokeBadge(trx, held.id, viewer.userId, now);
    await bq.insertLog(trx, {
      communityId: community.id,
      actorId: viewer.userId,
      action: 'badge_revoked',
      targetUserId: member.id,
      badgeId: badge.id,
      reason: reason.trim(),
      now,
    });
    await deps.events.emit(trx, 'gamification.badge_revoked', {
      communityId: community.id,
      userId: member.id,
      badgeId: badge.id,
      by: viewer.userId,
    });
  });
  return { ok: true };
}

/** Badges the viewer earned and has not acknowledged yet (the web app's toast polls this). */
export async function listUnseen(deps: GamificationDeps, viewer: Viewer) {
  const rows = await bq.unseenBadges(deps.db, viewer.userId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      community: { slug: r.community_slug, name: r.community_name },
      badge: presentBadge({ ...r, id: r.badge_id }),
      grantedAt: iso(r.granted_at),
    })),
  };
}

export async function acknowledge(deps: GamificationDeps, viewer: Viewer, ids: number[]) {
  const r = await bq.markSeen(deps.db, viewer.userId, ids, deps.clock.now());
  return { acknowledged: Number(r.numUpdatedRows) };
}

export async function listLog(
  deps: GamificationDeps,
  slug: string,
  viewer: Viewer,
  q: { before?: number; limit: number },
) {
  const { community } = await loadModerated(deps.db, slug, viewer);
  const rows = await bq.listLog(deps.db, community.id, q.before ?? null, q.limit);
  const items = rows.slice(0, q.limit).map((r) => ({
    id: r.id,
    action: r.action,
    actor: r.actor,
    target: r.target,
    badge: r.badge_name,
    reward: r.reward_title,
    reason: r.reason,
    createdAt: iso(r.created_at),
  }));
  return { items, nextBefore: rows.length > q.limit ? items[items.length - 1]!.id : null };
}

export { presentBadge };
