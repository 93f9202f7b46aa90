import { iso, isoOrNull } from '../../platform/clock.ts';
import {
  declareUserColumns,
  registerErasureStep,
  registerExportSection,
} from '../../platform/data-rights.ts';

/**
 * What partnerships hold about a member, for erasure and export (platform/data-rights.ts).
 * Their creator profile, figures and brand memberships go. A brand's business records (links,
 * codes, clicks, conversions' touches, deliverables, payouts) stay for its ROI and books, by
 * the tombstone ("Deleted member"), as Discourse keeps an anonymised user's posts.
 */
declareUserColumns([
  { table: 'creator_profiles', column: 'user_id', action: 'delete' },
  { table: 'creator_communities', column: 'user_id', action: 'delete' },
  { table: 'creator_stats', column: 'user_id', action: 'delete' },
  { table: 'brand_members', column: 'user_id', action: 'delete' },
  { table: 'brands', column: 'created_by', action: 'null' },
  { table: 'campaigns', column: 'created_by', action: 'null' },
  { table: 'campaign_communities', column: 'decided_by', action: 'null' },
  { table: 'community_partnership_settings', column: 'updated_by', action: 'null' },
  {
    table: 'campaign_creators',
    column: 'user_id',
    action: 'step',
    note: "the brand's roster keeps the seat, by the tombstone",
  },
  { table: 'deliverables', column: 'creator_id', action: 'tombstone' },
  { table: 'tracked_links', column: 'creator_id', action: 'tombstone' },
  { table: 'promo_codes', column: 'creator_id', action: 'tombstone' },
  { table: 'payouts', column: 'creator_id', action: 'tombstone' },
  { table: 'payouts', column: 'created_by', action: 'null' },
  { table: 'link_clicks', column: 'creator_id', action: 'tombstone' },
  { table: 'link_clicks', column: 'user_id', action: 'null', note: 'who clicked (kept only with consent)' },
  { table: 'conversion_touches', column: 'creator_id', action: 'tombstone' },
  { table: 'sponsored_content', column: 'removed_by', action: 'null' },
  { table: 'partnership_audit', column: 'actor_id', action: 'null' },
]);

registerErasureStep({
  name: 'partnerships.creator',
  order: 14,
  async run(trx, ctx) {
    // A campaign can list the tombstone once: a second erased creator's seat there goes.
    const taken = trx
      .selectFrom('campaign_creators')
      .select('campaign_id')
      .where('user_id', '=', ctx.tombstoneId);
    await trx
      .deleteFrom('campaign_creators')
      .where('user_id', '=', ctx.userId)
      .where('campaign_id', 'in', taken)
      .execute();
    await trx
      .updateTable('campaign_creators')
      .set({ user_id: ctx.tombstoneId, message: '' })
      .where('user_id', '=', ctx.userId)
      .execute();
    if (ctx.content === 'delete')
      await trx
        .updateTable('deliverables')
        .set({ title: '[deleted]', body: '' })
        .where('creator_id', '=', ctx.userId)
        .execute();
  },
});

registerExportSection('partnerships', async (db, userId) => {
  const profile = await db
    .selectFrom('creator_profiles')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const communities = await db
    .selectFrom('creator_communities')
    .innerJoin('communities', 'communities.id', 'creator_communities.community_id')
    .select('communities.slug')
    .where('creator_communities.user_id', '=', userId)
    .execute();
  const brands = await db
    .selectFrom('brand_members')
    .innerJoin('brands', 'brands.id', 'brand_members.brand_id')
    .select(['brands.slug', 'brand_members.role', 'brand_members.created_at'])
    .where('brand_members.user_id', '=', userId)
    .execute();
  const campaigns = await db
    .selectFrom('campaign_creators')
    .innerJoin('campaigns', 'campaigns.id', 'campaign_creators.campaign_id')
    .select([
      'campaigns.id',
      'campaigns.title',
      'campaign_creators.status',
      'campaign_creators.fee_cents',
      'campaign_creators.message',
      'campaign_creators.created_at',
    ])
    .where('campaign_creators.user_id', '=', userId)
    .execute();
  const deliverables = await db
    .selectFrom('deliverables')
    .select([
      'id',
      'campaign_id',
      'kind',
      'title',
      'body',
      'status',
      'thread_id',
      'created_at',
      'published_at',
    ])
    .where('creator_id', '=', userId)
    .orderBy('id')
    .execute();
  const payouts = await db
    .selectFrom('payouts')
    .select(['campaign_id', 'amount_cents', 'status', 'paid_on', 'note'])
    .where('creator_id', '=', userId)
    .orderBy('id')
    .execute();
  return {
    creatorProfile: profile
      ? {
          headline: profile.headline,
          niches: JSON.parse(profile.niches),
          rateCents: profile.rate_cents,
          rateNote: profile.rate_note,
          communities: communities.map((c) => c.slug),
          createdAt: iso(profile.created_at),
        }
      : null,
    brands: brands.map((b) => ({ brand: b.slug, role: b.role, since: iso(b.created_at) })),
    campaigns: campaigns.map((c) => ({
      campaignId: c.id,
      title: c.title,
      status: c.status,
      feeCents: c.fee_cents,
      message: c.message,
      joinedAt: iso(c.created_at),
    })),
    deliverables: deliverables.map((d) => ({
      id: d.id,
      campaignId: d.campaign_id,
      kind: d.kind,
      title: d.title,
      body: d.body,
      status: d.status,
      threadId: d.thread_id,
      createdAt: iso(d.created_at),
      publishedAt: isoOrNull(d.published_at),
    })),
    payouts: payouts.map((p) => ({
      campaignId: p.campaign_id,
      amountCents: p.amount_cents,
      status: p.status,
      paidOn: isoOrNull(p.paid_on),
      note: p.note,
    })),
  };
});
