import type { Viewer } from '../../platform/auth.ts';
import { fail } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import { assertCampaignManager, loadCampaign } from './access.ts';
import type { PartnershipDeps } from './brands.service.ts';
import { parseDate } from './campaigns.service.ts';
import * as q from './partnerships.queries.ts';
import { presentPayout } from './present.ts';

/** Payouts are recorded, not processed: amount, status and the day it was paid. Brand managers write them. */

type Status = 'pending' | 'paid' | 'cancelled';

function paidOnOf(status: Status, paidOn: string | null | undefined, now: number, previous: number | null) {
  if (paidOn) return parseDate(paidOn, 'paidOn', false);
  if (paidOn === null) return null;
  if (status === 'paid')
    return (
      previous ??
      Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate())
    );
  return previous;
}

async function presentOne(deps: PartnershipDeps, campaignId: number, id: number) {
  const row = (await q.payoutsOf(deps.db, [campaignId])).find((p) => p.id === id)!;
  return presentPayout(row);
}

export async function createPayout(
  deps: PartnershipDeps,
  campaignId: number,
  viewer: Viewer,
  body: { username: string; amountCents: number; status?: Status; paidOn?: string | null; note?: string },
) {
  const a = await loadCampaign(deps.db, campaignId, viewer);
  assertCampaignManager(a);
  const user = await q.findUserByUsername(deps.db, body.username);
  if (!user || !(await q.findParticipant(deps.db, campaignId, user.id)))
    fail('CREATOR_NOT_FOUND', `@${body.username} is not part of campaign ${campaignId}`);
  const now = deps.clock.now();
  const status = body.status ?? 'pending';
  const id = await inTransaction(deps, async (trx) => {
    const p = await trx
      .insertInto('payouts')
      .values({
        campaign_id: campaignId,
        creator_id: user.id,
        amount_cents: body.amountCents,
        status,
        paid_on: paidOnOf(status, body.paidOn, now, null),
        note: body.note ?? '',
        created_by: viewer.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q.audit(trx, {
      brandId: a.brand.id,
      campaignId,
      actorId: viewer.userId,
      action: 'payout_recorded',
      detail: { payoutId: p.id, amountCents: body.amountCents, status },
      now,
    });
    return p.id;
  });
  return presentOne(deps, campaignId, id);
}

export async function updatePayout(
  deps: PartnershipDeps,
  id: number,
  viewer: Viewer,
  body: { status?: Status; paidOn?: string | null; note?: string },
) {
  const p = await deps.db.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) fail('PAYOUT_NOT_FOUND', `No payout ${id}`);
  const campaign = (await q.findCampaign(deps.db, p.campaign_id))!;
  const isManager = viewer.isAdmin || !!(await q.brandRole(deps.db, campaign.brand_id, viewer.userId));
  // The creator paid may see it (in the campaign); anyone else cannot tell it exists.
  if (!isManager && p.creator_id !== viewer.userId) fail('PAYOUT_NOT_FOUND', `No payout ${id}`);
  if (!isManager) fail('FORBIDDEN', 'Brand managers record payouts');
  const now = deps.clock.now();
  const status = body.status ?? p.status;
  await inTransaction(deps, async (trx) => {
    await trx
      .updateTable('payouts')
      .set({
        status,
        paid_on: paidOnOf(status, body.paidOn, now, p.paid_on),
        note: body.note ?? p.note,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await q.audit(trx, {
      brandId: campaign.brand_id,
      campaignId: p.campaign_id,
      actorId: viewer.userId,
      action: 'payout_updated',
      detail: { payoutId: id, status },
      now,
    });
  });
  return presentOne(deps, p.campaign_id, id);
}
