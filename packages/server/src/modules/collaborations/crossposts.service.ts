import type { Viewer } from '../../platform/auth.ts';
import { fail } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import { assertModerator, type CommunityAccess, communityAccess } from '../../platform/permissions.ts';
import * as q from './collaborations.queries.ts';
import { type CollabDeps, loadCommunity } from './collaborations.service.ts';

/**
 * Cross-posted threads and co-hosted events. A moderator of the origin community shares a
 * thread (or an event) into an active partner community: it then appears in both lists,
 * with one comment thread (one RSVP list), and members of either community may read and
 * take part under the origin's rules (locks, sanctions, moderation stay the origin's).
 * A private community's content goes into a public partner only by its owner's explicit
 * choice (`confirmPrivateToPublic: true`), since it becomes readable by everyone there.
 * Ending the collaboration removes every share between the two.
 */

async function shareRules(
  deps: CollabDeps,
  origin: { id: number; visibility: string },
  originAccess: CommunityAccess,
  target: q.CommunityLite,
  confirm: boolean | undefined,
) {
  if (target.id === origin.id) fail('ALREADY_CROSSPOSTED', 'It is already in its own community');
  const p = await q.findCollaborationBetween(deps.db, origin.id, target.id);
  if (p?.status !== 'active') fail('NOT_PARTNERS', `Not a partner of "${target.slug}"`);
  if (origin.visibility === 'private' && target.visibility === 'public') {
    if (!originAccess.isOwner)
      fail('FORBIDDEN', "Only the owner can share this private community's content into a public one");
    if (confirm !== true)
      fail(
        'CROSSPOST_CONFIRMATION_REQUIRED',
        `"${target.slug}" is public: everyone will be able to read this. Send confirmPrivateToPublic: true to go ahead`,
        { field: 'confirmPrivateToPublic' },
      );
  }
  return p;
}

const ref = (c: q.CommunityLite) => ({ id: c.id, slug: c.slug, name: c.name });

/** The thread, its origin and the viewer's access there; 404 as content does for what they may not read. */
async function loadThread(deps: CollabDeps, id: number, viewer: Viewer | null) {
  const thread = await q.findThreadLite(deps.db, id);
  if (!thread) fail('THREAD_NOT_FOUND', `No thread ${id}`);
  const [origin] = await q.findCommunitiesByIds(deps.db, [thread.community_id]);
  const access = await communityAccess(deps.db, origin!, viewer);
  const shares = await q.crosspostsOf(deps.db, id);
  const targets = await q.findCommunitiesByIds(
    deps.db,
    shares.map((s) => s.community_id),
  );
  const targetAccess = await Promise.all(targets.map((c) => communityAccess(deps.db, c, viewer)));
  const readable = access.canRead || targetAccess.some((a) => a.canRead);
  const hidden = (thread.deleted_at != null || thread.status !== 'visible') && !access.isModerator;
  if (!readable || hidden) fail('THREAD_NOT_FOUND', `No thread ${id}`);
  const visibleTargets = targets.filter((_, i) => targetAccess[i]!.canRead);
  return { thread, origin: origin!, access, targets, targetAccess, visibleTargets };
}

export async function listCrossposts(deps: CollabDeps, id: number, viewer: Viewer | null) {
  const { origin, access, visibleTargets } = await loadThread(deps, id, viewer);
  return { origin: access.canRead ? ref(origin) : null, items: visibleTargets.map(ref) };
}

export async function crosspost(
  deps: CollabDeps,
  id: number,
  viewer: Viewer,
  body: { community: string; confirmPrivateToPublic?: boolean },
) {
  const { thread, origin, access } = await loadThread(deps, id, viewer);
  if (!access.canRead) fail('THREAD_NOT_FOUND', `No thread ${id}`);
  assertModerator(access);
  if (thread.deleted_at) fail('CONTENT_DELETED', 'This thread was deleted');
  const { community: target } = await loadCommunity(deps, body.community, viewer, 'community');
  const p = await shareRules(deps, origin, access, target, body.confirmPrivateToPublic);
  await inTransaction(deps, async (trx) => {
    const fresh = await q.insertCrosspost(trx, {
      threadId: id,
      communityId: target.id,
      originId: origin.id,
      collaborationId: p.id,
      by: viewer.userId,
      now: deps.clock.now(),
    });
    if (!fresh) fail('ALREADY_CROSSPOSTED', `Already cross-posted to "${target.slug}"`);
    await deps.events.emit(trx, 'collaborations.thread_crossposted', {
      threadId: id,
      communityId: target.id,
      originCommunityId: origin.id,
      by: viewer.userId,
    });
  });
  return listCrossposts(deps, id, viewer);
}

