import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

/** SQL of brands, creators, campaigns, deliverables and payouts (DESIGN rule 5). */
type Q = Db | Transaction<DB>;

export const findBrandBySlug = (db: Q, slug: string) =>
  db.selectFrom('brands').selectAll().where('slug', '=', slug.toLowerCase()).executeTakeFirst();
export const findBrandById = (db: Q, id: number) =>
  db.selectFrom('brands').selectAll().where('id', '=', id).executeTakeFirst();
export type BrandRow = NonNullable<Awaited<ReturnType<typeof findBrandById>>>;

export const brandRole = async (db: Q, brandId: number, userId: number) =>
  (
    await db
      .selectFrom('brand_members')
      .select('role')
      .where('brand_id', '=', brandId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
  )?.role ?? null;

export const isAnyBrandMember = async (db: Q, userId: number) =>
  !!(await db
    .selectFrom('brand_members')
    .select('brand_id')
    .where('user_id', '=', userId)
    .executeTakeFirst());

export const listMyBrands = (db: Q, userId: number | null) => {
  let q = db
    .selectFrom('brands')
    .leftJoin('brand_members', (j) =>
      j.onRef('brand_members.brand_id', '=', 'brands.id').on('brand_members.user_id', '=', userId ?? 0),
    )
    .selectAll('brands')
    .select('brand_members.role as my_role');
  if (userId != null) q = q.where('brand_members.user_id', '=', userId);
  return q.orderBy('brands.name').limit(200).execute();
};

export const listBrandMembers = (db: Q, brandId: number) =>
  db
    .selectFrom('brand_members')
    .innerJoin('users', 'users.id', 'brand_members.user_id')
    .select([
      'brand_members.role',
      'brand_members.created_at',
      'users.id',
      'users.username',
      'users.display_name',
    ])
    .where('brand_members.brand_id', '=', brandId)
    .orderBy('users.username')
    .execute();

export const findUserByUsername = (db: Q, username: string) =>
  db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'created_at'])
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();

export const findUsers = (db: Q, ids: number[]) =>
  ids.length
    ? db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute()
    : Promise.resolve([]);

export const findCommunityBySlug = (db: Q, slug: string) =>
  db
    .selectFrom('communities')
    .select(['id', 'slug', 'name', 'visibility'])
    .where('slug', '=', slug.toLowerCase())
    .executeTakeFirst();

export const findCommunities = (db: Q, ids: number[]) =>
  ids.length
    ? db
        .selectFrom('communities')
        .select(['id', 'slug', 'name', 'visibility'])
        .where('id', 'in', ids)
        .execute()
    : Promise.resolve([]);

/** Communities in which the user is an active owner. */
export const ownedCommunityIds = async (db: Q, userId: number, among: number[]) =>
  among.length
    ? (
        await db
          .selectFrom('memberships')
          .select('community_id')
          .where('user_id', '=', userId)
          .where('role', '=', 'owner')
          .where('status', '=', 'active')
          .where('community_id', 'in', among)
          .execute()
      ).map((r) => r.community_id)
    : [];

export const sponsoredAllowed = async (db: Q, communityId: number) =>
  (
    await db
      .selectFrom('community_partnership_settings')
      .select('sponsored_allowed')
      .where('community_id', '=', communityId)
      .executeTakeFirst()
  )?.sponsored_allowed !== 0;

