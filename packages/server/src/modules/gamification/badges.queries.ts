import { sql } from 'kysely';
import type { BadgeTier } from '../../db/schema.ts';
import type { BadgeDef } from './badges.rules.ts';
import type { Q } from './gamification.queries.ts';
import { NEWCOMER_WINDOW } from './sources.queries.ts';

/** Badges, members' badges, the evaluation queue, the gamification log. */

const BADGE_COLUMNS = [
  'id',
  'community_id',
  'slug',
  'name',
  'description',
  'tier',
  'rule',
  'is_default',
  'enabled',
] as const;

export const listBadges = (db: Q, communityId: number) =>
  db
    .selectFrom('badges')
    .select(BADGE_COLUMNS)
    .select((eb) =>
      eb
        .selectFrom('member_badges as mb')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('mb.badge_id', '=', 'badges.id')
        .where('mb.revoked_at', 'is', null)
        .as('holders'),
    )
    .where('community_id', '=', communityId)
    .orderBy('id')
    .execute();

export const findBadge = (db: Q, communityId: number, id: number) =>
  db
    .selectFrom('badges')
    .select(BADGE_COLUMNS)
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .executeTakeFirst();

export const enabledRuleBadges = (db: Q, communityId: number) =>
  db
    .selectFrom('badges')
    .select(['id', 'slug', 'tier', 'rule'])
    .where('community_id', '=', communityId)
    .where('enabled', '=', 1)
    .execute();

export const countDefaultBadges = async (db: Q, communityId: number) =>
  Number(
    (
      await db
        .selectFrom('badges')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('community_id', '=', communityId)
        .where('is_default', '=', 1)
        .executeTakeFirst()
    )?.n ?? 0,
  );

