import type { RewardKind } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { iso } from '../../platform/clock.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import * as bq from './badges.queries.ts';
import { type GamificationDeps, loadAsMember, loadModerated, loadReadable } from './context.ts';
import { earnedPoints, insertAward, lockBalance, type Q, spendableBalance } from './gamification.queries.ts';
import { levelFor } from './levels.ts';
import * as rq from './rewards.queries.ts';
import { type GamificationSettings, loadSettings, SPENT } from './settings.ts';

/**
 * Rewards a community offers: exclusive content, event seats, partner promo codes. A reward costs
 * points and/or needs a badge or a level. Redeeming is atomic: the member's balance row is locked
 * first, the balance re-read, one unit of stock taken with a conditional update, and the spend
 * written as a negative ledger entry, all in one transaction, so concurrent requests can neither
 * overspend nor hand out the last unit twice.
 */

export interface RewardInput {
  kind: RewardKind;
  title: string;
  description?: string;
  costPoints: number;
  requiredBadgeId?: number | null;
  minLevel?: number | null;
  stock?: number | null;
  perMemberLimit?: number | null;
  secret?: string | null;
  codes?: string[];
  active?: boolean;
}

interface Holder {
  balance: number;
  level: number;
  badges: Set<number>;
  counts: Map<number, number>;
}

/** Why the member cannot redeem, or null (the same checks the redemption makes, for display). */
function blocker(r: rq.RewardRow, who: Holder, levels: GamificationSettings['levels']): string | null {
  if (r.active !== 1) return 'This reward is not offered at the moment';
  if (r.stock !== null && r.stock <= 0) return 'None left';
  if (r.per_member_limit !== null && (who.counts.get(r.id) ?? 0) >= r.per_member_limit)
    return r.per_member_limit === 1
      ? 'You redeemed it already'
      : `You redeemed it ${r.per_member_limit} times already`;
  if (r.required_badge_id !== null && !who.badges.has(r.required_badge_id))
    return `Needs the "${r.badge_name ?? 'required'}" badge`;
  if (r.min_level !== null && who.level < r.min_level)
    return `Opens at level ${r.min_level} (${levels[r.min_level - 1]?.name ?? 'higher'})`;
  if (who.balance < r.cost_points) return `Needs ${r.cost_points} points; you have ${who.balance}`;
  return null;
}

async function holder(db: Q, communityId: number, userId: number, s: GamificationSettings): Promise<Holder> {
  return {
    balance: await spendableBalance(db, communityId, userId),
    level: levelFor(await earnedPoints(db, communityId, userId), s.levels).level,
    badges: new Set((await bq.heldBadges(db, communityId, [userId])).map((b) => b.id)),
    counts: await rq.myRedemptionCounts(db, communityId, userId),
  };
}

function present(r: rq.RewardRow, s: GamificationSettings, who: Holder | null, moderator: boolean) {
  const reason = who ? blocker(r, who, s.levels) : null;
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    description: r.description,
    costPoints: r.cost_points,
    requiredBadge: r.required_badge_id
      ? {
          id: r.required_badge_id,
          slug: r.badge_slug ?? '',
          name: r.badge_name ?? '',
          tier: r.badge_tier ?? 'bronze',
        }
      : null,
    minLevel: r.min_level,
    minLevelName: r.min_level ? (s.levels[r.min_level - 1]?.name ?? null) : null,
    stock: r.stock,
    perMemberLimit: r.per_member_limit,
    active: r.active === 1,
    redeemed: Number(r.redeemed ?? 0),
    mine: who ? { redemptions: who.counts.get(r.id) ?? 0, canRedeem: reason === null, reason } : null,
    // The secret itself never leaves through lists; moderators see whether one is set.
    ...(moderator && { hasSecret: !!r.secret }),
  };
}

export async function listRewards(deps: GamificationDeps, slug: string, viewer: Viewer | null) {
  const { community, access } = await loadReadable(deps.db, slug, viewer);
  const s = await loadSettings(deps.db, community.id);
  const rows = await rq.listRewards(deps.db, community.id, access.isModerator);
  const who = viewer && access.isMember ? await holder(deps.db, community.id, viewer.userId, s) : null;
  return {
    balance: who?.balance ?? null,
    items: rows.map((r) => present(r, s, who, access.isModerator)),
  };
}