/** Takes a cross-post back: moderators of the origin or of the community it was shared into. */
export async function removeCrosspost(deps: CollabDeps, id: number, viewer: Viewer, slug: string) {
  const { origin, access, targets, targetAccess } = await loadThread(deps, id, viewer);
  const i = targets.findIndex((c) => c.slug === slug.toLowerCase());
  const visible = i >= 0 && (targetAccess[i]!.canRead || access.canRead);
  if (!visible) fail('COMMUNITY_NOT_FOUND', `Not cross-posted to "${slug}"`);
  if (!access.isModerator && !targetAccess[i]!.isModerator)
    fail('FORBIDDEN', 'Only moderators of either community can remove a cross-post');
  await q.deleteCrosspost(deps.db, id, targets[i]!.id);
  // Computed here, not reloaded: the viewer may have read the thread only through that share.
  return {
    origin: access.canRead ? ref(origin) : null,
    items: targets.filter((_, j) => j !== i && targetAccess[j]!.canRead).map(ref),
  };
}

/** Loads an event with its host and co-hosts; 404 unless one of them is readable. */
async function loadEvent(deps: CollabDeps, id: number, viewer: Viewer) {
  const event = await q.findEventLite(deps.db, id);
  if (!event) fail('EVENT_NOT_FOUND', `No event ${id}`);
  const [host] = await q.findCommunitiesByIds(deps.db, [event.community_id]);
  const access = await communityAccess(deps.db, host!, viewer);
  const shares = await q.cohostsOf(deps.db, id);
  const targets = await q.findCommunitiesByIds(
    deps.db,
    shares.map((s) => s.community_id),
  );
  const targetAccess = await Promise.all(targets.map((c) => communityAccess(deps.db, c, viewer)));
  if (!access.canRead && !targetAccess.some((a) => a.canRead)) fail('EVENT_NOT_FOUND', `No event ${id}`);
  return { event, host: host!, access, targets, targetAccess };
}

const cohostList = (targets: q.CommunityLite[], targetAccess: CommunityAccess[]) => ({
  items: targets.filter((_, i) => targetAccess[i]!.canRead).map(ref),
});

export async function cohost(
  deps: CollabDeps,
  id: number,
  viewer: Viewer,
  body: { community: string; confirmPrivateToPublic?: boolean },
) {
  const { event, host, access } = await loadEvent(deps, id, viewer);
  if (!access.canRead) fail('EVENT_NOT_FOUND', `No event ${id}`);
  assertModerator(access);
  if (event.cancelled_at) fail('EVENT_CANCELLED', 'This event was cancelled');
  const { community: target } = await loadCommunity(deps, body.community, viewer, 'community');
  const p = await shareRules(deps, host, access, target, body.confirmPrivateToPublic);
  await inTransaction(deps, async (trx) => {
    const fresh = await q.insertCohost(trx, {
      eventId: id,
      communityId: target.id,
      collaborationId: p.id,
      by: viewer.userId,
      now: deps.clock.now(),
    });
    if (!fresh) fail('ALREADY_CROSSPOSTED', `"${target.slug}" already co-hosts this event`);
    await deps.events.emit(trx, 'collaborations.event_cohosted', {
      eventId: id,
      communityId: target.id,
      hostCommunityId: host.id,
      by: viewer.userId,
    });
  });
  const after = await loadEvent(deps, id, viewer);
  return cohostList(after.targets, after.targetAccess);
}

export async function removeCohost(deps: CollabDeps, id: number, viewer: Viewer, slug: string) {
  const { access, targets, targetAccess } = await loadEvent(deps, id, viewer);
  const i = targets.findIndex((c) => c.slug === slug.toLowerCase());
  if (i < 0 || !(targetAccess[i]!.canRead || access.canRead))
    fail('COMMUNITY_NOT_FOUND', `"${slug}" does not co-host this event`);
  if (!access.isModerator && !targetAccess[i]!.isModerator)
    fail('FORBIDDEN', 'Only moderators of either community can remove a co-host');
  await q.deleteCohost(deps.db, id, targets[i]!.id);
  return cohostList(
    targets.filter((_, j) => j !== i),
    targetAccess.filter((_, j) => j !== i),
  );
}
