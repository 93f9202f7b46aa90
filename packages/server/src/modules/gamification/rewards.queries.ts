import type { RewardKind } from '../../db/schema.ts';
import type { Q } from './gamification.queries.ts';

/** Rewards, their promo codes and redemptions. */

const REWARD_COLUMNS = [
  'r.id',
  'r.community_id',
  'r.kind',
  'r.title',
  'r.description',
  'r.cost_points',
  'r.required_badge_id',
  'r.min_level',
  'r.stock',
  'r.per_member_limit',
  'r.secret',
  'r.active',
  'r.created_at',
  'b.slug as badge_slug',
  'b.name as badge_name',
  'b.tier as badge_tier',
] as const;

const rewardQuery = (db: Q) =>
  db
    .selectFrom('rewards as r')
    .leftJoin('badges as b', 'b.id', 'r.required_badge_id')
    .select(REWARD_COLUMNS)
    .select((eb) =>
      eb
        .selectFrom('reward_redemptions as rr')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('rr.reward_id', '=', 'r.id')
        .as('redeemed'),
    );

export const listRewards = (db: Q, communityId: number, includeInactive: boolean) => {
  let q = rewardQuery(db).where('r.community_id', '=', communityId);
  if (!includeInactive) q = q.where('r.active', '=', 1);
  return q.orderBy('r.cost_points').orderBy('r.id').execute();
};

export const findReward = (db: Q, communityId: number, id: number) =>
  rewardQuery(db).where('r.community_id', '=', communityId).where('r.id', '=', id).executeTakeFirst();
export type RewardRow = NonNullable<Awaited<ReturnType<typeof findReward>>>;

export interface NewReward {
  communityId: number;
  kind: RewardKind;
  title: string;
  description: string;
  costPoints: number;
  requiredBadgeId: number | null;
  minLevel: number | null;
  stock: number | null;
  perMemberLimit: number | null;
  secret: string | null;
  active: boolean;
  by: number;
  now: number;
}

export const insertReward = (db: Q, r: NewReward) =>
  db
    .insertInto('rewards')
    .values({
      community_id: r.communityId,
      kind: r.kind,
      title: r.title,
      description: r.description,
      cost_points: r.costPoints,
      required_badge_id: r.requiredBadgeId,
      min_level: r.minLevel,
      stock: r.stock,
      per_member_limit: r.perMemberLimit,
      secret: r.secret,
      active: r.active ? 1 : 0,
      created_by: r.by,
      created_at: r.now,
      updated_at: r.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateReward = (
  db: Q,
  id: number,
  set: Partial<{
    title: string;
    description: string;
    cost_points: number;
    required_badge_id: number | null;
    min_level: number | null;
    stock: number | null;
    per_member_limit: number | null;
    secret: string | null;
    active: number;
    updated_at: number;
  }>,
) => db.updateTable('rewards').set(set).where('id', '=', id).execute();

export const addCodes = (db: Q, rewardId: number, codes: string[]) =>
  codes.length
    ? db
        .insertInto('reward_codes')
        .values(codes.map((code) => ({ reward_id: rewardId, code, redemption_id: null })))
        .execute()
    : Promise.resolve([]);

export const countFreeCodes = async (db: Q, rewardId: number) =>
  Number(
    (
      await db
        .selectFrom('reward_codes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('reward_id', '=', rewardId)
        .where('redemption_id', 'is', null)
        .executeTakeFirst()
    )?.n ?? 0,
  );

/**
 * Takes one unit of stock if any is left: a conditional update, so under concurrent
 * redemptions of the last unit exactly one succeeds (PostgreSQL re-checks `stock > 0` on the
 * row after the other transaction commits; SQLite has one writer). Also the reward's row lock.
 */
export const takeStock = async (db: Q, rewardId: number) => {
  const r = await db
    .updateTable('rewards')
    .set((eb) => ({ stock: eb('stock', '-', 1) }))
    .where('id', '=', rewardId)
    .where('stock', '>', 0)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
};

export const insertRedemption = (
  db: Q,
  r: { rewardId: number; communityId: number; userId: number; points: number; now: number },
) =>
  db
    .insertInto('reward_redemptions')
    .values({
      reward_id: r.rewardId,
      community_id: r.communityId,
      user_id: r.userId,
      points_spent: r.points,
      code: null,
      created_at: r.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

/** Hands the redemption the lowest free code (called under the reward's row lock from takeStock). */
export async function assignCode(db: Q, rewardId: number, redemptionId: number) {
  const free = await db
    .selectFrom('reward_codes')
    .select(['id', 'code'])
    .where('reward_id', '=', rewardId)
    .where('redemption_id', 'is', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!free) return null;
  await db
    .updateTable('reward_codes')
    .set({ redemption_id: redemptionId })
    .where('id', '=', free.id)
    .execute();
  await db
    .updateTable('reward_redemptions')
    .set({ code: free.code })
    .where('id', '=', redemptionId)
    .execute();
  return free.code;
}

export const countRedemptions = async (db: Q, rewardId: number, userId: number) =>
  Number(
    (
      await db
        .selectFrom('reward_redemptions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('reward_id', '=', rewardId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
    )?.n ?? 0,
  );

export const myRedemptionCounts = async (db: Q, communityId: number, userId: number) => {
  const rows = await db
    .selectFrom('reward_redemptions')
    .select((eb) => ['reward_id', eb.fn.countAll<number>().as('n')])
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .groupBy('reward_id')
    .execute();
  return new Map(rows.map((r) => [r.reward_id, Number(r.n)]));
};

/** A member's own redemptions, with what they revealed (codes, secrets). */
export const myRedemptions = (db: Q, communityId: number, userId: number) =>
  db
    .selectFrom('reward_redemptions as rr')
    .innerJoin('rewards as r', 'r.id', 'rr.reward_id')
    .select([
      'rr.id',
      'rr.reward_id',
      'rr.points_spent',
      'rr.code',
      'rr.created_at',
      'r.kind',
      'r.title',
      'r.secret',
    ])
    .where('rr.community_id', '=', communityId)
    .where('rr.user_id', '=', userId)
    .orderBy('rr.id', 'desc')
    .limit(200)
    .execute();

/** Who redeemed a reward (moderators); never the codes, which only their redeemer sees. */
export const redemptionsOf = (db: Q, rewardId: number) =>
  db
    .selectFrom('reward_redemptions as rr')
    .innerJoin('users as u', 'u.id', 'rr.user_id')
    .select(['rr.id', 'u.username', 'u.display_name', 'rr.points_spent', 'rr.created_at'])
    .where('rr.reward_id', '=', rewardId)
    .orderBy('rr.id', 'desc')
    .limit(500)
    .execute();