async function checkRefs(deps: GamificationDeps, communityId: number, body: Partial<RewardInput>) {
  if (body.requiredBadgeId != null && !(await bq.findBadge(deps.db, communityId, body.requiredBadgeId)))
    invalid('body.requiredBadgeId', 'is not a badge of this community');
  if (body.minLevel != null) {
    const { levels } = await loadSettings(deps.db, communityId);
    if (body.minLevel > levels.length) invalid('body.minLevel', `this community has ${levels.length} levels`);
  }
}

export async function createReward(deps: GamificationDeps, slug: string, viewer: Viewer, body: RewardInput) {
  const { community } = await loadModerated(deps.db, slug, viewer);
  await checkRefs(deps, community.id, body);
  const codes = [...new Set((body.codes ?? []).map((c) => c.trim()).filter(Boolean))];
  if (body.codes?.length && body.kind !== 'promo_code')
    invalid('body.codes', 'only promo code rewards have codes');
  if (codes.length && body.stock != null)
    invalid('body.stock', 'with codes, the stock is the number of codes');
  if (body.kind === 'promo_code' && !codes.length && !body.secret?.trim())
    invalid('body.codes', 'a promo code reward needs codes (one per redemption) or a shared code in secret');
  if (body.kind === 'content' && !body.secret?.trim())
    invalid('body.secret', 'exclusive content needs the content, revealed to those who redeem it');
  const now = deps.clock.now();
  const id = await inTransaction(deps, async (trx) => {
    const row = await rq.insertReward(trx, {
      communityId: community.id,
      kind: body.kind,
      title: body.title.trim(),
      description: body.description?.trim() ?? '',
      costPoints: body.costPoints,
      requiredBadgeId: body.requiredBadgeId ?? null,
      minLevel: body.minLevel ?? null,
      stock: codes.length ? codes.length : (body.stock ?? null),
      perMemberLimit: body.perMemberLimit === undefined ? 1 : body.perMemberLimit,
      secret: body.secret?.trim() || null,
      active: body.active ?? true,
      by: viewer.userId,
      now,
    });
    await rq.addCodes(trx, row.id, codes);
    await bq.insertLog(trx, {
      communityId: community.id,
      actorId: viewer.userId,
      action: 'reward_created',
      rewardId: row.id,
      now,
    });
    return row.id;
  });
  return presentOne(deps, community.id, id);
}

async function presentOne(deps: GamificationDeps, communityId: number, id: number) {
  const row = await rq.findReward(deps.db, communityId, id);
  if (!row) fail('REWARD_NOT_FOUND', `No reward ${id}`);
  return present(row, await loadSettings(deps.db, communityId), null, true);
}

export async function updateReward(
  deps: GamificationDeps,
  slug: string,
  viewer: Viewer,
  id: number,
  body: Partial<Omit<RewardInput, 'kind' | 'codes'>> & { addCodes?: string[] },
) {
  const { community } = await loadModerated(deps.db, slug, viewer);
  const reward = await rq.findReward(deps.db, community.id, id);
  if (!reward) fail('REWARD_NOT_FOUND', `No reward ${id}`);
  await checkRefs(deps, community.id, body);
  const codes = [...new Set((body.addCodes ?? []).map((c) => c.trim()).filter(Boolean))];
  if (codes.length && reward.kind !== 'promo_code')
    invalid('body.addCodes', 'only promo code rewards have codes');
  const pooled = (await rq.countFreeCodes(deps.db, id)) > 0 || codes.length > 0;
  if (body.stock !== undefined && pooled)
    invalid('body.stock', 'with codes, the stock is the number of codes');
  if (body.title !== undefined && !body.title.trim()) invalid('body.title', 'must not be blank');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await rq.updateReward(trx, id, {
      ...(body.title !== undefined && { title: body.title.trim() }),
      ...(body.description !== undefined && { description: body.description.trim() }),
      ...(body.costPoints !== undefined && { cost_points: body.costPoints }),
      ...(body.requiredBadgeId !== undefined && { required_badge_id: body.requiredBadgeId }),
      ...(body.minLevel !== undefined && { min_level: body.minLevel }),
      ...(body.stock !== undefined && { stock: body.stock }),
      ...(body.perMemberLimit !== undefined && { per_member_limit: body.perMemberLimit }),
      ...(body.secret !== undefined && { secret: body.secret?.trim() || null }),
      ...(body.active !== undefined && { active: body.active ? 1 : 0 }),
      updated_at: now,
    });
    if (codes.length) {
      await rq.addCodes(trx, id, codes);
      await rq.updateReward(trx, id, { stock: await rq.countFreeCodes(trx, id) });
    }
    await bq.insertLog(trx, {
      communityId: community.id,
      actorId: viewer.userId,
      action: 'reward_edited',
      rewardId: id,
      now,
    });
  });
  return presentOne(deps, community.id, id);
}

