import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Id } from '../../platform/schema.ts';

/** Request and response shapes of the partnerships routes (TypeBox: validation and OpenAPI). */

const N = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateStr = Type.String({ format: 'date-time' });
const Cents = Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'integer cents' });
export const BrandSlug = Type.String({
  pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$',
  description: '1-64 lower-case letters, digits and dashes',
});
const HttpUrl = Type.String({ minLength: 8, maxLength: 500, description: 'an http(s) URL' });
const TagName = Type.String({ minLength: 1, maxLength: 33 });

export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 64 }) });
export const SlugUserParams = Type.Object({
  slug: Type.String({ maxLength: 64 }),
  username: Type.String({ maxLength: 64 }),
});
export const UsernameParams = Type.Object({ username: Type.String({ maxLength: 64 }) });
export const IdUserParams = Type.Object({ id: Id(), username: Type.String({ maxLength: 64 }) });
export const SlugIdParams = Type.Object({ slug: Type.String({ maxLength: 64 }), id: Id() });
export const TargetParams = Type.Object({
  type: Type.Union([Type.Literal('thread'), Type.Literal('comment')]),
  id: Id(),
});
export { IdParams } from '../../platform/schema.ts';

const UserRef = Type.Object({ id: Type.Integer(), username: Type.String(), displayName: Type.String() });
const CommunityRef = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });

// --- brands ---
export const Brand = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  websiteUrl: N(Type.String()),
  currency: Type.String(),
  createdAt: DateStr,
  myRole: N(Type.String({ description: 'owner | manager, for the brand’s members' })),
});
export const BrandWithSecret = Type.Composite([
  Brand,
  Type.Object({
    conversionSecret: Type.String({ description: 'HMAC-SHA256 key of the conversion endpoint; shown once' }),
  }),
]);
export const BrandList = Type.Object({ items: Type.Array(Brand) });
export const CreateBrandBody = Type.Object({
  slug: BrandSlug,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  websiteUrl: Type.Optional(N(HttpUrl)),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. EUR' })),
});
export type CreateBrandBody = Static<typeof CreateBrandBody>;
export const UpdateBrandBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  websiteUrl: Type.Optional(N(HttpUrl)),
});
export type UpdateBrandBody = Static<typeof UpdateBrandBody>;
export const BrandMember = Type.Object({
  user: UserRef,
  role: Type.String(),
  createdAt: DateStr,
});
export const BrandMembers = Type.Object({ items: Type.Array(BrandMember) });
export const AddBrandMemberBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  role: Type.Optional(Type.Union([Type.Literal('owner'), Type.Literal('manager')])),
});

// --- creators ---
const Figure = N(Type.Number());
export const Figures = Type.Object({
  contributions: Type.Integer(),
  engagement: Type.Integer(),
  followers: Type.Integer(),
  engagementRate: Type.Number(),
  followerRate: Figure,
  reach: Type.Integer(),
  sentiment: Figure,
  growth: Figure,
  authenticity: Figure,
  details: Type.Record(Type.String(), Type.Unknown()),
  computedAt: DateStr,
});
export const CreatorProfile = Type.Object({
  user: UserRef,
  headline: Type.String(),
  niches: Type.Array(Type.String()),
  communities: Type.Array(CommunityRef),
  rateCents: N(Type.Integer()),
  rateNote: Type.String(),
  figures: N(Figures),
  updatedAt: DateStr,
});
export const Explanations = Type.Record(Type.String(), Type.String(), {
  description: 'How each figure is computed (shown on hover)',
});
export const CreatorProfileResult = Type.Object({ profile: CreatorProfile, explanations: Explanations });
export const MyCreatorProfile = Type.Object({ profile: N(CreatorProfile), explanations: Explanations });
export const CreatorProfileBody = Type.Object({
  headline: Type.String({ maxLength: 200 }),
  niches: Type.Array(TagName, { maxItems: 10 }),
  communities: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 })),
  rateCents: Type.Optional(N(Cents)),
  rateNote: Type.Optional(Type.String({ maxLength: 200 })),
});
export type CreatorProfileBody = Static<typeof CreatorProfileBody>;
export const CreatorSearchQuery = Type.Object({
  tag: Type.Optional(TagName),
  community: Type.Optional(Type.String({ maxLength: 64 })),
  minEngagementRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1e6 })),
  minFollowerRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1e6 })),
  minReach: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9 })),
  minSentiment: Type.Optional(Type.Number({ minimum: -1, maximum: 1 })),
  minGrowth: Type.Optional(Type.Number({ minimum: -1, maximum: 1e6 })),
  minAuthenticity: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  sort: Type.Union(
    [
      Type.Literal('engagement_rate'),
      Type.Literal('follower_rate'),
      Type.Literal('reach'),
      Type.Literal('authenticity'),
      Type.Literal('growth'),
      Type.Literal('sentiment'),
    ],
    { default: 'engagement_rate' },
  ),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type CreatorSearchQuery = Static<typeof CreatorSearchQuery>;
