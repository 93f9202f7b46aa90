import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import { communityAccess } from '../../platform/permissions.ts';
import { createComment } from '../content/comments.service.ts';
import { createThread } from '../content/threads.service.ts';
import { loadCampaign } from './access.ts';
import type { PartnershipDeps } from './brands.service.ts';
import * as q from './partnerships.queries.ts';
import type { CreateDeliverableBody } from './partnerships.schema.ts';
import { presentDeliverables } from './present.ts';

/**
 * The content approval workflow: draft → in_review → (changes_requested → in_review)* →
 * approved → published. Publishing creates the thread or comment through the content module
 * with the disclosure label written in the same transaction, so campaign content can never
 * exist without its "Sponsored · <brand>" label.
 */

async function present(deps: PartnershipDeps, id: number) {
  return (await presentDeliverables(deps.db, [(await q.findDeliverable(deps.db, id))!]))[0]!;
}

/** The deliverable if the viewer is its creator, a manager of its brand or a site admin; otherwise 404. */
async function loadDeliverable(deps: PartnershipDeps, id: number, viewer: Viewer) {
  const d = await q.findDeliverable(deps.db, id);
  if (!d) fail('DELIVERABLE_NOT_FOUND', `No deliverable ${id}`);
  const campaign = (await q.findCampaign(deps.db, d.campaign_id))!;
  const isCreator = d.creator_id === viewer.userId;
  const isManager = viewer.isAdmin || !!(await q.brandRole(deps.db, campaign.brand_id, viewer.userId));
  if (!isCreator && !isManager) fail('DELIVERABLE_NOT_FOUND', `No deliverable ${id}`);
  return { d, campaign, isCreator, isManager };
}