/** Redeems one unit for the viewer; see the module comment for why it cannot double-spend. */
export async function redeem(deps: GamificationDeps, slug: string, viewer: Viewer, rewardId: number) {
  const { community } = await loadAsMember(deps.db, slug, viewer);
  const now = deps.clock.now();
  const result = await inTransaction(deps, async (trx) => {
    // 1. The member's balance row first: concurrent redemptions by one member queue here.
    await lockBalance(trx, community.id, viewer.userId);
    const reward = await rq.findReward(trx, community.id, rewardId);
    if (!reward) fail('REWARD_NOT_FOUND', `No reward ${rewardId}`);
    if (reward.active !== 1) fail('REWARD_UNAVAILABLE', 'This reward is not offered at the moment');
    const s = await loadSettings(trx, community.id);
    const who = await holder(trx, community.id, viewer.userId, s);
    if (reward.per_member_limit !== null && (who.counts.get(reward.id) ?? 0) >= reward.per_member_limit)
      fail('REDEMPTION_LIMIT', blocker(reward, who, s.levels) ?? 'You redeemed it already');
    if (reward.required_badge_id !== null && !who.badges.has(reward.required_badge_id))
      fail('BADGE_REQUIRED', `Needs the "${reward.badge_name}" badge`);
    if (reward.min_level !== null && who.level < reward.min_level)
      fail('LEVEL_TOO_LOW', blocker(reward, who, s.levels) ?? 'Your level is too low');
    if (who.balance < reward.cost_points)
      fail('INSUFFICIENT_POINTS', `Needs ${reward.cost_points} points; you have ${who.balance}`);
    // 2. One unit of stock, atomically (skipped for unlimited rewards).
    if (reward.stock !== null && !(await rq.takeStock(trx, reward.id))) fail('OUT_OF_STOCK', 'None left');
    const redemption = await rq.insertRedemption(trx, {
      rewardId: reward.id,
      communityId: community.id,
      userId: viewer.userId,
      points: reward.cost_points,
      now,
    });
    const code = reward.kind === 'promo_code' ? await rq.assignCode(trx, reward.id, redemption.id) : null;
    // 3. The spend: a negative ledger entry (not "earned": levels and leaderboards ignore it).
    if (reward.cost_points > 0) {
      await insertAward(trx, {
        communityId: community.id,
        userId: viewer.userId,
        source: `redemption:${redemption.id}`,
        reason: SPENT,
        points: -reward.cost_points,
        at: now,
      });
    }
    await deps.events.emit(trx, 'gamification.reward_redeemed', {
      communityId: community.id,
      userId: viewer.userId,
      rewardId: reward.id,
      redemptionId: redemption.id,
      pointsSpent: reward.cost_points,
    });
    return {
      redemption: {
        id: redemption.id,
        rewardId: reward.id,
        kind: reward.kind,
        title: reward.title,
        pointsSpent: reward.cost_points,
        code,
        secret: reward.secret,
        createdAt: iso(now),
      },
      balance: who.balance - reward.cost_points,
    };
  });
  return result;
}

/** The viewer's redemptions here, with their codes and secrets (only ever shown to the redeemer). */
export async function listMine(deps: GamificationDeps, slug: string, viewer: Viewer) {
  const { community } = await loadReadable(deps.db, slug, viewer);
  const rows = await rq.myRedemptions(deps.db, community.id, viewer.userId);
  return {
    balance: await spendableBalance(deps.db, community.id, viewer.userId),
    items: rows.map((r) => ({
      id: r.id,
      rewardId: r.reward_id,
      kind: r.kind,
      title: r.title,
      pointsSpent: r.points_spent,
      code: r.code,
      secret: r.secret,
      createdAt: iso(r.created_at),
    })),
  };
}

export async function listRedemptions(
  deps: GamificationDeps,
  slug: string,
  viewer: Viewer,
  rewardId: number,
) {
  const { community } = await loadModerated(deps.db, slug, viewer);
  if (!(await rq.findReward(deps.db, community.id, rewardId)))
    fail('REWARD_NOT_FOUND', `No reward ${rewardId}`);
  const rows = await rq.redemptionsOf(deps.db, rewardId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      pointsSpent: r.points_spent,
      createdAt: iso(r.created_at),
    })),
  };
}
