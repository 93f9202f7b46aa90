import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';

/** How many members of the viewer's communities the co-membership signal looks at (bounds the join). */
export const CO_MEMBER_SAMPLE = 2000;

/** Public communities the viewer is not in (nor asked to join) and did not mute. */
export function candidateCommunities(db: Db, viewerId: number | null, muted: number[]) {
  let q = db
    .selectFrom('communities as c')
    .leftJoin('community_activity as a', 'a.community_id', 'c.id')
    .select(['c.id', 'c.slug', 'c.name', 'c.description', 'c.member_count'])
    .select((eb) => eb.fn.coalesce('a.interactions_month', eb.val(0)).as('interactions'))
    .where('c.visibility', '=', 'public');
  if (viewerId != null) {
    q = q.where('c.id', 'not in', (eb) =>
      eb
        .selectFrom('memberships')
        .select('community_id')
        .where('user_id', '=', viewerId)
        .where('status', 'in', ['active', 'pending']),
    );
  }
  if (muted.length) q = q.where('c.id', 'not in', muted);
  return q;
}

/** Followed members who are active members, per public community. */
export async function followedMembersPer(db: Db, followed: number[]) {
  if (!followed.length) return new Map<number, number>();
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('communities as c', 'c.id', 'm.community_id')
    .select(['m.community_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('m.user_id', 'in', followed)
    .where('m.status', '=', 'active')
    .where('c.visibility', '=', 'public')
    .groupBy('m.community_id')
    .execute();
  return new Map(rows.map((r) => [r.community_id, Number(r.n)]));
}

/** "Members of A also joined B": for a sample of the viewer's co-members, where else they are active. */
export async function coMembersPer(db: Db, viewerId: number, memberOf: number[]) {
  if (!memberOf.length) return new Map<number, number>();
  const rows = await db
    .selectFrom('memberships as m2')
    .select(['m2.community_id', (eb) => eb.fn.count<number>('m2.user_id').distinct().as('n')])
    .where('m2.status', '=', 'active')
    .where('m2.user_id', 'in', (eb) =>
      eb
        .selectFrom('memberships as m1')
        .select('m1.user_id')
        .where('m1.community_id', 'in', memberOf)
        .where('m1.status', '=', 'active')
        .where('m1.user_id', '!=', viewerId)
        .limit(CO_MEMBER_SAMPLE),
    )
    .groupBy('m2.community_id')
    .execute();
  return new Map(rows.map((r) => [r.community_id, Number(r.n)]));
}

/** Threads per (community, tag) for the tags given, public communities only. */
export async function taggedThreadsPer(db: Db, tagIds: number[]) {
  const map = new Map<number, Map<number, number>>();
  if (!tagIds.length) return map;
  const rows = await db
    .selectFrom('thread_tags')
    .select(['community_id', 'tag_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tag_id', 'in', tagIds)
    .groupBy(['community_id', 'tag_id'])
    .execute();
  for (const r of rows) {
    const per = map.get(r.community_id) ?? new Map<number, number>();
    per.set(r.tag_id, Number(r.n));
    map.set(r.community_id, per);
  }
  return map;
}

/**
 * Trending tags: the sum of the stored hot ranks of this week's live threads carrying
 * each tag, in public communities only (counts never include private content).
 */
export function trendingTags(db: Db, since: number, muted: number[], limit: number) {
  let q = db
    .selectFrom('threads as t')
    .innerJoin('thread_tags as tt', 'tt.thread_id', 't.id')
    .innerJoin('communities as c', 'c.id', 't.community_id')
    .innerJoin('tags', 'tags.id', 'tt.tag_id')
    .select([
      'tags.id',
      'tags.name',
      (eb) => eb.fn.countAll<number>().as('threads'),
      sql<number>`sum(t.hot_rank)`.as('score'),
    ])
    .where('t.created_at', '>', since)
    .where('t.deleted_at', 'is', null)
    // Held threads (pending approval) are not public yet: they must not shape what is trending.
    .where('t.status', '=', 'visible')
    .where('c.visibility', '=', 'public');
  if (muted.length) q = q.where('tags.id', 'not in', muted);
  return q
    .groupBy(['tags.id', 'tags.name'])
    .orderBy('score', 'desc')
    .orderBy('tags.name')
    .limit(limit)
    .execute();
}