/** Inserts badge definitions; ones already there (same slug) are left as the community edited them. */
export const insertBadges = (
  db: Q,
  communityId: number,
  defs: readonly BadgeDef[],
  isDefault: boolean,
  by: number | null,
  now: number,
) =>
  db
    .insertInto('badges')
    .values(
      defs.map((d) => ({
        community_id: communityId,
        slug: d.slug,
        name: d.name,
        description: d.description,
        tier: d.tier,
        rule: JSON.stringify(d.rule),
        is_default: isDefault ? 1 : 0,
        enabled: 1,
        created_by: by,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['community_id', 'slug']).doNothing())
    .returning('id')
    .execute();

export const updateBadge = (
  db: Q,
  id: number,
  set: Partial<{ name: string; description: string; tier: BadgeTier; enabled: number; rule: string }>,
) => db.updateTable('badges').set(set).where('id', '=', id).execute();

/** Idempotent grant: the unique (badge, member) key; returns whether this call granted it. */
export const grantBadge = async (
  db: Q,
  g: { badgeId: number; communityId: number; userId: number; by: number | null; reason: string; now: number },
) => {
  const r = await db
    .insertInto('member_badges')
    .values({
      badge_id: g.badgeId,
      community_id: g.communityId,
      user_id: g.userId,
      granted_at: g.now,
      granted_by: g.by,
      reason: g.reason,
    })
    .onConflict((oc) => oc.columns(['badge_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
};

export const findMemberBadge = (db: Q, badgeId: number, userId: number) =>
  db
    .selectFrom('member_badges')
    .select(['id', 'revoked_at'])
    .where('badge_id', '=', badgeId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

export const regrantBadge = (db: Q, id: number, by: number, reason: string, now: number) =>
  db
    .updateTable('member_badges')
    .set({ revoked_at: null, revoked_by: null, granted_at: now, granted_by: by, reason, seen_at: null })
    .where('id', '=', id)
    .execute();

/** A revoked badge keeps its row, so the job never grants it again. */
export const revokeBadge = (db: Q, id: number, by: number, now: number) =>
  db.updateTable('member_badges').set({ revoked_at: now, revoked_by: by }).where('id', '=', id).execute();

/** Badge ids a member holds or had revoked (the job skips both). */
export const decidedBadgeIds = async (db: Q, communityId: number, userId: number) =>
  new Set(
    (
      await db
        .selectFrom('member_badges')
        .select('badge_id')
        .where('community_id', '=', communityId)
        .where('user_id', '=', userId)
        .execute()
    ).map((r) => r.badge_id),
  );

/** Badges members hold (not revoked), with their definitions. */
export const heldBadges = (db: Q, communityId: number, userIds: number[]) =>
  userIds.length
    ? db
        .selectFrom('member_badges as mb')
        .innerJoin('badges as b', 'b.id', 'mb.badge_id')
        .select([
          'mb.user_id',
          'b.id',
          'b.slug',
          'b.name',
          'b.description',
          'b.tier',
          'mb.granted_at',
          'mb.granted_by',
        ])
        .where('mb.community_id', '=', communityId)
        .where('mb.user_id', 'in', userIds)
        .where('mb.revoked_at', 'is', null)
        .orderBy('mb.granted_at')
        .orderBy('b.id')
        .execute()
    : Promise.resolve([]);

export const unseenBadges = (db: Q, userId: number) =>
  db
    .selectFrom('member_badges as mb')
    .innerJoin('badges as b', 'b.id', 'mb.badge_id')
    .innerJoin('communities as c', 'c.id', 'mb.community_id')
    .select([
      'mb.id',
      'mb.granted_at',
      'b.id as badge_id',
      'b.slug',
      'b.name',
      'b.description',
      'b.tier',
      'c.slug as community_slug',
      'c.name as community_name',
    ])
    .where('mb.user_id', '=', userId)
    .where('mb.seen_at', 'is', null)
    .where('mb.revoked_at', 'is', null)
    .orderBy('mb.id')
    .limit(20)
    .execute();

export const markSeen = (db: Q, userId: number, ids: number[], now: number) =>
  db
    .updateTable('member_badges')
    .set({ seen_at: now })
    .where('user_id', '=', userId)
    .where('id', 'in', ids)
    .where('seen_at', 'is', null)
    .executeTakeFirst();

// --- the evaluation queue ---

export const queuedMembers = (db: Q, limit: number) =>
  db
    .selectFrom('badge_queue')
    .select(['community_id', 'user_id'])
    .orderBy('queued_at')
    .limit(limit)
    .execute();

export const dequeue = (db: Q, communityId: number, userId: number) =>
  db
    .deleteFrom('badge_queue')
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .execute();

// --- stats the rules read ---

export const countLiveContent = async (
  db: Q,
  table: 'threads' | 'comments',
  communityId: number,
  userId: number,
) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('community_id', '=', communityId)
        .where('author_id', '=', userId)
        .where('deleted_at', 'is', null)
        .where('status', '=', 'visible')
        .executeTakeFirst()
    )?.n ?? 0,
  );

/** The member's live comments with reactions (not downvotes) from at least `k` distinct other members. */
export const reactedReplies = async (db: Q, communityId: number, userId: number, k: number) => {
  const r = await sql<{ n: number }>`
    select count(*) as n from (
      select c.id from comments c
      join reactions r on r.target_type = 'comment' and r.target_id = c.id
      where c.community_id = ${communityId} and c.author_id = ${userId}
        and c.deleted_at is null and c.status = 'visible'
        and r.user_id <> ${userId} and r.kind <> 'downvote'
      group by c.id
      having count(distinct r.user_id) >= ${k}
    ) x`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
};

/**
 * Newcomers the member welcomed: distinct other members whose thread (for a top-level comment) or
 * comment (for a reply) the member answered within 14 days of that member joining.
 */
export const welcomedNewcomers = async (db: Q, communityId: number, userId: number) => {
  const r = await sql<{ n: number }>`
    select count(distinct m.user_id) as n
    from comments c
    join threads t on t.id = c.thread_id
    left join comments p on p.id = c.parent_id
    join memberships m on m.community_id = c.community_id
      and m.user_id = coalesce(p.author_id, t.author_id)
    where c.community_id = ${communityId} and c.author_id = ${userId}
      and c.deleted_at is null and c.status = 'visible'
      and m.user_id <> ${userId}
      and m.joined_at is not null
      and c.created_at <= m.joined_at + ${NEWCOMER_WINDOW}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
};

export const acceptedGuidelines = async (db: Q, communityId: number, userId: number) => {
  const m = await db
    .selectFrom('memberships')
    .select('guidelines_accepted_at')
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return m?.guidelines_accepted_at != null;
};

// --- the log of moderators' gamification actions ---

export const insertLog = (
  db: Q,
  e: {
    communityId: number;
    actorId: number | null;
    action: string;
    targetUserId?: number | null;
    badgeId?: number | null;
    rewardId?: number | null;
    reason?: string;
    now: number;
  },
) =>
  db
    .insertInto('gamification_log')
    .values({
      community_id: e.communityId,
      actor_id: e.actorId,
      action: e.action,
      target_user_id: e.targetUserId ?? null,
      badge_id: e.badgeId ?? null,
      reward_id: e.rewardId ?? null,
      reason: e.reason ?? '',
      created_at: e.now,
    })
    .execute();

export const listLog = (db: Q, communityId: number, before: number | null, limit: number) => {
  let q = db
    .selectFrom('gamification_log as g')
    .leftJoin('users as a', 'a.id', 'g.actor_id')
    .leftJoin('users as t', 't.id', 'g.target_user_id')
    .leftJoin('badges as b', 'b.id', 'g.badge_id')
    .leftJoin('rewards as r', 'r.id', 'g.reward_id')
    .select([
      'g.id',
      'g.action',
      'g.reason',
      'g.created_at',
      'a.username as actor',
      't.username as target',
      'b.name as badge_name',
      'r.title as reward_title',
    ])
    .where('g.community_id', '=', communityId);
  if (before !== null) q = q.where('g.id', '<', before);
  return q
    .orderBy('g.id', 'desc')
    .limit(limit + 1)
    .execute();
};
