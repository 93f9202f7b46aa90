import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { DAY } from '../../platform/clock.ts';
import { DEFAULT_SETTINGS } from '../gamification/settings.ts';
import { type Activity, GROWTH_DAYS, WINDOW_DAYS } from './creators.metrics.ts';

/**
 * Loads what creators.metrics.ts computes figures from: content tables (threads, comments,
 * reactions, tags) and follows (feed module), public communities only, last WINDOW_DAYS.
 */
export async function loadActivity(
  db: Db,
  userId: number,
  creatorCommunityIds: number[],
  niches: string[],
  now: number,
): Promise<Activity> {
  const since = now - WINDOW_DAYS * DAY;
  const publicIds = db.selectFrom('communities').select('id').where('visibility', '=', 'public');
  const myThreads = db
    .selectFrom('threads')
    .select('id')
    .where('author_id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('status', '=', 'visible')
    .where('community_id', 'in', publicIds);
  const myComments = db
    .selectFrom('comments')
    .select('id')
    .where('author_id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('status', '=', 'visible')
    .where('community_id', 'in', publicIds);

  const [threads, comments, reactionRows, replyRows, followers, followersBefore, tagRows] = await Promise.all(
    [
      myThreads.where('created_at', '>=', since).execute(),
      myComments.where('created_at', '>=', since).execute(),
      db
        .selectFrom('reactions')
        .innerJoin('users', 'users.id', 'reactions.user_id')
        .select([
          'reactions.user_id',
          'reactions.kind',
          'reactions.created_at',
          'users.created_at as account_created_at',
        ])
        .where('reactions.user_id', '!=', userId)
        .where('reactions.created_at', '>=', since)
        .where((eb) =>
          eb.or([
            eb.and([eb('reactions.target_type', '=', 'thread'), eb('reactions.target_id', 'in', myThreads)]),
            eb.and([
              eb('reactions.target_type', '=', 'comment'),
              eb('reactions.target_id', 'in', myComments),
            ]),
          ]),
        )
        .execute(),
      db
        .selectFrom('comments as c')
        .innerJoin('threads as t', 't.id', 'c.thread_id')
        .leftJoin('comments as p', 'p.id', 'c.parent_id')
        .innerJoin('users as a', 'a.id', 'c.author_id')
        .select(['c.author_id', 'c.created_at', 'c.body', 'a.created_at as account_created_at'])
        .where('c.author_id', '!=', userId)
        .where('c.deleted_at', 'is', null)
        .where('c.status', '=', 'visible')
        .where('c.created_at', '>=', since)
        .where('c.community_id', 'in', publicIds)
        .where((eb) =>
          eb.or([
            eb.and([eb('c.parent_id', 'is', null), eb('t.author_id', '=', userId)]),
            eb('p.author_id', '=', userId),
          ]),
        )
        .execute(),
      countFollowers(db, userId, null),
      countFollowers(db, userId, now - GROWTH_DAYS * DAY),
      db
        .selectFrom('thread_tags')
        .innerJoin('tags', 'tags.id', 'thread_tags.tag_id')
        .innerJoin('threads', 'threads.id', 'thread_tags.thread_id')
        .select(['tags.name', (eb) => eb.fn.countAll<number>().as('n')])
        .where('threads.author_id', '=', userId)
        .where('threads.deleted_at', 'is', null)
        .where('thread_tags.community_id', 'in', publicIds)
        .groupBy('tags.name')
        .orderBy('n', 'desc')
        .orderBy('tags.name')
        .limit(5)
        .execute(),
    ],
  );

  // Reactions the creator gave in the ring window, per author of the content reacted to.
  const ringSince = now - DEFAULT_SETTINGS.ring.windowDays * DAY;
  const given = await sql<{ author_id: number; n: number }>`
    select author_id, count(*) as n from (
      select t.author_id from reactions r join threads t on t.id = r.target_id
      where r.target_type = 'thread' and r.user_id = ${userId} and r.created_at >= ${ringSince}
      union all
      select c.author_id from reactions r join comments c on c.id = r.target_id
      where r.target_type = 'comment' and r.user_id = ${userId} and r.created_at >= ${ringSince}
    ) g group by author_id`.execute(db);

  const engagers = [
    ...new Set([...reactionRows.map((r) => r.user_id), ...replyRows.map((r) => r.author_id)]),
  ];
  const inNiche = await nicheMembers(db, userId, engagers, creatorCommunityIds, niches, since);
  return {
    threads: threads.length,
    comments: comments.length,
    reactions: reactionRows
      .filter((r) => r.kind !== 'downvote')
      .map((r) => ({ userId: r.user_id, at: r.created_at, accountCreatedAt: r.account_created_at })),
    downvotes: reactionRows.filter((r) => r.kind === 'downvote').length,
    replies: replyRows.map((r) => ({
      userId: r.author_id,
      at: r.created_at,
      accountCreatedAt: r.account_created_at,
      body: r.body,
    })),
    followers,
    followersBefore,
    givenTo: new Map(given.rows.map((r) => [r.author_id, Number(r.n)])),
    inNiche,
    topTags: tagRows.map((r) => r.name),
  };
}

async function countFollowers(db: Db, userId: number, before: number | null) {
  let q = db
    .selectFrom('follows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('target_type', '=', 'user')
    .where('target_id', '=', userId);
  if (before != null) q = q.where('created_at', '<', before);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

/**
 * Engagers who belong to the creator's niche: they wrote a thread, or a comment in someone
 * else's thread, in one of the creator's communities (in the window), or they follow or list
 * as an interest one of the creator's niche tags.
 */
async function nicheMembers(
  db: Db,
  creatorId: number,
  engagers: number[],
  communityIds: number[],
  niches: string[],
  since: number,
): Promise<Set<number>> {
  const out = new Set<number>();
  if (!engagers.length) return out;
  if (communityIds.length) {
    const [t, c] = await Promise.all([
      db
        .selectFrom('threads')
        .select('author_id')
        .distinct()
        .where('author_id', 'in', engagers)
        .where('community_id', 'in', communityIds)
        .where('created_at', '>=', since)
        .execute(),
      db
        .selectFrom('comments')
        .innerJoin('threads', 'threads.id', 'comments.thread_id')
        .select('comments.author_id')
        .distinct()
        .where('comments.author_id', 'in', engagers)
        .where('comments.community_id', 'in', communityIds)
        .where('threads.author_id', '!=', creatorId)
        .where('comments.created_at', '>=', since)
        .execute(),
    ]);
    for (const r of [...t, ...c]) out.add(r.author_id);
  }
  if (niches.length) {
    const tagIds = db.selectFrom('tags').select('id').where('name', 'in', niches);
    const [interests, follows] = await Promise.all([
      db
        .selectFrom('user_interests')
        .select('user_id')
        .where('user_id', 'in', engagers)
        .where('tag_id', 'in', tagIds)
        .execute(),
      db
        .selectFrom('follows')
        .select('user_id')
        .where('user_id', 'in', engagers)
        .where('target_type', '=', 'tag')
        .where('target_id', 'in', tagIds)
        .execute(),
    ]);
    for (const r of [...interests, ...follows]) out.add(r.user_id);
  }
  return out;
}
