import type { Viewer } from '../../platform/auth.ts';
import { iso } from '../../platform/clock.ts';
import { fail } from '../../platform/errors.ts';
import { communityAccess } from '../../platform/permissions.ts';
import { normalizeTag } from '../../platform/tags.ts';
import type { PartnershipDeps } from './brands.service.ts';
import { computeFigures, EXPLANATIONS } from './creators.metrics.ts';
import { loadActivity } from './metrics.queries.ts';
import * as q from './partnerships.queries.ts';
import type { CreatorProfileBody, CreatorSearchQuery } from './partnerships.schema.ts';
import { presentCampaigns, presentDeliverables } from './present.ts';

/**
 * Creators: members who opt in to partnerships with a public profile. Their figures are
 * computed by Hearth (creators.metrics.ts), stored in creator_stats by the hourly
 * partnerships.creator_stats job and whenever the profile is saved.
 */

type ProfileRow = NonNullable<Awaited<ReturnType<typeof q.findProfile>>>;

async function presentProfiles(deps: PartnershipDeps, rows: ProfileRow[]) {
  const ids = rows.map((r) => r.user_id);
  const [users, communities, stats] = await Promise.all([
    q.findUsers(deps.db, ids),
    q.creatorCommunities(deps.db, ids),
    q.statsOf(deps.db, ids),
  ]);
  return rows.map((p) => {
    const u = users.find((x) => x.id === p.user_id)!;
    const s = stats.find((x) => x.user_id === p.user_id);
    return {
      user: { id: u.id, username: u.username, displayName: u.display_name },
      headline: p.headline,
      niches: JSON.parse(p.niches) as string[],
      // Only public communities are shown: a creator's private memberships are nobody's business.
      communities: communities
        .filter((c) => c.user_id === p.user_id && c.visibility === 'public')
        .map((c) => ({ id: c.id, slug: c.slug, name: c.name })),
      rateCents: p.rate_cents,
      rateNote: p.rate_note,
      figures: s
        ? {
            contributions: s.contributions,
            engagement: s.engagement,
            followers: s.followers,
            engagementRate: s.engagement_rate,
            followerRate: s.follower_rate,
            reach: s.reach,
            sentiment: s.sentiment,
            growth: s.growth,
            authenticity: s.authenticity,
            details: JSON.parse(s.details) as Record<string, unknown>,
            computedAt: iso(s.computed_at),
          }
        : null,
      updatedAt: iso(p.updated_at),
    };
  });
}
export type PresentedProfile = Awaited<ReturnType<typeof presentProfiles>>[number];

export async function myProfile(deps: PartnershipDeps, viewer: Viewer) {
  const row = await q.findProfile(deps.db, viewer.userId);
  return { profile: row ? (await presentProfiles(deps, [row]))[0]! : null, explanations: EXPLANATIONS };
}

/** Opts in (or updates the profile). Communities listed must be public ones the member belongs to. */
export async function saveProfile(deps: PartnershipDeps, viewer: Viewer, body: CreatorProfileBody) {
  const niches = [...new Set(body.niches.map((t) => normalizeTag(t, 'niches')))];
  const communityIds: number[] = [];
  for (const slug of body.communities ?? []) {
    const c = await q.findCommunityBySlug(deps.db, slug);
    const access = c ? await communityAccess(deps.db, c, viewer) : null;
    if (!c || !access?.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
    if (c.visibility !== 'public' || !access.isMember)
      fail(
        'VALIDATION_FAILED',
        `communities: you can list public communities you are a member of ("${slug}")`,
        {
          field: 'communities',
        },
      );
    communityIds.push(c.id);
  }
  const now = deps.clock.now();
  const existing = await q.findProfile(deps.db, viewer.userId);
  await deps.db.transaction().execute(async (trx) => {
    const values = {
      headline: body.headline.trim(),
      niches: JSON.stringify(niches),
      rate_cents: body.rateCents === undefined ? (existing?.rate_cents ?? null) : body.rateCents,
      rate_note: body.rateNote ?? existing?.rate_note ?? '',
      updated_at: now,
    };
    if (existing)
      await trx.updateTable('creator_profiles').set(values).where('user_id', '=', viewer.userId).execute();
    else
      await trx
        .insertInto('creator_profiles')
        .values({ ...values, user_id: viewer.userId, created_at: now })
        .execute();
    if (body.communities) {
      await trx.deleteFrom('creator_communities').where('user_id', '=', viewer.userId).execute();
      if (communityIds.length)
        await trx
          .insertInto('creator_communities')
          .values(
            [...new Set(communityIds)].map((community_id) => ({ user_id: viewer.userId, community_id })),
          )
          .execute();
    }
  });
  await refreshCreator(deps, viewer.userId);
  return myProfile(deps, viewer);
}

/** Opts out: the profile and its figures go; campaign history stays with the brands it was agreed with. */
export async function deleteProfile(deps: PartnershipDeps, viewer: Viewer) {
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('creator_stats').where('user_id', '=', viewer.userId).execute();
    await trx.deleteFrom('creator_communities').where('user_id', '=', viewer.userId).execute();
    await trx.deleteFrom('creator_profiles').where('user_id', '=', viewer.userId).execute();
  });
  return { ok: true };
}

