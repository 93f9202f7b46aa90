import { request } from '../../lib/api.ts';

/** Types and calls of the partnerships API (server: modules/partnerships). */

export interface UserRef {
  id: number;
  username: string;
  displayName: string;
}
export interface Brand {
  id: number;
  slug: string;
  name: string;
  description: string;
  websiteUrl: string | null;
  currency: string;
  createdAt: string;
  myRole: string | null;
  conversionSecret?: string;
}
export interface Figures {
  contributions: number;
  engagement: number;
  followers: number;
  engagementRate: number;
  followerRate: number | null;
  reach: number;
  sentiment: number | null;
  growth: number | null;
  authenticity: number | null;
  details: Record<string, unknown>;
  computedAt: string;
}
export interface CreatorProfile {
  user: UserRef;
  headline: string;
  niches: string[];
  communities: { id: number; slug: string; name: string }[];
  rateCents: number | null;
  rateNote: string;
  figures: Figures | null;
  updatedAt: string;
}
export type Explanations = Record<string, string>;
export interface Participant {
  user: UserRef;
  status: 'invited' | 'applied' | 'accepted' | 'declined';
  feeCents: number;
  message: string;
  links: { id: number; code: string; url: string; targetUrl: string }[];
  promoCodes: string[];
  updatedAt: string;
}
export interface Payout {
  id: number;
  campaignId: number;
  creator: UserRef;
  amountCents: number;
  status: 'pending' | 'paid' | 'cancelled';
  paidOn: string | null;
  note: string;
  createdAt: string;
}
export interface Campaign {
  id: number;
  brand: { slug: string; name: string; currency: string };
  title: string;
  brief: string;
  deliverablesBrief: string;
  budgetCents: number | null;
  startsAt: string;
  endsAt: string;
  landingUrl: string;
  attributionModel: 'last_touch' | 'linear';
  attributionWindowDays: number;
  openApplications: boolean;
  status: 'draft' | 'active' | 'closed';
  createdAt: string;
  viewer: { isManager: boolean; creatorStatus: string | null; ownsCommunities: string[] };
  communities: {
    community: { id: number; slug: string; name: string };
    status: string;
    note: string;
    decidedAt: string | null;
  }[];
  creators: Participant[];
  payouts: Payout[];
}
export interface Deliverable {
  id: number;
  campaignId: number;
  creator: UserRef;
  community: { id: number; slug: string; name: string };
  kind: 'thread' | 'comment';
  threadId: number | null;
  title: string;
  body: string;
  status: 'draft' | 'in_review' | 'changes_requested' | 'approved' | 'published';
  reviewNote: string;
  published: { type: string; id: number; threadId: number } | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}
export interface ReportRow {
  creator: UserRef | null;
  engagement: number;
  engagedMembers: number;
  clicks: number;
  conversions: number;
  revenueCents: number;
  costCents: number;
  roi: number | null;
  costPerEngagedMemberCents: number | null;
}
export interface Report {
  campaignId: number;
  currency: string;
  model: 'last_touch' | 'linear';
  windowDays: number;
  rows: ReportRow[];
  total: ReportRow;
  daily: { day: string; clicks: number; conversions: number; revenueCents: number }[];
  explanations: Explanations;
}
export type CampaignFields = {
  title: string;
  brief: string;
  deliverablesBrief: string;
  budgetCents: number;
  startsAt: string;
  endsAt: string;
  landingUrl: string;
  attributionModel: 'last_touch' | 'linear';
  attributionWindowDays: number;
  openApplications: boolean;
  status: 'draft' | 'active' | 'closed';
};