export const CreatorSearchResult = Type.Object({
  items: Type.Array(CreatorProfile),
  explanations: Explanations,
});

// --- campaigns ---
const Deliverable = Type.Object({
  id: Type.Integer(),
  campaignId: Type.Integer(),
  creator: UserRef,
  community: CommunityRef,
  kind: Type.String(),
  threadId: N(Type.Integer()),
  title: Type.String(),
  body: Type.String(),
  status: Type.String({ description: 'draft → in_review → changes_requested | approved → published' }),
  reviewNote: Type.String(),
  published: N(Type.Object({ type: Type.String(), id: Type.Integer(), threadId: Type.Integer() })),
  createdAt: DateStr,
  updatedAt: DateStr,
  publishedAt: N(DateStr),
});
export { Deliverable };
export const DeliverableList = Type.Object({ items: Type.Array(Deliverable) });

const Participant = Type.Object({
  user: UserRef,
  status: Type.String({ description: 'invited | applied | accepted | declined' }),
  feeCents: Type.Integer(),
  message: Type.String(),
  links: Type.Array(
    Type.Object({ id: Type.Integer(), code: Type.String(), url: Type.String(), targetUrl: Type.String() }),
  ),
  promoCodes: Type.Array(Type.String()),
  updatedAt: DateStr,
});
const CampaignCommunity = Type.Object({
  community: CommunityRef,
  status: Type.String({ description: 'pending | approved | rejected' }),
  note: Type.String(),
  decidedAt: N(DateStr),
});
const Payout = Type.Object({
  id: Type.Integer(),
  campaignId: Type.Integer(),
  creator: UserRef,
  amountCents: Type.Integer(),
  status: Type.String({ description: 'pending | paid | cancelled' }),
  paidOn: N(Type.String({ description: 'YYYY-MM-DD' })),
  note: Type.String(),
  createdAt: DateStr,
});
export { Payout };
export const Campaign = Type.Object({
  id: Type.Integer(),
  brand: Type.Object({ slug: Type.String(), name: Type.String(), currency: Type.String() }),
  title: Type.String(),
  brief: Type.String(),
  deliverablesBrief: Type.String(),
  budgetCents: N(Type.Integer({ description: 'brand managers only' })),
  startsAt: DateStr,
  endsAt: DateStr,
  landingUrl: Type.String(),
  attributionModel: Type.String(),
  attributionWindowDays: Type.Integer(),
  openApplications: Type.Boolean(),
  status: Type.String({ description: 'draft | active | closed' }),
  createdAt: DateStr,
  viewer: Type.Object({
    isManager: Type.Boolean(),
    creatorStatus: N(Type.String()),
    ownsCommunities: Type.Array(Type.String()),
  }),
  communities: Type.Array(CampaignCommunity),
  creators: Type.Array(Participant),
  payouts: Type.Array(Payout),
});
export const CampaignList = Type.Object({ items: Type.Array(Campaign) });
const CampaignFields = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  brief: Type.String({ maxLength: 20_000 }),
  deliverablesBrief: Type.String({ maxLength: 5000 }),
  budgetCents: Cents,
  startsAt: Type.String({ maxLength: 40, description: 'YYYY-MM-DD or ISO 8601' }),
  endsAt: Type.String({ maxLength: 40, description: 'YYYY-MM-DD (the whole day) or ISO 8601' }),
  landingUrl: HttpUrl,
  attributionModel: Type.Union([Type.Literal('last_touch'), Type.Literal('linear')]),
  attributionWindowDays: Type.Integer({ minimum: 1, maximum: 365 }),
  openApplications: Type.Boolean(),
};
export const CreateCampaignBody = Type.Object({
  ...CampaignFields,
  brief: Type.Optional(CampaignFields.brief),
  deliverablesBrief: Type.Optional(CampaignFields.deliverablesBrief),
  attributionModel: Type.Optional(CampaignFields.attributionModel),
  attributionWindowDays: Type.Optional(CampaignFields.attributionWindowDays),
  openApplications: Type.Optional(CampaignFields.openApplications),
  status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('active')])),
});
export type CreateCampaignBody = Static<typeof CreateCampaignBody>;
export const UpdateCampaignBody = Type.Partial(
  Type.Object({
    ...CampaignFields,
    status: Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('closed')]),
  }),
);
export type UpdateCampaignBody = Static<typeof UpdateCampaignBody>;
export const CampaignCommunityBody = Type.Object({ community: Type.String({ minLength: 1, maxLength: 64 }) });
export const DecisionBody = Type.Object({
  decision: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
});
export const InviteBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  feeCents: Type.Optional(Cents),
  message: Type.Optional(Type.String({ maxLength: 2000 })),
});
export const ApplyBody = Type.Object({
  message: Type.Optional(Type.String({ maxLength: 2000 })),
  feeCents: Type.Optional(Cents),
});
export const RespondBody = Type.Object({ accept: Type.Boolean() });
export const CommunityCampaigns = Type.Object({ items: Type.Array(Campaign) });
export const PartnershipSettings = Type.Object({ sponsoredAllowed: Type.Boolean() });
export const PartnershipSettingsBody = Type.Object({ sponsoredAllowed: Type.Boolean() });