export async function getProfile(deps: PartnershipDeps, username: string) {
  const user = await q.findUserByUsername(deps.db, username);
  const row = user ? await q.findProfile(deps.db, user.id) : undefined;
  if (!row) fail('CREATOR_NOT_FOUND', `@${username} has no creator profile`);
  return { profile: (await presentProfiles(deps, [row]))[0]!, explanations: EXPLANATIONS };
}

/** Recomputes one creator's figures from the content tables. */
export async function refreshCreator(deps: PartnershipDeps, userId: number) {
  const row = await q.findProfile(deps.db, userId);
  if (!row) return;
  const communities = (await q.creatorCommunities(deps.db, [userId])).map((c) => c.id);
  const now = deps.clock.now();
  const f = computeFigures(
    await loadActivity(deps.db, userId, communities, JSON.parse(row.niches), now),
    now,
  );
  const values = {
    contributions: f.contributions,
    engagement: f.engagement,
    followers: f.followers,
    engagement_rate: f.engagementRate,
    follower_rate: f.followerRate,
    reach: f.reach,
    sentiment: f.sentiment,
    growth: f.growth,
    authenticity: f.authenticity,
    details: JSON.stringify(f.details),
    computed_at: now,
  };
  await deps.db
    .insertInto('creator_stats')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

/** The hourly job: every opted-in creator. */
export async function refreshAllCreators(deps: PartnershipDeps) {
  const rows = await q.listProfiles(deps.db);
  for (const r of rows) await refreshCreator(deps, r.user_id);
  return rows.length;
}

const SORT_KEY: Record<CreatorSearchQuery['sort'], (p: PresentedProfile) => number> = {
  engagement_rate: (p) => p.figures?.engagementRate ?? -1,
  follower_rate: (p) => p.figures?.followerRate ?? -1,
  reach: (p) => p.figures?.reach ?? -1,
  authenticity: (p) => p.figures?.authenticity ?? -1,
  growth: (p) => p.figures?.growth ?? -1e9,
  sentiment: (p) => p.figures?.sentiment ?? -2,
};

/**
 * Discovery, for brand managers (and site admins). Opted-in creators are few next to members,
 * so the filters run over the stored figures in memory; a creator matches a niche tag through
 * their declared niches or the tags of their own public threads.
 */
export async function searchCreators(deps: PartnershipDeps, viewer: Viewer, query: CreatorSearchQuery) {
  if (!viewer.isAdmin && !(await q.isAnyBrandMember(deps.db, viewer.userId)))
    fail('FORBIDDEN', 'Creator search is for brand managers: create or join a brand first');
  const tag = query.tag ? normalizeTag(query.tag, 'tag') : null;
  const community = query.community?.toLowerCase() ?? null;
  const all = await presentProfiles(deps, await q.listProfiles(deps.db));
  const min = (v: number | null | undefined, bound: number | undefined) =>
    bound === undefined || (v != null && v >= bound);
  const items = all.filter((p) => {
    const f = p.figures;
    if (tag && !p.niches.includes(tag) && !((f?.details.topTags as string[] | undefined) ?? []).includes(tag))
      return false;
    if (community && !p.communities.some((c) => c.slug === community)) return false;
    return (
      min(f?.engagementRate, query.minEngagementRate) &&
      min(f?.followerRate, query.minFollowerRate) &&
      min(f?.reach, query.minReach) &&
      min(f?.sentiment, query.minSentiment) &&
      min(f?.growth, query.minGrowth) &&
      min(f?.authenticity, query.minAuthenticity)
    );
  });
  const key = SORT_KEY[query.sort];
  items.sort((a, b) => key(b) - key(a) || a.user.username.localeCompare(b.user.username));
  return { items: items.slice(0, query.limit), explanations: EXPLANATIONS };
}

/** A creator's side: the campaigns they are invited to or take part in, open calls, and their deliverables. */
export async function myWork(deps: PartnershipDeps, viewer: Viewer) {
  const mine = await q.campaignIdsOfCreator(deps.db, viewer.userId);
  const isCreator = !!(await q.findProfile(deps.db, viewer.userId));
  const open = isCreator ? await q.listCampaigns(deps.db, { open: true }) : [];
  const joined = await q.listCampaigns(deps.db, { ids: mine });
  const rows = [...joined, ...open.filter((o) => !mine.includes(o.id))];
  return {
    campaigns: await presentCampaigns(deps.db, rows, viewer, deps.publicUrl),
    deliverables: await presentDeliverables(
      deps.db,
      await q.listDeliverables(deps.db, { creatorId: viewer.userId }),
    ),
  };
}