// --- creators ---
export const findProfile = (db: Q, userId: number) =>
  db.selectFrom('creator_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
export const listProfiles = (db: Q) => db.selectFrom('creator_profiles').selectAll().execute();
export const creatorCommunities = (db: Q, userIds: number[]) =>
  userIds.length
    ? db
        .selectFrom('creator_communities')
        .innerJoin('communities', 'communities.id', 'creator_communities.community_id')
        .select([
          'creator_communities.user_id',
          'communities.id',
          'communities.slug',
          'communities.name',
          'communities.visibility',
        ])
        .where('creator_communities.user_id', 'in', userIds)
        .orderBy('communities.name')
        .execute()
    : Promise.resolve([]);
export const statsOf = (db: Q, userIds: number[]) =>
  userIds.length
    ? db.selectFrom('creator_stats').selectAll().where('user_id', 'in', userIds).execute()
    : Promise.resolve([]);

// --- campaigns ---
export const findCampaign = (db: Q, id: number) =>
  db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
export type CampaignRow = NonNullable<Awaited<ReturnType<typeof findCampaign>>>;

export const listCampaigns = (db: Q, where: { brandId?: number; ids?: number[]; open?: boolean }) => {
  let q = db.selectFrom('campaigns').selectAll();
  if (where.brandId != null) q = q.where('brand_id', '=', where.brandId);
  if (where.ids) {
    if (!where.ids.length) return Promise.resolve([]);
    q = q.where('id', 'in', where.ids);
  }
  if (where.open) q = q.where('status', '=', 'active').where('open_applications', '=', 1);
  return q.orderBy('id', 'desc').limit(200).execute();
};

export const campaignCommunities = (db: Q, campaignIds: number[]) =>
  campaignIds.length
    ? db
        .selectFrom('campaign_communities')
        .innerJoin('communities', 'communities.id', 'campaign_communities.community_id')
        .selectAll('campaign_communities')
        .select(['communities.slug', 'communities.name', 'communities.visibility'])
        .where('campaign_id', 'in', campaignIds)
        .orderBy('communities.name')
        .execute()
    : Promise.resolve([]);

export const campaignCreators = (db: Q, campaignIds: number[]) =>
  campaignIds.length
    ? db
        .selectFrom('campaign_creators')
        .innerJoin('users', 'users.id', 'campaign_creators.user_id')
        .selectAll('campaign_creators')
        .select(['users.username', 'users.display_name'])
        .where('campaign_id', 'in', campaignIds)
        .orderBy('users.username')
        .execute()
    : Promise.resolve([]);

export const findParticipant = (db: Q, campaignId: number, userId: number) =>
  db
    .selectFrom('campaign_creators')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

export const findCampaignCommunity = (db: Q, campaignId: number, communityId: number) =>
  db
    .selectFrom('campaign_communities')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('community_id', '=', communityId)
    .executeTakeFirst();

/** Campaigns a user takes part in (invited, applied, accepted or declined). */
export const campaignIdsOfCreator = async (db: Q, userId: number) =>
  (
    await db.selectFrom('campaign_creators').select('campaign_id').where('user_id', '=', userId).execute()
  ).map((r) => r.campaign_id);

export const campaignIdsOfCommunity = async (db: Q, communityId: number) =>
  (
    await db
      .selectFrom('campaign_communities')
      .select('campaign_id')
      .where('community_id', '=', communityId)
      .execute()
  ).map((r) => r.campaign_id);

export const linksOf = (db: Q, campaignIds: number[]) =>
  campaignIds.length
    ? db
        .selectFrom('tracked_links')
        .selectAll()
        .where('campaign_id', 'in', campaignIds)
        .orderBy('id')
        .execute()
    : Promise.resolve([]);
export const promoCodesOf = (db: Q, campaignIds: number[]) =>
  campaignIds.length
    ? db.selectFrom('promo_codes').selectAll().where('campaign_id', 'in', campaignIds).orderBy('id').execute()
    : Promise.resolve([]);
export const payoutsOf = (db: Q, campaignIds: number[]) =>
  campaignIds.length
    ? db
        .selectFrom('payouts')
        .innerJoin('users', 'users.id', 'payouts.creator_id')
        .selectAll('payouts')
        .select(['users.username', 'users.display_name'])
        .where('campaign_id', 'in', campaignIds)
        .orderBy('payouts.id')
        .execute()
    : Promise.resolve([]);

// --- deliverables ---
function deliverableQuery(db: Q) {
  return db
    .selectFrom('deliverables')
    .innerJoin('users', 'users.id', 'deliverables.creator_id')
    .innerJoin('communities', 'communities.id', 'deliverables.community_id')
    .selectAll('deliverables')
    .select([
      'users.username',
      'users.display_name',
      'communities.slug as community_slug',
      'communities.name as community_name',
    ]);
}
export const findDeliverable = (db: Q, id: number) =>
  deliverableQuery(db).where('deliverables.id', '=', id).executeTakeFirst();
export type DeliverableRow = NonNullable<Awaited<ReturnType<typeof findDeliverable>>>;
export const listDeliverables = (db: Q, where: { campaignId?: number; creatorId?: number }) => {
  let q = deliverableQuery(db);
  if (where.campaignId != null) q = q.where('deliverables.campaign_id', '=', where.campaignId);
  if (where.creatorId != null) q = q.where('deliverables.creator_id', '=', where.creatorId);
  return q.orderBy('deliverables.id', 'desc').limit(500).execute();
};

export const audit = (
  db: Q,
  e: {
    brandId: number | null;
    campaignId: number | null;
    actorId: number | null;
    action: string;
    detail?: object;
    now: number;
  },
) =>
  db
    .insertInto('partnership_audit')
    .values({
      brand_id: e.brandId,
      campaign_id: e.campaignId,
      actor_id: e.actorId,
      action: e.action,
      detail: JSON.stringify(e.detail ?? {}),
      created_at: e.now,
    })
    .execute();

export const findSponsored = (db: Q, targetType: 'thread' | 'comment', targetId: number) =>
  db
    .selectFrom('sponsored_content')
    .selectAll()
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .executeTakeFirst();

/** Forgets conversion message ids received before `before`. */
export const pruneNonces = (db: Q, before: number) =>
  db.deleteFrom('conversion_nonces').where('received_at', '<', before).execute();
