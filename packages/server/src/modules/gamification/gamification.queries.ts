import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import { DAY } from '../../platform/clock.ts';

/** The points ledger, leaderboards and members' own choices. */
export type Q = Db | Transaction<DB>;

const SPENT = 'redeemed';

export interface Award {
  communityId: number;
  userId: number;
  source: string;
  reason: string;
  points: number;
  at: number;
  /** The thread the points came from (per-tag leaderboards; removing a thread takes them back). */
  threadId?: number | null;
  /** Who caused them (the reactor, the acceptor), so a reaction ring can take them back. */
  actorId?: number | null;
}

/** Idempotent: the unique (source, user_id, reason) key turns a redelivery into a no-op. */
export const insertAward = (db: Q, a: Award) =>
  db
    .insertInto('points_ledger')
    .values({
      community_id: a.communityId,
      user_id: a.userId,
      source: a.source,
      reason: a.reason,
      points: a.points,
      created_at: a.at,
      thread_id: a.threadId ?? null,
      actor_id: a.actorId ?? null,
    })
    .onConflict((oc) => oc.columns(['source', 'user_id', 'reason']).doNothing())
    .executeTakeFirst();

/** Points a member already earned from one reason on the UTC day of `at` (for daily caps). */
export const pointsOnDay = async (db: Q, communityId: number, userId: number, reason: string, at: number) => {
  const start = Math.floor(at / DAY) * DAY;
  const row = await db
    .selectFrom('points_ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), eb.lit(0)).as('total'))
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .where('reason', '=', reason)
    .where('created_at', '>=', start)
    .where('created_at', '<', start + DAY)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
};

export const hasAward = async (db: Q, source: string) =>
  (await db.selectFrom('points_ledger').select('id').where('source', '=', source).executeTakeFirst()) !==
  undefined;

/** Takes back every award that came from a source (removed content, a withdrawn reaction). */
export const revokeSource = (db: Q, source: string) =>
  db.deleteFrom('points_ledger').where('source', '=', source).execute();

export const revokeSourcePrefix = (db: Q, prefix: string) =>
  db.deleteFrom('points_ledger').where('source', 'like', `${prefix}%`).execute();

/** A removed thread earns nothing: its own points, its comments', every reaction and answer in it. */
export const revokeThread = (db: Q, threadId: number) =>
  db.deleteFrom('points_ledger').where('thread_id', '=', threadId).where('reason', '<>', SPENT).execute();

/** A reaction ring: what the two traded since `since` (reactions, accepted answers) is taken back. */
export const revokePair = (db: Q, communityId: number, a: number, b: number, since: number) =>
  db
    .deleteFrom('points_ledger')
    .where('community_id', '=', communityId)
    .where('reason', 'in', ['reaction_received', 'accepted_answer'])
    .where('created_at', '>=', since)
    .where((eb) =>
      eb.or([
        eb.and([eb('user_id', '=', a), eb('actor_id', '=', b)]),
        eb.and([eb('user_id', '=', b), eb('actor_id', '=', a)]),
      ]),
    )
    .execute();

/** Points earned (redemptions do not lower them): levels, leaderboards and badges use these. */
export const earnedPoints = async (db: Q, communityId: number, userId: number) =>
  (await earnedPointsOf(db, communityId, [userId])).get(userId) ?? 0;

export const earnedPointsOf = async (db: Q, communityId: number, userIds: number[]) => {
  const out = new Map<number, number>();
  if (!userIds.length) return out;
  const rows = await db
    .selectFrom('points_ledger')
    .select((eb) => ['user_id', eb.fn.sum<number>('points').as('total')])
    .where('community_id', '=', communityId)
    .where('user_id', 'in', [...new Set(userIds)])
    .where('reason', '<>', SPENT)
    .groupBy('user_id')
    .execute();
  for (const r of rows) out.set(r.user_id, Number(r.total));
  return out;
};

/** What a member can spend: earned minus redeemed (take-backs after spending can make it negative). */
export const spendableBalance = async (db: Q, communityId: number, userId: number) => {
  const row = await db
    .selectFrom('points_ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), eb.lit(0)).as('total'))
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
};

export const countByReason = async (db: Q, communityId: number, userId: number, reason: string) => {
  const row = await db
    .selectFrom('points_ledger')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .where('reason', '=', reason)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
};

export interface BoardArgs {
  communityId: number;
  since: number;
  /** Only points from threads carrying this tag (and their comments and reactions). */
  tag: string | null;
  limit: number;
}

/**
 * Top active members by points earned since `since` (0 = all time). Left out: members who
 * chose to hide, members no longer active here, and spending (it is not earning).
 */
export function leaderboard(db: Q, args: BoardArgs) {
  let q = db
    .selectFrom('points_ledger as l')
    .innerJoin('users', 'users.id', 'l.user_id')
    .innerJoin('memberships as m', (j) =>
      j.onRef('m.user_id', '=', 'l.user_id').onRef('m.community_id', '=', 'l.community_id'),
    )
    .select((eb) => ['users.id', 'users.username', eb.fn.sum<number>('l.points').as('points')])
    .where('l.community_id', '=', args.communityId)
    .where('l.created_at', '>=', args.since)
    .where('l.reason', '<>', SPENT)
    .where('m.status', '=', 'active')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('gamification_prefs as gp')
            .select('gp.user_id')
            .whereRef('gp.user_id', '=', 'l.user_id')
            .whereRef('gp.community_id', '=', 'l.community_id')
            .where('gp.hide_from_leaderboards', '=', 1),
        ),
      ),
    );
  if (args.tag !== null) {
    const tag = args.tag;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('thread_tags as tt')
          .innerJoin('tags', 'tags.id', 'tt.tag_id')
          .select('tt.thread_id')
          .whereRef('tt.thread_id', '=', 'l.thread_id')
          .where('tags.name', '=', tag),
      ),
    );
  }
  return q
    .groupBy(['users.id', 'users.username'])
    .having((eb) => eb.fn.sum('l.points'), '>', 0)
    .orderBy('points', 'desc')
    .orderBy('users.username')
    .limit(args.limit)
    .execute();
}