// --- deliverables ---
export const CreateDeliverableBody = Type.Object({
  community: Type.String({ minLength: 1, maxLength: 64 }),
  kind: Type.Union([Type.Literal('thread'), Type.Literal('comment')]),
  threadId: Type.Optional(Id({ description: 'for a comment: the thread it goes into' })),
  title: Type.Optional(Type.String({ maxLength: 300 })),
  body: Type.String({ minLength: 1, maxLength: 50_000 }),
});
export type CreateDeliverableBody = Static<typeof CreateDeliverableBody>;
export const UpdateDeliverableBody = Type.Object({
  title: Type.Optional(Type.String({ maxLength: 300 })),
  body: Type.Optional(Type.String({ minLength: 1, maxLength: 50_000 })),
});
export const ReviewBody = Type.Object({
  decision: Type.Union([Type.Literal('approve'), Type.Literal('request_changes')]),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});
export const RemoveLabelBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) });

// --- links, codes, conversions, payouts ---
export const CreateLinkBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  targetUrl: Type.Optional(HttpUrl),
});
export const TrackedLink = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  url: Type.String(),
  targetUrl: Type.String(),
});
export const CreatePromoBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  code: Type.String({ pattern: '^[A-Za-z0-9_-]{3,32}$' }),
});
export const PromoCode = Type.Object({ id: Type.Integer(), code: Type.String() });
export const ConversionBody = Type.Object({
  brand: Type.String({ minLength: 1, maxLength: 64 }),
  id: Type.String({ minLength: 1, maxLength: 100, description: 'unique message id (replays are refused)' }),
  orderId: Type.String({ minLength: 1, maxLength: 100 }),
  amountCents: Cents,
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  occurredAt: Type.Optional(Type.String({ maxLength: 40 })),
  clickRefs: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
  promoCode: Type.Optional(Type.String({ maxLength: 32 })),
});
export type ConversionBody = Static<typeof ConversionBody>;
export const ConversionResult = Type.Object({
  id: Type.Integer(),
  orderId: Type.String(),
  duplicate: Type.Boolean(),
  touches: Type.Integer(),
});
export const ReportQuery = Type.Object({
  model: Type.Optional(Type.Union([Type.Literal('last_touch'), Type.Literal('linear')])),
});
const ReportRow = Type.Object({
  creator: N(UserRef),
  engagement: Type.Integer(),
  engagedMembers: Type.Integer(),
  clicks: Type.Integer(),
  conversions: Type.Number(),
  revenueCents: Type.Number(),
  costCents: Type.Integer(),
  roi: N(Type.Number()),
  costPerEngagedMemberCents: N(Type.Number()),
});
export const Report = Type.Object({
  campaignId: Type.Integer(),
  currency: Type.String(),
  model: Type.String(),
  windowDays: Type.Integer(),
  rows: Type.Array(ReportRow),
  total: ReportRow,
  daily: Type.Array(
    Type.Object({
      day: Type.String(),
      clicks: Type.Integer(),
      conversions: Type.Number(),
      revenueCents: Type.Number(),
    }),
  ),
  explanations: Explanations,
});
export const CreatePayoutBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  amountCents: Cents,
  status: Type.Optional(
    Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('cancelled')]),
  ),
  paidOn: Type.Optional(N(Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }))),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});
export const UpdatePayoutBody = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('cancelled')]),
  ),
  paidOn: Type.Optional(N(Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }))),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});
export const CreatorWork = Type.Object({
  campaigns: Type.Array(Campaign),
  deliverables: Type.Array(Deliverable),
});
