import type { Events } from '../../platform/events.ts';
import '../communities/communities.events.ts';
import { ensureDefaultBadges } from './badges.service.ts';
import { enqueueBadges } from './gamification.queries.ts';
import { registerLevelGate } from './gate.ts';
import { registerPointHandlers } from './points.ts';

/** Events the gamification module emits. */
declare module '../../platform/events.ts' {
  interface EventMap {
    /** A member earned a badge (a rule, or a moderator's grant); realtime delivers it live. */
    'gamification.badge_earned': {
      communityId: number;
      userId: number;
      badgeId: number;
      badgeSlug: string;
      tier: string;
    };
    'gamification.badge_revoked': { communityId: number; userId: number; badgeId: number; by: number };
    'gamification.reward_redeemed': {
      communityId: number;
      userId: number;
      rewardId: number;
      redemptionId: number;
      pointsSpent: number;
    };
  }
}

/**
 * Events in: content, moderation and communities events become points (points.ts); new
 * communities get the default badges; joining queues a badge evaluation (guidelines badge).
 * Also installs the level-gated tags write gate.
 */
export function registerGamificationHandlers(events: Events): void {
  registerPointHandlers(events);
  registerLevelGate(events);
  events.on('communities.created', 'gamification.default_badges', async (p, { db, occurredAt }) => {
    await ensureDefaultBadges(db, p.communityId, occurredAt);
    await enqueueBadges(db, p.communityId, p.ownerId, occurredAt);
  });
  events.on('communities.member_joined', 'gamification.badges_on_join', async (p, { db, occurredAt }) => {
    await enqueueBadges(db, p.communityId, p.userId, occurredAt);
  });
}
