import { randomToken, type Viewer } from '../../platform/auth.ts';
import { anonymousKey, hasAnalyticsConsent } from '../../platform/consent.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { assertCampaignManager, loadCampaign } from './access.ts';
import { checkHttpUrl, type PartnershipDeps } from './brands.service.ts';
import * as q from './partnerships.queries.ts';
import { linkUrl } from './present.ts';

/** Tracked links and promo codes per creator, and the redirect that counts clicks. */

async function acceptedCreator(deps: PartnershipDeps, campaignId: number, username: string) {
  const user = await q.findUserByUsername(deps.db, username);
  const p = user ? await q.findParticipant(deps.db, campaignId, user.id) : undefined;
  if (!user || p?.status !== 'accepted')
    fail('CREATOR_NOT_FOUND', `@${username} is not an accepted creator of this campaign`);
  return user;
}

/**
 * A link for one creator. The target defaults to the campaign's landing URL and must stay on
 * its host (or the brand's website's): the redirect can only ever lead where the brand sells.
 */
export async function createLink(
  deps: PartnershipDeps,
  campaignId: number,
  viewer: Viewer,
  body: { username: string; targetUrl?: string },
) {
  const a = await loadCampaign(deps.db, campaignId, viewer);
  assertCampaignManager(a);
  const user = await acceptedCreator(deps, campaignId, body.username);
  const target = body.targetUrl ? checkHttpUrl('targetUrl', body.targetUrl) : a.campaign.landing_url;
  const hosts = [a.campaign.landing_url, a.brand.website_url]
    .filter((u): u is string => !!u)
    .map((u) => new URL(u).host);
  if (!hosts.includes(new URL(target).host)) invalid('targetUrl', `must be on ${hosts.join(' or ')}`);
  const code = randomToken(9);
  const row = await deps.db
    .insertInto('tracked_links')
    .values({
      code,
      campaign_id: campaignId,
      creator_id: user.id,
      target_url: target,
      created_at: deps.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, code, url: linkUrl(deps.publicUrl, code), targetUrl: target };
}

export async function createPromoCode(
  deps: PartnershipDeps,
  campaignId: number,
  viewer: Viewer,
  body: { username: string; code: string },
) {
  const a = await loadCampaign(deps.db, campaignId, viewer);
  assertCampaignManager(a);
  const user = await acceptedCreator(deps, campaignId, body.username);
  const code = body.code.toUpperCase();
  const res = await deps.db
    .insertInto('promo_codes')
    .values({
      brand_id: a.brand.id,
      code,
      campaign_id: campaignId,
      creator_id: user.id,
      created_at: deps.clock.now(),
    })
    .onConflict((oc) => oc.columns(['brand_id', 'code']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!res) fail('PROMO_CODE_TAKEN', `${a.brand.name} already has the promo code ${code}`);
  return { id: res.id, code };
}

/**
 * Counts a click and answers where to send the visitor (the stored target plus a random
 * `hearth_click` reference the shop sends back with a conversion). Consent rules: a signed-in
 * member with analytics consent is stored as themselves; anyone else only as a daily-rotating
 * anonymous key of their address and browser, never the raw IP or id.
 */
export async function followLink(
  deps: PartnershipDeps,
  code: string,
  viewer: Viewer | null,
  ip: string,
  userAgent: string,
) {
  const link = /^[A-Za-z0-9_-]{1,32}$/.test(code)
    ? await deps.db.selectFrom('tracked_links').selectAll().where('code', '=', code).executeTakeFirst()
    : undefined;
  if (!link) fail('LINK_NOT_FOUND', 'No such link');
  const now = deps.clock.now();
  const consented = viewer ? await hasAnalyticsConsent(deps.db, viewer.userId) : false;
  const ref = randomToken(12);
  await deps.db
    .insertInto('link_clicks')
    .values({
      link_id: link.id,
      campaign_id: link.campaign_id,
      creator_id: link.creator_id,
      ref,
      user_id: consented ? viewer!.userId : null,
      visitor_key: consented ? null : await anonymousKey(deps.db, `${ip}|${userAgent}`, now),
      created_at: now,
    })
    .execute();
  const target = new URL(link.target_url);
  target.searchParams.set('hearth_click', ref);
  return target.toString();
}
