import { iso, isoOrNull } from '../../platform/clock.ts';
import { declareUserColumns, registerExportSection } from '../../platform/data-rights.ts';

/**
 * What gamification holds about a member beyond the points ledger (privacy/privacy.plan.ts),
 * for erasure and export (platform/data-rights.ts). Redemptions stay, by the tombstone, so a
 * reward's stock and a partner's codes still add up.
 */
declareUserColumns([
  { table: 'member_badges', column: 'user_id', action: 'delete' },
  { table: 'member_badges', column: 'granted_by', action: 'null' },
  { table: 'member_badges', column: 'revoked_by', action: 'null' },
  { table: 'badge_queue', column: 'user_id', action: 'delete' },
  { table: 'badges', column: 'created_by', action: 'null' },
  { table: 'gamification_log', column: 'actor_id', action: 'null' },
  { table: 'gamification_log', column: 'target_user_id', action: 'null' },
  { table: 'gamification_settings', column: 'updated_by', action: 'null' },
  { table: 'rewards', column: 'created_by', action: 'null' },
  {
    table: 'reward_redemptions',
    column: 'user_id',
    action: 'tombstone',
    note: 'stock and codes stay accounted for',
  },
  {
    table: 'points_ledger',
    column: 'actor_id',
    action: 'null',
    note: 'who reacted, on the points of someone else',
  },
]);

registerExportSection('badges', async (db, userId) =>
  (
    await db
      .selectFrom('member_badges')
      .innerJoin('badges', 'badges.id', 'member_badges.badge_id')
      .innerJoin('communities', 'communities.id', 'member_badges.community_id')
      .select([
        'communities.slug',
        'badges.name',
        'badges.tier',
        'member_badges.reason',
        'member_badges.granted_at',
        'member_badges.revoked_at',
      ])
      .where('member_badges.user_id', '=', userId)
      .orderBy('member_badges.id')
      .execute()
  ).map((b) => ({
    community: b.slug,
    badge: b.name,
    tier: b.tier,
    reason: b.reason,
    grantedAt: iso(b.granted_at),
    revokedAt: isoOrNull(b.revoked_at),
  })),
);

registerExportSection('rewards', async (db, userId) =>
  (
    await db
      .selectFrom('reward_redemptions')
      .innerJoin('rewards', 'rewards.id', 'reward_redemptions.reward_id')
      .innerJoin('communities', 'communities.id', 'reward_redemptions.community_id')
      .select([
        'communities.slug',
        'rewards.title',
        'rewards.kind',
        'reward_redemptions.points_spent',
        'reward_redemptions.code',
        'reward_redemptions.created_at',
      ])
      .where('reward_redemptions.user_id', '=', userId)
      .orderBy('reward_redemptions.id')
      .execute()
  ).map((r) => ({
    community: r.slug,
    reward: r.title,
    kind: r.kind,
    pointsSpent: r.points_spent,
    code: r.code,
    redeemedAt: iso(r.created_at),
  })),
);