export async function createDeliverable(
  deps: PartnershipDeps,
  campaignId: number,
  viewer: Viewer,
  body: CreateDeliverableBody,
) {
  const a = await loadCampaign(deps.db, campaignId, viewer);
  if (a.participant?.status !== 'accepted')
    fail('FORBIDDEN', 'Only creators taking part in this campaign write its content');
  const community = await q.findCommunityBySlug(deps.db, body.community);
  const access = community ? await communityAccess(deps.db, community, viewer) : null;
  if (!community || !access?.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${body.community}"`);
  // Content is written only for communities the brand asked (and so may name): consent first.
  const request = await q.findCampaignCommunity(deps.db, campaignId, community.id);
  if (!request || request.status === 'rejected')
    fail('CAMPAIGN_NOT_APPROVED', `This campaign has not asked to run in ${community.name}`);
  let threadId: number | null = null;
  if (body.kind === 'comment') {
    if (!body.threadId) invalid('threadId', 'is required for a comment');
    const t = await deps.db
      .selectFrom('threads')
      .select(['id', 'community_id'])
      .where('id', '=', body.threadId)
      .executeTakeFirst();
    if (!t || t.community_id !== community.id) invalid('threadId', `is not a thread of ${community.name}`);
    threadId = t.id;
  }
  const now = deps.clock.now();
  const row = await deps.db
    .insertInto('deliverables')
    .values({
      campaign_id: campaignId,
      creator_id: viewer.userId,
      community_id: community.id,
      kind: body.kind,
      thread_id: threadId,
      title: body.kind === 'thread' ? (body.title ?? '').trim() : '',
      body: body.body,
      status: 'draft',
      review_note: '',
      target_id: null,
      created_at: now,
      updated_at: now,
      published_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return present(deps, row.id);
}

export async function listDeliverables(deps: PartnershipDeps, campaignId: number, viewer: Viewer) {
  const a = await loadCampaign(deps.db, campaignId, viewer);
  const rows = await q.listDeliverables(deps.db, {
    campaignId,
    ...(a.isManager ? {} : { creatorId: viewer.userId }),
  });
  return { items: await presentDeliverables(deps.db, rows) };
}

export async function getDeliverable(deps: PartnershipDeps, id: number, viewer: Viewer) {
  await loadDeliverable(deps, id, viewer);
  return present(deps, id);
}

export async function updateDeliverable(
  deps: PartnershipDeps,
  id: number,
  viewer: Viewer,
  body: { title?: string; body?: string },
) {
  const { d, isCreator } = await loadDeliverable(deps, id, viewer);
  if (!isCreator) fail('FORBIDDEN', 'Only its creator edits a deliverable');
  if (d.status !== 'draft' && d.status !== 'changes_requested')
    fail('PARTNERSHIP_STATE', `A deliverable ${d.status.replace('_', ' ')} cannot be edited`);
  await deps.db
    .updateTable('deliverables')
    .set({
      title: d.kind === 'thread' ? (body.title ?? d.title).trim() : '',
      body: body.body ?? d.body,
      updated_at: deps.clock.now(),
    })
    .where('id', '=', id)
    .execute();
  return present(deps, id);
}

async function setStatus(
  deps: PartnershipDeps,
  d: q.DeliverableRow,
  brandId: number,
  viewer: Viewer,
  status: 'in_review' | 'changes_requested' | 'approved',
  note: string,
) {
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await trx
      .updateTable('deliverables')
      .set({ status, review_note: note, updated_at: now })
      .where('id', '=', d.id)
      .execute();
    await q.audit(trx, {
      brandId,
      campaignId: d.campaign_id,
      actorId: viewer.userId,
      action: `deliverable_${status}`,
      detail: { deliverableId: d.id, note },
      now,
    });
    await deps.events.emit(trx, 'partnerships.deliverable_changed', {
      deliverableId: d.id,
      campaignId: d.campaign_id,
      creatorId: d.creator_id,
      status,
      by: viewer.userId,
    });
  });
  return present(deps, d.id);
}

export async function submitDeliverable(deps: PartnershipDeps, id: number, viewer: Viewer) {
  const { d, campaign, isCreator } = await loadDeliverable(deps, id, viewer);
  if (!isCreator) fail('FORBIDDEN', 'Only its creator submits a deliverable');
  if (d.status !== 'draft' && d.status !== 'changes_requested')
    fail('PARTNERSHIP_STATE', `A deliverable ${d.status.replace('_', ' ')} cannot be submitted`);
  if (d.kind === 'thread' && !d.title) invalid('title', 'a thread needs a title before review');
  return setStatus(deps, d, campaign.brand_id, viewer, 'in_review', '');
}

export async function reviewDeliverable(
  deps: PartnershipDeps,
  id: number,
  viewer: Viewer,
  body: { decision: 'approve' | 'request_changes'; note?: string },
) {
  const { d, campaign, isManager } = await loadDeliverable(deps, id, viewer);
  if (!isManager) fail('FORBIDDEN', 'Brand managers review deliverables');
  if (d.status !== 'in_review') fail('PARTNERSHIP_STATE', 'Only a deliverable in review can be reviewed');
  return setStatus(
    deps,
    d,
    campaign.brand_id,
    viewer,
    body.decision === 'approve' ? 'approved' : 'changes_requested',
    body.note ?? '',
  );
}

/**
 * Publishes approved content as its creator, with the label. Refused unless the campaign is
 * active and running, the community's owner approved it there and the community still accepts
 * sponsored content (the content module then checks membership, locks and moderation).
 */
export async function publishDeliverable(deps: PartnershipDeps, id: number, viewer: Viewer) {
  const { d, campaign, isCreator } = await loadDeliverable(deps, id, viewer);
  if (!isCreator) fail('FORBIDDEN', 'Only its creator publishes a deliverable');
  if (d.status !== 'approved') fail('PARTNERSHIP_STATE', 'Only approved content can be published');
  const now = deps.clock.now();
  if (campaign.status !== 'active' || now < campaign.starts_at || now > campaign.ends_at)
    fail('PARTNERSHIP_STATE', 'The campaign is not running now');
  const request = await q.findCampaignCommunity(deps.db, campaign.id, d.community_id);
  if (request?.status !== 'approved')
    fail('CAMPAIGN_NOT_APPROVED', `The owners of ${d.community_name} have not approved this campaign there`);
  if (!(await q.sponsoredAllowed(deps.db, d.community_id)))
    fail('SPONSORED_NOT_ALLOWED', `${d.community_name} does not accept sponsored posts`);
  const attach = async (trx: Transaction<DB>, target: { id: number; communityId: number }) => {
    await trx
      .insertInto('sponsored_content')
      .values({
        target_type: d.kind,
        target_id: target.id,
        campaign_id: campaign.id,
        brand_id: campaign.brand_id,
        community_id: target.communityId,
        deliverable_id: d.id,
        created_at: now,
        removed_at: null,
        removed_by: null,
        removed_reason: null,
      })
      .execute();
    const claimed = await trx
      .updateTable('deliverables')
      .set({ status: 'published', target_id: target.id, published_at: now, updated_at: now })
      .where('id', '=', d.id)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    // Two publishes racing: the second rolls back its thread instead of posting it twice.
    if (Number(claimed.numUpdatedRows) !== 1)
      fail('PARTNERSHIP_STATE', 'This deliverable was just published');
    await q.audit(trx, {
      brandId: campaign.brand_id,
      campaignId: campaign.id,
      actorId: viewer.userId,
      action: 'content_published',
      detail: { deliverableId: d.id, targetType: d.kind, targetId: target.id },
      now,
    });
    await deps.events.emit(trx, 'partnerships.content_published', {
      deliverableId: d.id,
      campaignId: campaign.id,
      brandId: campaign.brand_id,
      communityId: target.communityId,
      creatorId: d.creator_id,
      targetType: d.kind,
      targetId: target.id,
    });
  };
  const content = { db: deps.db, events: deps.events, clock: deps.clock };
  if (d.kind === 'thread')
    await createThread(content, d.community_slug, viewer, { title: d.title, body: d.body }, { attach });
  else await createComment(content, d.thread_id!, viewer, { body: d.body }, { attach });
  return present(deps, id);
}

/** Site admins only: removes a label (e.g. content that was wrongly marked), logged with the reason. */
export async function removeLabel(
  deps: PartnershipDeps,
  type: 'thread' | 'comment',
  targetId: number,
  viewer: Viewer,
  reason: string,
) {
  if (!viewer.isAdmin) fail('FORBIDDEN', 'Only site admins can remove a sponsorship label');
  const s = await q.findSponsored(deps.db, type, targetId);
  if (!s || s.removed_at) fail('SPONSORED_NOT_FOUND', `No sponsorship label on ${type} ${targetId}`);
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await trx
      .updateTable('sponsored_content')
      .set({ removed_at: now, removed_by: viewer.userId, removed_reason: reason })
      .where('target_type', '=', type)
      .where('target_id', '=', targetId)
      .execute();
    await q.audit(trx, {
      brandId: s.brand_id,
      campaignId: s.campaign_id,
      actorId: viewer.userId,
      action: 'label_removed',
      detail: { targetType: type, targetId, reason },
      now,
    });
    await deps.events.emit(trx, 'partnerships.label_removed', {
      targetType: type,
      targetId,
      campaignId: s.campaign_id,
      by: viewer.userId,
    });
  });
  return { ok: true };
}
