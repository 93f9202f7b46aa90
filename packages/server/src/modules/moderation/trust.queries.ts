import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import { DAY } from '../../platform/clock.ts';
import type { TrustStats } from './trust.ts';

/** Activity statistics behind trust levels, read tracking and visits. */
type Q = Db | Transaction<DB>;
const n = (v: unknown) => Number(v ?? 0);

export const findTrust = (db: Q, communityId: number, userId: number) =>
  db
    .selectFrom('trust_levels')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

/** The level in force: a pinned level wins over the computed one. */
export async function levelOf(db: Q, communityId: number, userId: number): Promise<number> {
  const row = await findTrust(db, communityId, userId);
  return row?.manual_level ?? row?.level ?? 0;
}

/**
 * Stores a computed level. A level pinned meanwhile (concurrent request) stays: the stored
 * level is the pinned one whenever there is one, and this never touches the pin itself.
 */
export const saveComputed = (
  db: Q,
  r: { communityId: number; userId: number; level: number; promotedAt: number; stats: string; now: number },
) =>
  db
    .insertInto('trust_levels')
    .values({
      community_id: r.communityId,
      user_id: r.userId,
      level: r.level,
      manual_level: null,
      promoted_at: r.promotedAt,
      stats: r.stats,
      computed_at: r.now,
    })
    .onConflict((oc) =>
      oc.columns(['community_id', 'user_id']).doUpdateSet((eb) => ({
        level: sql<number>`coalesce(${eb.ref('trust_levels.manual_level')}, ${r.level})`,
        promoted_at: r.promotedAt,
        stats: r.stats,
        computed_at: r.now,
      })),
    )
    .execute();

/** Pins a level (or unpins with null, back to level 0 until recomputed). */
export const saveManual = (
  db: Q,
  r: { communityId: number; userId: number; manual: number | null; now: number },
) =>
  db
    .insertInto('trust_levels')
    .values({
      community_id: r.communityId,
      user_id: r.userId,
      level: r.manual ?? 0,
      manual_level: r.manual,
      promoted_at: r.now,
      stats: '{}',
      computed_at: r.now,
    })
    .onConflict((oc) =>
      oc.columns(['community_id', 'user_id']).doUpdateSet({
        level: r.manual ?? 0,
        manual_level: r.manual,
        promoted_at: r.now,
      }),
    )
    .execute();

/** The member's active communities with their level there (0 until one was computed). */
export const activeLevelsOfUser = (db: Q, userId: number) =>
  db
    .selectFrom('memberships')
    .leftJoin('trust_levels', (j) =>
      j
        .onRef('trust_levels.community_id', '=', 'memberships.community_id')
        .onRef('trust_levels.user_id', '=', 'memberships.user_id'),
    )
    .select(['memberships.community_id', 'trust_levels.level'])
    .where('memberships.user_id', '=', userId)
    .where('memberships.status', '=', 'active')
    .execute();

export const levelsOfUser = (db: Q, userId: number) =>
  db
    .selectFrom('trust_levels')
    .innerJoin('communities', 'communities.id', 'trust_levels.community_id')
    .select(['trust_levels.community_id', 'trust_levels.level', 'communities.slug', 'communities.visibility'])
    .where('trust_levels.user_id', '=', userId)
    .execute();

export const markVisit = (db: Q, communityId: number, userId: number, at: number) =>
  db
    .insertInto('visit_days')
    .values({ community_id: communityId, user_id: userId, day: Math.floor(at / DAY) })
    .onConflict((oc) => oc.columns(['community_id', 'user_id', 'day']).doNothing())
    .execute();

/** The member's most recent read report anywhere (reading time is credited against wall-clock time). */
export const lastReadAt = async (db: Q, userId: number) =>
  n(
    (
      await db
        .selectFrom('thread_reads')
        .select((eb) => eb.fn.max('last_at').as('last'))
        .where('user_id', '=', userId)
        .executeTakeFirst()
    )?.last,
  ) || null;

export const recordRead = (
  db: Q,
  r: { userId: number; threadId: number; communityId: number; postsRead: number; ms: number; now: number },
) =>
  db
    .insertInto('thread_reads')
    .values({
      user_id: r.userId,
      thread_id: r.threadId,
      community_id: r.communityId,
      posts_read: r.postsRead,
      ms: r.ms,
      first_at: r.now,
      last_at: r.now,
    })
    .onConflict((oc) =>
      oc.columns(['user_id', 'thread_id']).doUpdateSet((eb) => ({
        ms: sql`${eb.ref('thread_reads.ms')} + ${r.ms}`,
        posts_read: sql`case when ${eb.ref('thread_reads.posts_read')} > ${r.postsRead} then ${eb.ref('thread_reads.posts_read')} else ${r.postsRead} end`,
        last_at: r.now,
      })),
    )
    .execute();

