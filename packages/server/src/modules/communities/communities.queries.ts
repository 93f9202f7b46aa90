import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB, MembershipStatus, MembershipsTable } from '../../db/schema.ts';

type Q = Db | Transaction<DB>;

export const findCommunityBySlug = (db: Q, slug: string) =>
  db.selectFrom('communities').selectAll().where('slug', '=', slug.toLowerCase()).executeTakeFirst();

export const findMembership = (db: Q, communityId: number, userId: number) =>
  db
    .selectFrom('memberships')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

/**
 * Communities the viewer may see, most members first: public ones plus the
 * private ones where the viewer is an active or invited member.
 */
export function listVisibleCommunities(
  db: Q,
  args: {
    viewerId: number | null;
    isAdmin: boolean;
    mine: boolean;
    after: [number, number] | null;
    limit: number;
  },
) {
  let query = db.selectFrom('communities').selectAll('communities');
  if (args.mine) {
    query = query
      .innerJoin('memberships as m', 'm.community_id', 'communities.id')
      .where('m.user_id', '=', args.viewerId ?? -1)
      .where('m.status', '=', 'active');
  } else if (!args.isAdmin) {
    query = query.where((eb) =>
      eb.or([
        eb('communities.visibility', '=', 'public'),
        eb(
          'communities.id',
          'in',
          eb
            .selectFrom('memberships')
            .select('community_id')
            .where('user_id', '=', args.viewerId ?? -1)
            .where('status', 'in', ['active', 'invited']),
        ),
      ]),
    );
  }
  if (args.after) {
    const [count, id] = args.after;
    query = query.where((eb) =>
      eb.or([
        eb('communities.member_count', '<', count),
        eb.and([eb('communities.member_count', '=', count), eb('communities.id', '>', id)]),
      ]),
    );
  }
  return query
    .orderBy('communities.member_count', 'desc')
    .orderBy('communities.id', 'asc')
    .limit(args.limit + 1)
    .execute();
}

export const updateMembership = (
  db: Q,
  communityId: number,
  userId: number,
  set: Partial<
    Pick<MembershipsTable, 'role' | 'status' | 'guidelines_accepted_at' | 'joined_at' | 'invited_by'>
  >,
) =>
  db
    .updateTable('memberships')
    .set(set)
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .execute();

export const listMembershipsOf = (db: Q, viewerId: number, communityIds: number[]) =>
  communityIds.length
    ? db
        .selectFrom('memberships')
        .select(['community_id', 'role', 'status', 'guidelines_accepted_at'])
        .where('user_id', '=', viewerId)
        .where('community_id', 'in', communityIds)
        .execute()
    : Promise.resolve([]);

export function listMembers(
  db: Q,
  args: { communityId: number; status: MembershipStatus; afterUserId: number | null; limit: number },
) {
  let query = db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'users.id as userId',
      'users.username',
      'users.display_name',
      'users.avatar_url',
      'memberships.role',
      'memberships.status',
      'memberships.joined_at',
      'memberships.guidelines_accepted_at',
    ])
    .where('memberships.community_id', '=', args.communityId)
    .where('memberships.status', '=', args.status);
  if (args.afterUserId != null) query = query.where('memberships.user_id', '>', args.afterUserId);
  return query
    .orderBy('memberships.user_id')
    .limit(args.limit + 1)
    .execute();
}

export const countOwners = async (db: Q, communityId: number) =>
  Number(
    (
      await db
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('community_id', '=', communityId)
        .where('role', '=', 'owner')
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow()
    ).n,
  );

export const adjustMemberCount = (db: Q, communityId: number, delta: number) =>
  db
    .updateTable('communities')
    .set((eb) => ({ member_count: eb('member_count', '+', delta) }))
    .where('id', '=', communityId)
    .execute();

export const adjustThreadCount = (db: Q, communityId: number, delta: number) =>
  db
    .updateTable('communities')
    .set((eb) => ({ thread_count: eb('thread_count', '+', delta) }))
    .where('id', '=', communityId)
    .execute();
