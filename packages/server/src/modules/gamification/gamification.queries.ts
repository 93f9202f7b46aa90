import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

type Q = Db | Transaction<DB>;

export interface Award {
  communityId: number;
  userId: number;
  source: string;
  reason: string;
  points: number;
  at: number;
}

/** Idempotent: the unique (source, user_id, reason) key turns a redelivery into a no-op. */
export const award = (db: Q, a: Award) =>
  db
    .insertInto('points_ledger')
    .values({
      community_id: a.communityId,
      user_id: a.userId,
      source: a.source,
      reason: a.reason,
      points: a.points,
      created_at: a.at,
    })
    .onConflict((oc) => oc.columns(['source', 'user_id', 'reason']).doNothing())
    .execute();

/** Takes back every award that came from a source (removed content, a withdrawn reaction). */
export const revokeSource = (db: Q, source: string) =>
  db.deleteFrom('points_ledger').where('source', '=', source).execute();

export const revokeSourcePrefix = (db: Q, prefix: string) =>
  db.deleteFrom('points_ledger').where('source', 'like', `${prefix}%`).execute();

export const memberPoints = async (db: Q, communityId: number, userId: number) => {
  const row = await db
    .selectFrom('points_ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), eb.lit(0)).as('total'))
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
};

/** Removed content earns nothing, even from a late or redelivered creation event. */
export const contentIsLive = async (db: Q, type: 'thread' | 'comment', id: number) => {
  const row =
    type === 'thread'
      ? await db.selectFrom('threads').select('deleted_at').where('id', '=', id).executeTakeFirst()
      : await db.selectFrom('comments').select('deleted_at').where('id', '=', id).executeTakeFirst();
  return row !== undefined && row.deleted_at === null;
};

/** Top members by points earned since `since` (0 = all time). */
export const leaderboard = (db: Q, communityId: number, since: number, limit: number) =>
  db
    .selectFrom('points_ledger')
    .innerJoin('users', 'users.id', 'points_ledger.user_id')
    .select((eb) => ['users.username', eb.fn.sum<number>('points_ledger.points').as('points')])
    .where('points_ledger.community_id', '=', communityId)
    .where('points_ledger.created_at', '>=', since)
    // Members who chose to hide themselves are left out (not ranked, not counted).
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('gamification_prefs as gp')
            .select('gp.user_id')
            .whereRef('gp.user_id', '=', 'points_ledger.user_id')
            .whereRef('gp.community_id', '=', 'points_ledger.community_id')
            .where('gp.hide_from_leaderboards', '=', 1),
        ),
      ),
    )
    .groupBy(['users.id', 'users.username'])
    .orderBy('points', 'desc')
    .orderBy('users.username')
    .limit(limit)
    .execute();

/** Reactions `from` gave, since `since`, to threads and comments written by `to` (in one community). */
export const reactionsBetween = async (
  db: Q,
  communityId: number,
  from: number,
  to: number,
  since: number,
) => {
  const row = await db
    .selectFrom('reactions as r')
    .leftJoin('threads as t', (j) => j.onRef('t.id', '=', 'r.target_id').on('r.target_type', '=', 'thread'))
    .leftJoin('comments as c', (j) => j.onRef('c.id', '=', 'r.target_id').on('r.target_type', '=', 'comment'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.user_id', '=', from)
    .where('r.community_id', '=', communityId)
    .where('r.created_at', '>=', since)
    .where((eb) => eb.or([eb('t.author_id', '=', to), eb('c.author_id', '=', to)]))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
};

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

/** UTC day numbers (since `sinceDay`) with a visit or a contribution of the member's own. */
export const activeDays = async (db: Q, communityId: number, userId: number, sinceDay: number) => {
  const rows = await db
    .selectFrom('points_ledger')
    .select('created_at')
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .where('reason', 'in', ['daily_visit', 'thread_created', 'comment_created'])
    .where('created_at', '>=', sinceDay * 86_400_000)
    .execute();
  return new Set(rows.map((r) => Math.floor(Number(r.created_at) / 86_400_000)));
};
