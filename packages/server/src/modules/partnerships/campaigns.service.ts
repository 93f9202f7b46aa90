import type { Viewer } from '../../platform/auth.ts';
import { DAY } from '../../platform/clock.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import { assertOwner, communityAccess } from '../../platform/permissions.ts';
import { assertBrandManager, assertCampaignManager, loadBrand, loadCampaign } from './access.ts';
import { checkHttpUrl, type PartnershipDeps } from './brands.service.ts';
import * as q from './partnerships.queries.ts';
import type { CreateCampaignBody, UpdateCampaignBody } from './partnerships.schema.ts';
import { presentCampaigns } from './present.ts';
import './partnerships.events.ts';

/** Campaigns: brief, budget, dates, deliverables; community approval; creators invited or applying. */

export function parseDate(value: string, field: string, endOfDay: boolean): number {
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const t = Date.parse(dayOnly ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(t) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    invalid(field, 'is not a date (YYYY-MM-DD or ISO 8601)');
  return dayOnly && endOfDay ? t + DAY - 1 : t;
}

export async function getCampaign(deps: PartnershipDeps, id: number, viewer: Viewer) {
  await loadCampaign(deps.db, id, viewer);
  const row = (await q.findCampaign(deps.db, id))!;
  return (await presentCampaigns(deps.db, [row], viewer, deps.publicUrl))[0]!;
}

export async function createCampaign(
  deps: PartnershipDeps,
  slug: string,
  viewer: Viewer,
  body: CreateCampaignBody,
) {
  const a = await loadBrand(deps.db, slug, viewer);
  assertBrandManager(a);
  const startsAt = parseDate(body.startsAt, 'startsAt', false);
  const endsAt = parseDate(body.endsAt, 'endsAt', true);
  if (endsAt <= startsAt) invalid('endsAt', 'must be after startsAt');
  const now = deps.clock.now();
  const id = await inTransaction(deps, async (trx) => {
    const c = await trx
      .insertInto('campaigns')
      .values({
        brand_id: a.brand.id,
        title: body.title.trim(),
        brief: body.brief ?? '',
        deliverables_brief: body.deliverablesBrief ?? '',
        budget_cents: body.budgetCents,
        starts_at: startsAt,
        ends_at: endsAt,
        landing_url: checkHttpUrl('landingUrl', body.landingUrl),
        attribution_model: body.attributionModel ?? 'last_touch',
        attribution_window_days: body.attributionWindowDays ?? 30,
        open_applications: body.openApplications ? 1 : 0,
        status: body.status ?? 'draft',
        created_by: viewer.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q.audit(trx, {
      brandId: a.brand.id,
      campaignId: c.id,
      actorId: viewer.userId,
      action: 'campaign_created',
      now,
    });
    return c.id;
  });
  return getCampaign(deps, id, viewer);
}

export async function listBrandCampaigns(deps: PartnershipDeps, slug: string, viewer: Viewer) {
  const a = await loadBrand(deps.db, slug, viewer);
  assertBrandManager(a);
  const rows = await q.listCampaigns(deps.db, { brandId: a.brand.id });
  return { items: await presentCampaigns(deps.db, rows, viewer, deps.publicUrl) };
}

export async function updateCampaign(
  deps: PartnershipDeps,
  id: number,
  viewer: Viewer,
  body: UpdateCampaignBody,
) {
  const a = await loadCampaign(deps.db, id, viewer);
  assertCampaignManager(a);
  const c = a.campaign;
  const startsAt = body.startsAt !== undefined ? parseDate(body.startsAt, 'startsAt', false) : c.starts_at;
  const endsAt = body.endsAt !== undefined ? parseDate(body.endsAt, 'endsAt', true) : c.ends_at;
  if (endsAt <= startsAt) invalid('endsAt', 'must be after startsAt');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await trx
      .updateTable('campaigns')
      .set({
        title: body.title?.trim() ?? c.title,
        brief: body.brief ?? c.brief,
        deliverables_brief: body.deliverablesBrief ?? c.deliverables_brief,
        budget_cents: body.budgetCents ?? c.budget_cents,
        starts_at: startsAt,
        ends_at: endsAt,
        landing_url:
          body.landingUrl !== undefined ? checkHttpUrl('landingUrl', body.landingUrl) : c.landing_url,
        attribution_model: body.attributionModel ?? c.attribution_model,
        attribution_window_days: body.attributionWindowDays ?? c.attribution_window_days,
        open_applications:
          body.openApplications === undefined ? c.open_applications : body.openApplications ? 1 : 0,
        status: body.status ?? c.status,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await q.audit(trx, {
      brandId: c.brand_id,
      campaignId: id,
      actorId: viewer.userId,
      action: 'campaign_updated',
      detail: { fields: Object.keys(body) },
      now,
    });
  });
  return getCampaign(deps, id, viewer);
}

/** Where sponsored content may appear: the community's opt-out setting, readable by anyone who may read it. */
export async function getSettings(deps: PartnershipDeps, slug: string, viewer: Viewer | null) {
  const c = await q.findCommunityBySlug(deps.db, slug);
  const access = c ? await communityAccess(deps.db, c, viewer) : null;
  if (!c || !access?.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  return { sponsoredAllowed: await q.sponsoredAllowed(deps.db, c.id) };
}

/** Owners opt their community out of (or back in to) campaigns and sponsored posts. */
export async function saveSettings(
  deps: PartnershipDeps,
  slug: string,
  viewer: Viewer,
  sponsoredAllowed: boolean,
) {
  const c = await q.findCommunityBySlug(deps.db, slug);
  const access = c ? await communityAccess(deps.db, c, viewer) : null;
  if (!c || !access?.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  assertOwner(access);
  const now = deps.clock.now();
  const value = sponsoredAllowed ? 1 : 0;
  await inTransaction(deps, async (trx) => {
    await trx
      .insertInto('community_partnership_settings')
      .values({ community_id: c.id, sponsored_allowed: value, updated_by: viewer.userId, updated_at: now })
      .onConflict((oc) =>
        oc
          .column('community_id')
          .doUpdateSet({ sponsored_allowed: value, updated_by: viewer.userId, updated_at: now }),
      )
      .execute();
    if (!sponsoredAllowed) {
      // Opting out refuses what is still waiting; campaigns already approved cannot publish any more.
      await trx
        .updateTable('campaign_communities')
        .set({
          status: 'rejected',
          note: 'The community opted out of sponsored content',
          decided_by: viewer.userId,
          decided_at: now,
        })
        .where('community_id', '=', c.id)
        .where('status', '=', 'pending')
        .execute();
    }
  });
  return { sponsoredAllowed };
}

/** A brand manager asks to run the campaign in a community; its owners decide. */
export async function requestCommunity(deps: PartnershipDeps, id: number, viewer: Viewer, slug: string) {
  const a = await loadCampaign(deps.db, id, viewer);
  assertCampaignManager(a);
  const c = await q.findCommunityBySlug(deps.db, slug);
  const access = c ? await communityAccess(deps.db, c, viewer) : null;
  if (!c || !access?.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  if (!(await q.sponsoredAllowed(deps.db, c.id)))
    fail('SPONSORED_NOT_ALLOWED', `${c.name} does not accept campaigns or sponsored posts`);
  const existing = await q.findCampaignCommunity(deps.db, id, c.id);
  if (existing && existing.status !== 'rejected') return getCampaign(deps, id, viewer);
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await trx
      .insertInto('campaign_communities')
      .values({
        campaign_id: id,
        community_id: c.id,
        status: 'pending',
        note: '',
        requested_at: now,
        decided_by: null,
        decided_at: null,
      })
      .onConflict((oc) =>
        oc.columns(['campaign_id', 'community_id']).doUpdateSet({
          status: 'pending',
          note: '',
          requested_at: now,
          decided_by: null,
          decided_at: null,
        }),
      )
      .execute();
    await q.audit(trx, {
      brandId: a.brand.id,
      campaignId: id,
      actorId: viewer.userId,
      action: 'community_requested',
      detail: { communityId: c.id },
      now,
    });
    await deps.events.emit(trx, 'partnerships.campaign_requested', {
      campaignId: id,
      brandId: a.brand.id,
      communityId: c.id,
      requestedBy: viewer.userId,
    });
  });
  return getCampaign(deps, id, viewer);
}

/** Campaigns that asked to run in a community: its owners (and site admins) only. */
export async function communityCampaigns(deps: PartnershipDeps, slug: string, viewer: Viewer) {
  const c = await q.findCommunityBySlug(deps.db, slug);
  const access = c ? await communityAccess(deps.db, c, viewer) : null;
  if (!c || !access?.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  assertOwner(access);
  const rows = await q.listCampaigns(deps.db, { ids: await q.campaignIdsOfCommunity(deps.db, c.id) });
  return { items: await presentCampaigns(deps.db, rows, viewer, deps.publicUrl) };
}

export async function decideCommunity(
  deps: PartnershipDeps,
  slug: string,
  id: number,
  viewer: Viewer,
  body: { decision: 'approved' | 'rejected'; note?: string },
) {
  const c = await q.findCommunityBySlug(deps.db, slug);
  const access = c ? await communityAccess(deps.db, c, viewer) : null;
  if (!c || !access?.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  assertOwner(access);
  const request = await q.findCampaignCommunity(deps.db, id, c.id);
  if (!request) fail('CAMPAIGN_NOT_FOUND', `Campaign ${id} did not ask to run in ${c.name}`);
  if (body.decision === 'approved' && !(await q.sponsoredAllowed(deps.db, c.id)))
    fail('SPONSORED_NOT_ALLOWED', `${c.name} opted out of sponsored content; opt back in first`);
  const campaign = (await q.findCampaign(deps.db, id))!;
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await trx
      .updateTable('campaign_communities')
      .set({ status: body.decision, note: body.note ?? '', decided_by: viewer.userId, decided_at: now })
      .where('campaign_id', '=', id)
      .where('community_id', '=', c.id)
      .execute();
    await q.audit(trx, {
      brandId: campaign.brand_id,
      campaignId: id,
      actorId: viewer.userId,
      action: `community_${body.decision}`,
      detail: { communityId: c.id },
      now,
    });
    await deps.events.emit(trx, 'partnerships.campaign_decided', {
      campaignId: id,
      brandId: campaign.brand_id,
      communityId: c.id,
      decision: body.decision,
      decidedBy: viewer.userId,
    });
  });
  return getCampaign(deps, id, viewer);
}

/** Managers invite opted-in creators. */
export async function inviteCreator(
  deps: PartnershipDeps,
  id: number,
  viewer: Viewer,
  body: { username: string; feeCents?: number; message?: string },
) {
  const a = await loadCampaign(deps.db, id, viewer);
  assertCampaignManager(a);
  if (a.campaign.status === 'closed') fail('PARTNERSHIP_STATE', 'This campaign is closed');
  const user = await q.findUserByUsername(deps.db, body.username);
  if (!user || !(await q.findProfile(deps.db, user.id)))
    fail('CREATOR_NOT_FOUND', `@${body.username} has no creator profile`);
  const existing = await q.findParticipant(deps.db, id, user.id);
  if (existing && existing.status !== 'declined')
    fail('PARTNERSHIP_STATE', `@${user.username} is already ${existing.status}`);
  await upsertParticipant(
    deps,
    a.brand.id,
    id,
    user.id,
    'invited',
    body.feeCents ?? 0,
    body.message ?? '',
    viewer.userId,
  );
  return getCampaign(deps, id, viewer);
}

/** An opted-in creator applies to an active campaign open to applications. */
export async function apply(
  deps: PartnershipDeps,
  id: number,
  viewer: Viewer,
  body: { message?: string; feeCents?: number },
) {
  const a = await loadCampaign(deps.db, id, viewer);
  if (!a.isCreator) fail('NOT_A_CREATOR', 'Opt in as a creator (your creator profile) to apply');
  if (a.campaign.status !== 'active' || !a.campaign.open_applications)
    fail('PARTNERSHIP_STATE', 'This campaign does not take applications');
  if (a.participant && a.participant.status !== 'declined')
    fail('PARTNERSHIP_STATE', `You are already ${a.participant.status}`);
  await upsertParticipant(
    deps,
    a.brand.id,
    id,
    viewer.userId,
    'applied',
    body.feeCents ?? 0,
    body.message ?? '',
    viewer.userId,
  );
  return getCampaign(deps, id, viewer);
}

/** An invited creator answers their invitation; managers answer applications. */
export async function respond(
  deps: PartnershipDeps,
  id: number,
  username: string,
  viewer: Viewer,
  accept: boolean,
) {
  const a = await loadCampaign(deps.db, id, viewer);
  const user = await q.findUserByUsername(deps.db, username);
  const p = user ? await q.findParticipant(deps.db, id, user.id) : undefined;
  if (!user || !p || (!a.isManager && user.id !== viewer.userId))
    fail('CREATOR_NOT_FOUND', `@${username} is not part of campaign ${id}`);
  if (p.status === 'invited' && user.id !== viewer.userId)
    fail('FORBIDDEN', 'Only the invited creator answers an invitation');
  if (p.status === 'applied' && !a.isManager) fail('FORBIDDEN', 'Brand managers answer applications');
  if (p.status !== 'invited' && p.status !== 'applied')
    fail('PARTNERSHIP_STATE', `Nothing to answer: @${username} is ${p.status}`);
  await upsertParticipant(
    deps,
    a.brand.id,
    id,
    user.id,
    accept ? 'accepted' : 'declined',
    p.fee_cents,
    p.message,
    viewer.userId,
  );
  return getCampaign(deps, id, viewer);
}

async function upsertParticipant(
  deps: PartnershipDeps,
  brandId: number,
  campaignId: number,
  userId: number,
  status: 'invited' | 'applied' | 'accepted' | 'declined',
  feeCents: number,
  message: string,
  actorId: number,
) {
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await trx
      .insertInto('campaign_creators')
      .values({
        campaign_id: campaignId,
        user_id: userId,
        status,
        fee_cents: feeCents,
        message,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['campaign_id', 'user_id'])
          .doUpdateSet({ status, fee_cents: feeCents, message, updated_at: now }),
      )
      .execute();
    await q.audit(trx, {
      brandId,
      campaignId,
      actorId,
      action: `creator_${status}`,
      detail: { userId },
      now,
    });
    await deps.events.emit(trx, 'partnerships.creator_status_changed', {
      campaignId,
      brandId,
      userId,
      status,
      by: actorId,
    });
  });
}
