import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { fail } from '../../platform/errors.ts';
import * as q from './partnerships.queries.ts';

/**
 * Who may do what with brands and campaigns. Brand-level roles sit beside the community
 * roles of platform/permissions.ts: a brand's members (owner, manager) manage its brand and
 * campaigns; site admins may do everything. A campaign is visible to its brand's managers,
 * to the creators invited or applying, to the owners of the communities it asked to run in,
 * and, when active with open applications, to every opted-in creator; anyone else gets the
 * same 404 as for a campaign that does not exist.
 */
export interface BrandAccess {
  brand: q.BrandRow;
  role: 'owner' | 'manager' | null;
  canManage: boolean;
  isOwner: boolean;
}

export async function loadBrand(db: Db, slug: string, viewer: Viewer | null): Promise<BrandAccess> {
  const brand = await q.findBrandBySlug(db, slug);
  if (!brand) fail('BRAND_NOT_FOUND', `No brand "${slug}"`);
  return brandAccess(db, brand, viewer);
}

export async function brandAccess(db: Db, brand: q.BrandRow, viewer: Viewer | null): Promise<BrandAccess> {
  const role = viewer ? await q.brandRole(db, brand.id, viewer.userId) : null;
  const admin = viewer?.isAdmin ?? false;
  return { brand, role, canManage: role != null || admin, isOwner: role === 'owner' || admin };
}

export function assertBrandManager(a: BrandAccess): void {
  if (!a.canManage) fail('FORBIDDEN', `Only managers of ${a.brand.name} can do this`);
}

export interface CampaignAccess {
  campaign: q.CampaignRow;
  brand: q.BrandRow;
  isManager: boolean;
  isAdmin: boolean;
  participant: Awaited<ReturnType<typeof q.findParticipant>> | null;
  /** Ids of the requested communities the viewer owns (all of them for site admins). */
  ownedCommunityIds: number[];
  isCreator: boolean;
}

export async function loadCampaign(db: Db, id: number, viewer: Viewer): Promise<CampaignAccess> {
  const campaign = await q.findCampaign(db, id);
  if (!campaign) fail('CAMPAIGN_NOT_FOUND', `No campaign ${id}`);
  const brand = (await q.findBrandById(db, campaign.brand_id))!;
  const a = await brandAccess(db, brand, viewer);
  const participant = (await q.findParticipant(db, id, viewer.userId)) ?? null;
  const requested = (await q.campaignCommunities(db, [id])).map((r) => r.community_id);
  const ownedCommunityIds = viewer.isAdmin
    ? requested
    : await q.ownedCommunityIds(db, viewer.userId, requested);
  const isCreator = !!(await q.findProfile(db, viewer.userId));
  const open = campaign.status === 'active' && campaign.open_applications === 1 && isCreator;
  if (!a.canManage && !participant && !ownedCommunityIds.length && !open)
    fail('CAMPAIGN_NOT_FOUND', `No campaign ${id}`);
  return {
    campaign,
    brand,
    isManager: a.canManage,
    isAdmin: viewer.isAdmin,
    participant,
    ownedCommunityIds,
    isCreator,
  };
}

export function assertCampaignManager(a: CampaignAccess): void {
  if (!a.isManager) fail('FORBIDDEN', `Only managers of ${a.brand.name} can do this`);
}
