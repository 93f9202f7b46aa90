import type { Kysely } from 'kysely';
import { dialectOf, idColumn } from '../dialect.ts';

/**
 * Issue 9: brand partnerships. Brands and their managers, creator profiles (figures computed
 * by Hearth), campaigns with community approval, the deliverable workflow, the disclosure
 * label of sponsored threads and comments, tracked links, promo codes, signed conversions,
 * payouts and an audit log. Money is integer cents in the brand's currency.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(dialectOf(db));
  const user = (c: any) => c.notNull().references('users.id').onDelete('cascade');
  await db.schema
    .createTable('brands')
    .addColumn('id', 'integer', id)
    .addColumn('slug', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('website_url', 'varchar(500)')
    .addColumn('currency', 'varchar(3)', (c) => c.notNull())
    // HMAC key of the conversion endpoint; it must be readable to verify signatures.
    .addColumn('conversion_secret', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('brand_members')
    .addColumn('brand_id', 'integer', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', user)
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('brand_members_pk', ['brand_id', 'user_id'])
    .execute();
  await db.schema.createIndex('brand_members_user').on('brand_members').column('user_id').execute();

  await db.schema
    .createTable('creator_profiles')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('headline', 'varchar(200)', (c) => c.notNull())
    .addColumn('niches', 'text', (c) => c.notNull())
    .addColumn('rate_cents', 'integer')
    .addColumn('rate_note', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('creator_communities')
    .addColumn('user_id', 'integer', user)
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('creator_communities_pk', ['user_id', 'community_id'])
    .execute();
  await db.schema
    .createTable('creator_stats')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('contributions', 'integer', (c) => c.notNull())
    .addColumn('engagement', 'integer', (c) => c.notNull())
    .addColumn('followers', 'integer', (c) => c.notNull())
    .addColumn('engagement_rate', 'double precision', (c) => c.notNull())
    .addColumn('follower_rate', 'double precision')
    .addColumn('reach', 'integer', (c) => c.notNull())
    .addColumn('sentiment', 'double precision')
    .addColumn('growth', 'double precision')
    .addColumn('authenticity', 'double precision')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('community_partnership_settings')
    .addColumn('community_id', 'integer', (c) =>
      c.primaryKey().references('communities.id').onDelete('cascade'),
    )
    .addColumn('sponsored_allowed', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'integer', id)
    .addColumn('brand_id', 'integer', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('brief', 'text', (c) => c.notNull())
    .addColumn('deliverables_brief', 'text', (c) => c.notNull())
    .addColumn('budget_cents', 'integer', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('landing_url', 'varchar(500)', (c) => c.notNull())
    .addColumn('attribution_model', 'varchar(16)', (c) => c.notNull())
    .addColumn('attribution_window_days', 'integer', (c) => c.notNull())
    .addColumn('open_applications', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_brand').on('campaigns').columns(['brand_id', 'id']).execute();
  await db.schema
    .createTable('campaign_communities')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('note', 'varchar(1000)', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'bigint')
    .addPrimaryKeyConstraint('campaign_communities_pk', ['campaign_id', 'community_id'])
    .execute();
  await db.schema
    .createIndex('campaign_communities_community')
    .on('campaign_communities')
    .columns(['community_id', 'status'])
    .execute();
  await db.schema
    .createTable('campaign_creators')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', user)
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('fee_cents', 'integer', (c) => c.notNull())
    .addColumn('message', 'varchar(2000)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_creators_pk', ['campaign_id', 'user_id'])
    .execute();
  await db.schema.createIndex('campaign_creators_user').on('campaign_creators').column('user_id').execute();
  await db.schema
    .createTable('deliverables')
    .addColumn('id', 'integer', id)
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('creator_id', 'integer', user)
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('thread_id', 'integer')
    .addColumn('title', 'varchar(300)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(24)', (c) => c.notNull())
    .addColumn('review_note', 'varchar(2000)', (c) => c.notNull())
    .addColumn('target_id', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('published_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('deliverables_campaign')
    .on('deliverables')
    .columns(['campaign_id', 'id'])
    .execute();

  // The disclosure label: one row per sponsored thread or comment, joined by content's presenters.
  await db.schema
    .createTable('sponsored_content')
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('brand_id', 'integer', (c) => c.notNull().references('brands.id'))
    .addColumn('community_id', 'integer', (c) => c.notNull())
    .addColumn('deliverable_id', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('removed_at', 'bigint')
    .addColumn('removed_by', 'integer')
    .addColumn('removed_reason', 'varchar(1000)')
    .addPrimaryKeyConstraint('sponsored_content_pk', ['target_type', 'target_id'])
    .execute();
  await db.schema
    .createTable('partnership_audit')
    .addColumn('id', 'integer', id)
    .addColumn('brand_id', 'integer')
    .addColumn('campaign_id', 'integer')
    .addColumn('actor_id', 'integer')
    .addColumn('action', 'varchar(48)', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('partnership_audit_campaign')
    .on('partnership_audit')
    .columns(['campaign_id', 'id'])
    .execute();

  await db.schema
    .createTable('tracked_links')
    .addColumn('id', 'integer', id)
    .addColumn('code', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('creator_id', 'integer', user)
    .addColumn('target_url', 'varchar(500)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // A click: the member's id only with analytics consent, otherwise a daily-rotating anonymous key.
  await db.schema
    .createTable('link_clicks')
    .addColumn('id', 'integer', id)
    .addColumn('link_id', 'integer', (c) => c.notNull().references('tracked_links.id').onDelete('cascade'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull())
    .addColumn('creator_id', 'integer', (c) => c.notNull())
    .addColumn('ref', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer')
    .addColumn('visitor_key', 'varchar(32)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('link_clicks_campaign')
    .on('link_clicks')
    .columns(['campaign_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('promo_codes')
    .addColumn('id', 'integer', id)
    .addColumn('brand_id', 'integer', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('code', 'varchar(32)', (c) => c.notNull())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('creator_id', 'integer', user)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('promo_codes_brand_code', ['brand_id', 'code'])
    .execute();
  await db.schema
    .createTable('conversions')
    .addColumn('id', 'integer', id)
    .addColumn('brand_id', 'integer', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('order_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('conversions_brand_order', ['brand_id', 'order_id'])
    .execute();
  // Every message id seen, so a replayed (captured and re-sent) signed message is refused.
  await db.schema
    .createTable('conversion_nonces')
    .addColumn('brand_id', 'integer', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('event_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversion_nonces_pk', ['brand_id', 'event_id'])
    .execute();
  await db.schema
    .createTable('conversion_touches')
    .addColumn('conversion_id', 'integer', (c) =>
      c.notNull().references('conversions.id').onDelete('cascade'),
    )
    .addColumn('campaign_id', 'integer', (c) => c.notNull())
    .addColumn('creator_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('touched_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversion_touches_campaign')
    .on('conversion_touches')
    .columns(['campaign_id', 'conversion_id'])
    .execute();
  await db.schema
    .createIndex('conversion_touches_conversion')
    .on('conversion_touches')
    .column('conversion_id')
    .execute();
  await db.schema
    .createTable('payouts')
    .addColumn('id', 'integer', id)
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('creator_id', 'integer', user)
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('paid_on', 'bigint')
    .addColumn('note', 'varchar(500)', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payouts_campaign').on('payouts').columns(['campaign_id', 'id']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'payouts',
    'conversion_touches',
    'conversion_nonces',
    'conversions',
    'promo_codes',
    'link_clicks',
    'tracked_links',
    'partnership_audit',
    'sponsored_content',
    'deliverables',
    'campaign_creators',
    'campaign_communities',
    'campaigns',
    'community_partnership_settings',
    'creator_stats',
    'creator_communities',
    'creator_profiles',
    'brand_members',
    'brands',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
