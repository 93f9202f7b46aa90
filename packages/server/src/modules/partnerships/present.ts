import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { iso, isoOrNull } from '../../platform/clock.ts';
import { communityAccess } from '../../platform/permissions.ts';
import * as q from './partnerships.queries.ts';

/** Rows → API objects, in batches; what each viewer may see of a campaign is decided here. */

export const userRef = (u: { id: number; username: string; display_name: string }) => ({
  id: u.id,
  username: u.username,
  displayName: u.display_name,
});

export const presentBrand = (b: q.BrandRow, myRole: string | null) => ({
  id: b.id,
  slug: b.slug,
  name: b.name,
  description: b.description,
  websiteUrl: b.website_url,
  currency: b.currency,
  createdAt: iso(b.created_at),
  myRole,
});

export const dayString = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString().slice(0, 10));

/** The public path of a tracked link (served outside /api by partnerships.redirect.ts). */
export const linkUrl = (publicUrl: string, code: string) => `${publicUrl.replace(/\/+$/, '')}/r/${code}`;

/**
 * Campaigns as `viewer` may see them: managers see everything (budget, every creator, links,
 * payouts); a creator sees their own participation, links and payouts; a community owner sees
 * the brief and the communities. A private community appears only to those who may read it.
 */
export async function presentCampaigns(db: Db, rows: q.CampaignRow[], viewer: Viewer, publicUrl: string) {
  const ids = rows.map((r) => r.id);
  const brandIds = [...new Set(rows.map((r) => r.brand_id))];
  const [brands, communities, creators, links, codes, payouts] = await Promise.all([
    Promise.all(brandIds.map((id) => q.findBrandById(db, id))),
    q.campaignCommunities(db, ids),
    q.campaignCreators(db, ids),
    q.linksOf(db, ids),
    q.promoCodesOf(db, ids),
    q.payoutsOf(db, ids),
  ]);
  const brandById = new Map(brands.filter((b) => !!b).map((b) => [b!.id, b!]));
  const managed = new Set<number>();
  for (const b of brandById.values()) {
    if (viewer.isAdmin || (await q.brandRole(db, b.id, viewer.userId))) managed.add(b.id);
  }
  const communityIds = [...new Set(communities.map((c) => c.community_id))];
  const owned = new Set(
    viewer.isAdmin ? communityIds : await q.ownedCommunityIds(db, viewer.userId, communityIds),
  );
  const readable = new Set<number>();
  for (const c of communities) {
    if (readable.has(c.community_id)) continue;
    const access = await communityAccess(db, { id: c.community_id, visibility: c.visibility }, viewer);
    if (access.canRead) readable.add(c.community_id);
  }
  return rows.map((c) => {
    const brand = brandById.get(c.brand_id)!;
    const isManager = managed.has(c.brand_id);
    const mine = creators.find((p) => p.campaign_id === c.id && p.user_id === viewer.userId);
    const visibleCreator = (userId: number) => isManager || userId === viewer.userId;
    return {
      id: c.id,
      brand: { slug: brand.slug, name: brand.name, currency: brand.currency },
      title: c.title,
      brief: c.brief,
      deliverablesBrief: c.deliverables_brief,
      budgetCents: isManager ? c.budget_cents : null,
      startsAt: iso(c.starts_at),
      endsAt: iso(c.ends_at),
      landingUrl: c.landing_url,
      attributionModel: c.attribution_model,
      attributionWindowDays: c.attribution_window_days,
      openApplications: c.open_applications === 1,
      status: c.status,
      createdAt: iso(c.created_at),
      viewer: {
        isManager,
        creatorStatus: mine?.status ?? null,
        ownsCommunities: communities
          .filter((r) => r.campaign_id === c.id && owned.has(r.community_id))
          .map((r) => r.slug),
      },
      communities: communities
        .filter((r) => r.campaign_id === c.id && readable.has(r.community_id))
        .map((r) => ({
          community: { id: r.community_id, slug: r.slug, name: r.name },
          status: r.status,
          note: r.note,
          decidedAt: isoOrNull(r.decided_at),
        })),
      creators: creators
        .filter((p) => p.campaign_id === c.id && visibleCreator(p.user_id))
        .map((p) => ({
          user: { id: p.user_id, username: p.username, displayName: p.display_name },
          status: p.status,
          feeCents: p.fee_cents,
          message: p.message,
          links: links
            .filter((l) => l.campaign_id === c.id && l.creator_id === p.user_id)
            .map((l) => ({
              id: l.id,
              code: l.code,
              url: linkUrl(publicUrl, l.code),
              targetUrl: l.target_url,
            })),
          promoCodes: codes
            .filter((k) => k.campaign_id === c.id && k.creator_id === p.user_id)
            .map((k) => k.code),
          updatedAt: iso(p.updated_at),
        })),
      payouts: payouts
        .filter((p) => p.campaign_id === c.id && visibleCreator(p.creator_id))
        .map(presentPayout),
    };
  });
}

export const presentPayout = (p: Awaited<ReturnType<typeof q.payoutsOf>>[number]) => ({
  id: p.id,
  campaignId: p.campaign_id,
  creator: { id: p.creator_id, username: p.username, displayName: p.display_name },
  amountCents: p.amount_cents,
  status: p.status,
  paidOn: dayString(p.paid_on),
  note: p.note,
  createdAt: iso(p.created_at),
});

export async function presentDeliverables(db: Db, rows: q.DeliverableRow[]) {
  const commentIds = rows.filter((d) => d.kind === 'comment' && d.target_id).map((d) => d.target_id!);
  const threadOf = new Map<number, number>();
  if (commentIds.length) {
    const cs = await db
      .selectFrom('comments')
      .select(['id', 'thread_id'])
      .where('id', 'in', commentIds)
      .execute();
    for (const c of cs) threadOf.set(c.id, c.thread_id);
  }
  return rows.map((d) => ({
    id: d.id,
    campaignId: d.campaign_id,
    creator: { id: d.creator_id, username: d.username, displayName: d.display_name },
    community: { id: d.community_id, slug: d.community_slug, name: d.community_name },
    kind: d.kind,
    threadId: d.thread_id,
    title: d.title,
    body: d.body,
    status: d.status,
    reviewNote: d.review_note,
    published: d.target_id
      ? {
          type: d.kind,
          id: d.target_id,
          threadId: d.kind === 'thread' ? d.target_id : (threadOf.get(d.target_id) ?? d.thread_id ?? 0),
        }
      : null,
    createdAt: iso(d.created_at),
    updatedAt: iso(d.updated_at),
    publishedAt: isoOrNull(d.published_at),
  }));
}