/** The tags points were earned under in a period, most first (the tag selector of the board). */
export const boardTags = (db: Q, communityId: number, since: number) =>
  db
    .selectFrom('points_ledger as l')
    .innerJoin('thread_tags as tt', 'tt.thread_id', 'l.thread_id')
    .innerJoin('tags', 'tags.id', 'tt.tag_id')
    .select((eb) => ['tags.name', eb.fn.sum<number>('l.points').as('points')])
    .where('l.community_id', '=', communityId)
    .where('l.created_at', '>=', since)
    .where('l.reason', '<>', SPENT)
    .groupBy('tags.name')
    .having((eb) => eb.fn.sum('l.points'), '>', 0)
    .orderBy('points', 'desc')
    .orderBy('tags.name')
    .limit(20)
    .execute();

export const setHidden = (db: Q, communityId: number, userId: number, hidden: boolean) =>
  db
    .insertInto('gamification_prefs')
    .values({ community_id: communityId, user_id: userId, hide_from_leaderboards: hidden ? 1 : 0 })
    .onConflict((oc) =>
      oc.columns(['community_id', 'user_id']).doUpdateSet({ hide_from_leaderboards: hidden ? 1 : 0 }),
    )
    .execute();

export const isHidden = async (db: Q, communityId: number, userId: number) => {
  const row = await db
    .selectFrom('gamification_prefs')
    .select('hide_from_leaderboards')
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.hide_from_leaderboards === 1;
};

/**
 * Locks the member's balance row for the rest of the transaction (PostgreSQL: the upsert takes
 * the row lock; SQLite: the write takes the database's one write lock), so two redemptions by
 * the same member read the balance one after the other.
 */
export const lockBalance = (db: Q, communityId: number, userId: number) =>
  db
    .insertInto('gamification_prefs')
    .values({ community_id: communityId, user_id: userId, hide_from_leaderboards: 0, balance_version: 1 })
    .onConflict((oc) =>
      oc
        .columns(['community_id', 'user_id'])
        .doUpdateSet((eb) => ({ balance_version: eb('gamification_prefs.balance_version', '+', 1) })),
    )
    .execute();

/** UTC day numbers (since `sinceDay`) with a visit or a contribution of the member's own. */
export const activeDays = async (db: Q, communityId: number, userId: number, sinceDay: number) => {
  const rows = await db
    .selectFrom('points_ledger')
    .select('created_at')
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .where('reason', 'in', ['daily_visit', 'thread_created', 'comment_created'])
    .where('created_at', '>=', sinceDay * DAY)
    .execute();
  return new Set(rows.map((r) => Math.floor(Number(r.created_at) / DAY)));
};

/** Members whose badges need evaluating; a newer enqueue moves `queued_at` so it is not lost. */
export const enqueueBadges = (db: Q, communityId: number, userId: number, now: number) =>
  db
    .insertInto('badge_queue')
    .values({ community_id: communityId, user_id: userId, queued_at: now })
    .onConflict((oc) => oc.columns(['community_id', 'user_id']).doUpdateSet({ queued_at: now }))
    .execute();