/** Everything computeLevel looks at, for one member of one community. */
export async function gatherStats(
  db: Q,
  communityId: number,
  userId: number,
  since: number,
): Promise<TrustStats> {
  const reads = await db
    .selectFrom('thread_reads')
    .select((eb) => [
      eb.fn.countAll<number>().as('threads'),
      eb.fn.sum<number>('posts_read').as('posts'),
      eb.fn.sum<number>('ms').as('ms'),
      sql<number>`sum(case when last_at >= ${since} then 1 else 0 end)`.as('period_threads'),
      sql<number>`sum(case when last_at >= ${since} then posts_read else 0 end)`.as('period_posts'),
    ])
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const sinceDay = Math.floor(since / DAY);
  const visits = await db
    .selectFrom('visit_days')
    .select((eb) => [
      eb.fn.countAll<number>().as('all'),
      sql<number>`sum(case when day >= ${sinceDay} then 1 else 0 end)`.as('period'),
    ])
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const given = await db
    .selectFrom('reactions')
    .select((eb) => [
      eb.fn.countAll<number>().as('all'),
      sql<number>`sum(case when created_at >= ${since} then 1 else 0 end)`.as('period'),
    ])
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .where('kind', '!=', 'downvote')
    .executeTakeFirst();
  const received = await likesReceived(db, communityId, userId, since);
  const replies = await db
    .selectFrom('comments')
    .innerJoin('threads', 'threads.id', 'comments.thread_id')
    .select([
      sql<number>`count(distinct comments.thread_id)`.as('all'),
      sql<number>`count(distinct case when comments.created_at >= ${since} then comments.thread_id end)`.as(
        'period',
      ),
    ])
    .where('comments.community_id', '=', communityId)
    .where('comments.author_id', '=', userId)
    .where('threads.author_id', '!=', userId)
    .where('comments.deleted_at', 'is', null)
    .where('comments.status', '=', 'visible')
    .executeTakeFirst();
  const created = await writtenSince(db, communityId, since);
  const penalties = await db
    .selectFrom('mod_actions')
    .select([
      sql<number>`sum(case when kind = 'remove' then 1 else 0 end)`.as('removed'),
      sql<number>`sum(case when kind in ('mute', 'ban', 'suspend') then 1 else 0 end)`.as('sanctions'),
    ])
    .where('target_user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('created_at', '>=', since)
    .where((eb) => eb.or([eb('community_id', '=', communityId), eb('kind', '=', 'suspend')]))
    .executeTakeFirst();
  return {
    threadsEntered: n(reads?.threads),
    postsRead: n(reads?.posts),
    msRead: n(reads?.ms),
    daysVisited: n(visits?.all),
    likesGiven: n(given?.all),
    likesReceived: received.all,
    repliesInThreads: n(replies?.all),
    period: {
      daysVisited: n(visits?.period),
      repliesInThreads: n(replies?.period),
      threadsRead: n(reads?.period_threads),
      threadsCreated: created.threads,
      postsRead: n(reads?.period_posts),
      postsCreated: created.threads + created.comments,
      likesGiven: n(given?.period),
      likesReceived: received.period,
      likesReceivedDays: received.days,
      likesReceivedUsers: received.users,
      removedPosts: n(penalties?.removed),
      sanctioned: n(penalties?.sanctions) > 0,
    },
  };
}

/** Positive reactions from others on the member's threads and comments. */
async function likesReceived(db: Q, communityId: number, userId: number, since: number) {
  const totals = { all: 0, period: 0 };
  const days = new Set<number>();
  const users = new Set<number>();
  const base = db
    .selectFrom('reactions')
    .select(['reactions.user_id', 'reactions.created_at'])
    .where('reactions.community_id', '=', communityId)
    .where('reactions.user_id', '!=', userId)
    .where('reactions.kind', '!=', 'downvote');
  const onThreads = await base
    .where('reactions.target_type', '=', 'thread')
    .where('reactions.target_id', 'in', (eb) =>
      eb.selectFrom('threads').select('threads.id').where('threads.author_id', '=', userId),
    )
    .execute();
  const onComments = await base
    .where('reactions.target_type', '=', 'comment')
    .where('reactions.target_id', 'in', (eb) =>
      eb.selectFrom('comments').select('comments.id').where('comments.author_id', '=', userId),
    )
    .execute();
  for (const r of [...onThreads, ...onComments]) {
    totals.all++;
    if (r.created_at < since) continue;
    totals.period++;
    days.add(Math.floor(r.created_at / DAY));
    users.add(r.user_id);
  }
  return { ...totals, days: days.size, users: users.size };
}

/** Visible threads or comments a community wrote since `since` (TL3's denominator): an index range. */
export const writtenSinceQuery = (db: Q, table: 'threads' | 'comments', communityId: number, since: number) =>
  db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .where('created_at', '>=', since)
    // Literal, not a parameter: it must match the partial indexes' predicate (migration 0017).
    .where(sql<boolean>`deleted_at is null and status = 'visible'`);

async function writtenSince(db: Q, communityId: number, since: number) {
  const count = async (table: 'threads' | 'comments') =>
    n((await writtenSinceQuery(db, table, communityId, since).executeTakeFirst())?.n);
  return { threads: await count('threads'), comments: await count('comments') };
}

/** Members whose level may change with time (active in the window, or TL3 who may lose it). */
export const membersToRecompute = (db: Q, since: number) =>
  db
    .selectFrom('memberships')
    .select(['community_id', 'user_id'])
    .where('status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('visit_days')
            .select('visit_days.day')
            .whereRef('visit_days.community_id', '=', 'memberships.community_id')
            .whereRef('visit_days.user_id', '=', 'memberships.user_id')
            .where('visit_days.day', '>=', Math.floor(since / DAY)),
        ),
        eb.exists(
          eb
            .selectFrom('trust_levels')
            .select('trust_levels.level')
            .whereRef('trust_levels.community_id', '=', 'memberships.community_id')
            .whereRef('trust_levels.user_id', '=', 'memberships.user_id')
            .where('trust_levels.level', '>=', 3),
        ),
      ]),
    )
    .execute();
