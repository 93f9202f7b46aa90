import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB, FollowsTable } from '../../db/schema.ts';

type Q = Db | Transaction<DB>;
export type Relation = 'follows' | 'mutes';
export type TargetType = FollowsTable['target_type'];

export const findUserId = async (db: Q, username: string) =>
  (
    await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', username.toLowerCase())
      .executeTakeFirst()
  )?.id;

export const findCommunity = (db: Q, slug: string) =>
  db
    .selectFrom('communities')
    .select(['id', 'visibility'])
    .where('slug', '=', slug.toLowerCase())
    .executeTakeFirst();

/** Adds a follow or mute; true when it is new. */
export async function addRelation(
  db: Q,
  rel: Relation,
  userId: number,
  type: TargetType,
  targetId: number,
  now: number,
) {
  const res = await db
    .insertInto(rel)
    .values({ user_id: userId, target_type: type, target_id: targetId, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'target_type', 'target_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export const removeRelation = (db: Q, rel: Relation, userId: number, type: TargetType, targetId: number) =>
  db
    .deleteFrom(rel)
    .where('user_id', '=', userId)
    .where('target_type', '=', type)
    .where('target_id', '=', targetId)
    .execute();

interface ListArgs {
  rel: Relation;
  userId: number;
  after: [number, number] | null;
  limit: number;
}

/** Newest first, keyset on (created_at, target_id). */
function relationRows(db: Q, a: ListArgs, type: TargetType) {
  let q = db.selectFrom(`${a.rel} as r`).where('r.user_id', '=', a.userId).where('r.target_type', '=', type);
  if (a.after) {
    const [at, id] = a.after;
    q = q.where((eb) =>
      eb.or([eb('r.created_at', '<', at), eb.and([eb('r.created_at', '=', at), eb('r.target_id', '<', id)])]),
    );
  }
  return q
    .orderBy('r.created_at', 'desc')
    .orderBy('r.target_id', 'desc')
    .limit(a.limit + 1);
}

export const listUsers = (db: Q, a: ListArgs) =>
  relationRows(db, a, 'user')
    .innerJoin('users as u', 'u.id', 'r.target_id')
    .select(['r.target_id', 'r.created_at', 'u.username', 'u.display_name', 'u.avatar_url'])
    .execute();

export const listTags = (db: Q, a: ListArgs) =>
  relationRows(db, a, 'tag')
    .innerJoin('tags as t', 't.id', 'r.target_id')
    .select(['r.target_id', 'r.created_at', 't.name'])
    .execute();

export const listCommunities = (db: Q, a: ListArgs) =>
  relationRows(db, a, 'community')
    .innerJoin('communities as c', 'c.id', 'r.target_id')
    .select(['r.target_id', 'r.created_at', 'c.slug', 'c.name'])
    .execute();

/**
 * Everything the home feed and discovery need to know about one member, in one query:
 * follows, mutes, interests (with the names of the tags involved) and active memberships.
 */
export async function loadSocialGraph(db: Q, userId: number) {
  const tagName = (col: string) =>
    sql<string | null>`(select name from tags where tags.id = ${sql.ref(col)})`.as('name');
  const rows = await db
    .selectFrom('follows')
    .select([
      sql<string>`'follows'`.as('rel'),
      'target_type',
      'target_id',
      sql<
        string | null
      >`case when target_type = 'tag' then (select name from tags where tags.id = target_id) end`.as('name'),
    ])
    .where('user_id', '=', userId)
    .unionAll(
      db
        .selectFrom('mutes')
        .select([
          sql<string>`'mutes'`.as('rel'),
          'target_type',
          'target_id',
          sql<string | null>`null`.as('name'),
        ])
        .where('user_id', '=', userId),
    )
    .unionAll(
      db
        .selectFrom('user_interests')
        .select([
          sql<string>`'interest'`.as('rel'),
          sql<TargetType>`'tag'`.as('target_type'),
          'tag_id as target_id',
          tagName('user_interests.tag_id'),
        ])
        .where('user_id', '=', userId),
    )
    .unionAll(
      db
        .selectFrom('memberships')
        .select([
          sql<string>`'member'`.as('rel'),
          sql<TargetType>`'community'`.as('target_type'),
          'community_id as target_id',
          sql<string | null>`null`.as('name'),
        ])
        .where('user_id', '=', userId)
        .where('status', '=', 'active'),
    )
    .execute();
  const pick = (rel: string, type: string) =>
    rows.filter((r) => r.rel === rel && r.target_type === type).map((r) => r.target_id);
  const tagNames = new Map<number, string>();
  for (const r of rows) if (r.name != null && r.target_type === 'tag') tagNames.set(r.target_id, r.name);
  return {
    followedUsers: pick('follows', 'user'),
    followedTags: pick('follows', 'tag'),
    mutedUsers: pick('mutes', 'user'),
    mutedCommunities: pick('mutes', 'community'),
    mutedTags: pick('mutes', 'tag'),
    interests: pick('interest', 'tag'),
    memberOf: pick('member', 'community'),
    /** Names of the interests and followed tags. */
    tagNames,
  };
}
export type SocialGraph = Awaited<ReturnType<typeof loadSocialGraph>>;