const enc = encodeURIComponent;
type Ok = { ok: boolean };
function qs(q: Record<string, string | number | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const partnerships = {
  brands: () => request<{ items: Brand[] }>('GET', '/brands'),
  brand: (slug: string) => request<Brand>('GET', `/brands/${enc(slug)}`),
  createBrand: (body: {
    slug: string;
    name: string;
    description?: string;
    websiteUrl?: string | null;
    currency?: string;
  }) => request<Brand>('POST', '/brands', body),
  rotateSecret: (slug: string) => request<Brand>('POST', `/brands/${enc(slug)}/secret`),
  brandCampaigns: (slug: string) => request<{ items: Campaign[] }>('GET', `/brands/${enc(slug)}/campaigns`),
  createCampaign: (slug: string, body: Partial<CampaignFields>) =>
    request<Campaign>('POST', `/brands/${enc(slug)}/campaigns`, body),
  campaign: (id: number) => request<Campaign>('GET', `/campaigns/${id}`),
  updateCampaign: (id: number, body: Partial<CampaignFields>) =>
    request<Campaign>('PATCH', `/campaigns/${id}`, body),
  requestCommunity: (id: number, community: string) =>
    request<Campaign>('POST', `/campaigns/${id}/communities`, { community }),
  invite: (id: number, username: string, feeCents: number) =>
    request<Campaign>('POST', `/campaigns/${id}/invites`, { username, feeCents }),
  apply: (id: number, message: string) => request<Campaign>('POST', `/campaigns/${id}/apply`, { message }),
  respond: (id: number, username: string, accept: boolean) =>
    request<Campaign>('POST', `/campaigns/${id}/creators/${enc(username)}/respond`, { accept }),
  deliverables: (id: number) => request<{ items: Deliverable[] }>('GET', `/campaigns/${id}/deliverables`),
  createDeliverable: (
    id: number,
    body: { community: string; kind: 'thread' | 'comment'; threadId?: number; title?: string; body: string },
  ) => request<Deliverable>('POST', `/campaigns/${id}/deliverables`, body),
  updateDeliverable: (id: number, body: { title?: string; body?: string }) =>
    request<Deliverable>('PATCH', `/deliverables/${id}`, body),
  submit: (id: number) => request<Deliverable>('POST', `/deliverables/${id}/submit`),
  review: (id: number, decision: 'approve' | 'request_changes', note: string) =>
    request<Deliverable>('POST', `/deliverables/${id}/review`, { decision, note }),
  publish: (id: number) => request<Deliverable>('POST', `/deliverables/${id}/publish`),
  createLink: (id: number, username: string) =>
    request<{ id: number; code: string; url: string }>('POST', `/campaigns/${id}/links`, { username }),
  createPromo: (id: number, username: string, code: string) =>
    request<{ id: number; code: string }>('POST', `/campaigns/${id}/promo-codes`, { username, code }),
  report: (id: number, model?: string) => request<Report>('GET', `/campaigns/${id}/report${qs({ model })}`),
  reportCsvUrl: (id: number, model?: string) => `/api/v1/campaigns/${id}/report.csv${qs({ model })}`,
  createPayout: (
    id: number,
    body: { username: string; amountCents: number; status?: string; note?: string },
  ) => request<Payout>('POST', `/campaigns/${id}/payouts`, body),
  updatePayout: (id: number, body: { status?: string; paidOn?: string | null }) =>
    request<Payout>('PATCH', `/payouts/${id}`, body),
  myCreator: () =>
    request<{ profile: CreatorProfile | null; explanations: Explanations }>('GET', '/me/creator'),
  saveCreator: (body: {
    headline: string;
    niches: string[];
    communities?: string[];
    rateCents?: number | null;
    rateNote?: string;
  }) => request<{ profile: CreatorProfile; explanations: Explanations }>('PATCH', '/me/creator', body),
  optOut: () => request<Ok>('DELETE', '/me/creator'),
  myWork: () => request<{ campaigns: Campaign[]; deliverables: Deliverable[] }>('GET', '/me/creator/work'),
  searchCreators: (q: Record<string, string | number | undefined>) =>
    request<{ items: CreatorProfile[]; explanations: Explanations }>('GET', `/creators${qs(q)}`),
  communitySettings: (slug: string) =>
    request<{ sponsoredAllowed: boolean }>('GET', `/communities/${enc(slug)}/partnerships`),
  saveCommunitySettings: (slug: string, sponsoredAllowed: boolean) =>
    request<{ sponsoredAllowed: boolean }>('PATCH', `/communities/${enc(slug)}/partnerships`, {
      sponsoredAllowed,
    }),
  communityCampaigns: (slug: string) =>
    request<{ items: Campaign[] }>('GET', `/communities/${enc(slug)}/campaigns`),
  decide: (slug: string, id: number, decision: 'approved' | 'rejected') =>
    request<Campaign>('POST', `/communities/${enc(slug)}/campaigns/${id}/decision`, { decision }),
};

/** "1,234.50 EUR" from integer cents. */
export const money = (cents: number | null | undefined, currency: string) =>
  cents == null
    ? '—'
    : new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 2 }).format(
        cents / 100,
      );
