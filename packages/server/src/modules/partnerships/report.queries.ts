import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';

/** SQL behind the ROI report (report.service.ts). */

/** Clicks of a campaign per creator and UTC day (day = ms / 86,400,000, integer division on both databases). */
export const clicksByDay = (db: Db, campaignId: number) =>
  db
    .selectFrom('link_clicks')
    .select([
      'creator_id',
      sql<number>`created_at / 86400000`.as('day'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('campaign_id', '=', campaignId)
    .groupBy(['creator_id', sql`created_at / 86400000`])
    .execute();

/** Conversions with a touch of this campaign, with all their touches (other campaigns' too: they share the credit). */
export async function conversionsTouching(db: Db, campaignId: number) {
  const ids = db
    .selectFrom('conversion_touches')
    .select('conversion_id')
    .where('campaign_id', '=', campaignId);
  const [conversions, touches] = await Promise.all([
    db
      .selectFrom('conversions')
      .select(['id', 'amount_cents', 'occurred_at'])
      .where('id', 'in', ids)
      .execute(),
    db.selectFrom('conversion_touches').selectAll().where('conversion_id', 'in', ids).execute(),
  ]);
  return { conversions, touches };
}

export const campaignWindows = (db: Db, brandId: number) =>
  db
    .selectFrom('campaigns')
    .select(['id', 'attribution_window_days'])
    .where('brand_id', '=', brandId)
    .execute();

/** Who engaged with each creator's published content of the campaign: reactions (not downvotes) and replies. */
export async function engagementOf(db: Db, campaignId: number) {
  const reactions = db
    .selectFrom('reactions as r')
    .innerJoin('sponsored_content as s', (j) =>
      j.onRef('s.target_type', '=', 'r.target_type').onRef('s.target_id', '=', 'r.target_id'),
    )
    .innerJoin('deliverables as d', 'd.id', 's.deliverable_id')
    .select(['r.user_id', 'd.creator_id'])
    .where('s.campaign_id', '=', campaignId)
    .where('r.kind', '!=', 'downvote')
    .whereRef('r.user_id', '!=', 'd.creator_id')
    .execute();
  const replies = db
    .selectFrom('comments as c')
    .innerJoin('sponsored_content as s', (j) =>
      j.on((eb) =>
        eb.or([
          eb.and([eb('s.target_type', '=', 'thread'), eb('c.thread_id', '=', eb.ref('s.target_id'))]),
          eb.and([eb('s.target_type', '=', 'comment'), eb('c.parent_id', '=', eb.ref('s.target_id'))]),
        ]),
      ),
    )
    .innerJoin('deliverables as d', 'd.id', 's.deliverable_id')
    .select(['c.author_id as user_id', 'd.creator_id'])
    .where('s.campaign_id', '=', campaignId)
    .where('c.deleted_at', 'is', null)
    .where('c.status', '=', 'visible')
    .whereRef('c.author_id', '!=', 'd.creator_id')
    .execute();
  return [...(await reactions), ...(await replies)];
}
