import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { type Clock, isoOrNull } from '../../platform/clock.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { type Events, inTransaction } from '../../platform/events.ts';
import { assertModerator, assertOwner, communityAccess } from '../../platform/permissions.ts';
import * as q from './collaborations.queries.ts';
import './collaborations.events.ts';

/**
 * Collaborations between two communities. The owner of A proposes, the owner of B accepts
 * (both owners agree; two crossing proposals count as agreement); an owner of either ends
 * it, which also takes every cross-post and co-hosted event out of the other's lists.
 * A community can only propose to one its owner can see (a private one only if they belong
 * to it), so nobody learns of a private community through a proposal they could not make.
 */
export interface CollabDeps {
  db: Db;
  events: Events;
  clock: Clock;
}

export async function loadCommunity(deps: CollabDeps, slug: string, viewer: Viewer | null, field?: string) {
  const community = await q.findCommunityBySlug(deps.db, slug);
  const access = community ? await communityAccess(deps.db, community, viewer) : null;
  if (!community || !access!.canSeeCommunity) {
    if (field) fail('COMMUNITY_NOT_FOUND', `${field}: no community "${slug}"`, { field });
    fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  }
  return { community, access: access! };
}

function present(p: q.CollaborationRow, self: number, partner: q.CommunityLite) {
  return {
    id: p.id,
    partner: { id: partner.id, slug: partner.slug, name: partner.name, visibility: partner.visibility },
    status: p.status,
    direction: p.proposer_community === self ? ('outgoing' as const) : ('incoming' as const),
    createdAt: new Date(p.created_at).toISOString(),
    acceptedAt: isoOrNull(p.accepted_at),
  };
}

/** A community's collaborations and proposals, for its moderators. */
export async function listCollaborations(deps: CollabDeps, slug: string, viewer: Viewer) {
  const { community, access } = await loadCommunity(deps, slug, viewer);
  if (!access.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  assertModerator(access);
  const rows = await q.listCollaborationsOf(deps.db, community.id);
  const other = (p: q.CollaborationRow) =>
    p.community_low === community.id ? p.community_high : p.community_low;
  const partners = new Map((await q.findCommunitiesByIds(deps.db, rows.map(other))).map((c) => [c.id, c]));
  return { items: rows.map((p) => present(p, community.id, partners.get(other(p))!)) };
}

export async function propose(deps: CollabDeps, slug: string, viewer: Viewer, partnerSlug: string) {
  const { community, access } = await loadCommunity(deps, slug, viewer);
  if (!access.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  assertOwner(access);
  const { community: partner } = await loadCommunity(deps, partnerSlug, viewer, 'partner');
  if (partner.id === community.id) invalid('partner', 'a community cannot partner with itself');
  const now = deps.clock.now();
  const id = await inTransaction(deps, async (trx) => {
    const existing = await q.findCollaborationBetween(trx, community.id, partner.id);
    if (existing?.status === 'active') fail('COLLABORATION_EXISTS', 'These communities are already partners');
    if (existing?.status === 'proposed') {
      if (existing.proposer_community === community.id)
        fail('COLLABORATION_EXISTS', 'This proposal is waiting for the other owner');
      // They proposed to us and we propose to them: both owners agree.
      await q.acceptCollaboration(trx, existing.id, viewer.userId, now);
      await emitAccepted(deps, trx, existing, viewer.userId);
      return existing.id;
    }
    const pid = await q.proposeCollaboration(trx, {
      from: community.id,
      to: partner.id,
      by: viewer.userId,
      now,
      existing,
    });
    await deps.events.emit(trx, 'collaborations.proposed', {
      collaborationId: pid,
      fromCommunityId: community.id,
      toCommunityId: partner.id,
      by: viewer.userId,
    });
    return pid;
  });
  const row = (await q.findCollaboration(deps.db, id))!;
  return present(row, community.id, partner);
}

async function emitAccepted(
  deps: CollabDeps,
  trx: Parameters<Events['emit']>[0],
  p: q.CollaborationRow,
  by: number,
) {
  await deps.events.emit(trx, 'collaborations.accepted', {
    collaborationId: p.id,
    communityIds: [p.community_low, p.community_high],
    by,
  });
}

/** The collaboration and the viewer's roles in its two communities; 404 unless they moderate one. */
async function loadForOwner(deps: CollabDeps, id: number, viewer: Viewer) {
  const p = await q.findCollaboration(deps.db, id);
  if (!p || p.status === 'ended') fail('COLLABORATION_NOT_FOUND', `No collaboration ${id}`);
  const [a, b] = await q.findCommunitiesByIds(deps.db, [p.community_low, p.community_high]);
  const sides = await Promise.all(
    [a!, b!].map(async (c) => ({ c, access: await communityAccess(deps.db, c, viewer) })),
  );
  if (!sides.some((s) => s.access.isModerator)) fail('COLLABORATION_NOT_FOUND', `No collaboration ${id}`);
  return { p, sides };
}

export async function accept(deps: CollabDeps, id: number, viewer: Viewer) {
  const { p, sides } = await loadForOwner(deps, id, viewer);
  const receiver = sides.find((s) => s.c.id !== p.proposer_community)!;
  if (!receiver.access.isOwner) fail('FORBIDDEN', "Only the invited community's owner can accept");
  if (p.status !== 'proposed') fail('COLLABORATION_EXISTS', 'These communities are already partners');
  await inTransaction(deps, async (trx) => {
    if (!(await q.acceptCollaboration(trx, id, viewer.userId, deps.clock.now())))
      fail('COLLABORATION_EXISTS', 'This proposal was already decided');
    await emitAccepted(deps, trx, p, viewer.userId);
  });
  const other = sides.find((s) => s.c.id !== receiver.c.id)!.c;
  return present((await q.findCollaboration(deps.db, id))!, receiver.c.id, other);
}

/** Ends a collaboration (or declines / withdraws a proposal): an owner of either community. */
export async function end(deps: CollabDeps, id: number, viewer: Viewer) {
  const { p, sides } = await loadForOwner(deps, id, viewer);
  if (!sides.some((s) => s.access.isOwner)) fail('FORBIDDEN', 'Only an owner of either community can end it');
  await inTransaction(deps, async (trx) => {
    await q.endCollaboration(trx, id, viewer.userId, deps.clock.now());
    await deps.events.emit(trx, 'collaborations.ended', {
      collaborationId: p.id,
      communityIds: [p.community_low, p.community_high],
      by: viewer.userId,
    });
  });
}
