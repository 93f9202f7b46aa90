import type { Viewer } from '../../platform/auth.ts';
import { DAY } from '../../platform/clock.ts';
import { assertCampaignManager, loadCampaign } from './access.ts';
import { attribute, type Model } from './attribution.ts';
import type { PartnershipDeps } from './brands.service.ts';
import * as q from './partnerships.queries.ts';
import * as r from './report.queries.ts';

/**
 * ROI per campaign and creator. Engagement and engaged members come from the published
 * sponsored content; clicks from tracked links; conversions and revenue from attribution
 * (attribution.ts) with the campaign's window and the chosen model; cost is the fee agreed
 * with each creator. Only brand managers (and site admins) see it.
 */
export const REPORT_EXPLANATIONS: Record<string, string> = {
  engagement:
    'Reactions (not downvotes) and replies from other members on the creator’s published campaign content.',
  engagedMembers: 'Distinct members behind that engagement (the total counts each member once).',
  clicks: 'Visits through the creator’s tracked links.',
  conversions:
    'Orders credited to the creator: last touch gives each order to the latest click or promo code within the campaign’s window; linear splits it evenly over all of them.',
  revenue: 'Order amounts times the credited share.',
  cost: 'The fee agreed with the creator.',
  roi: 'Return on investment: (revenue − cost) ÷ cost.',
  costPerEngagedMember: 'Cost ÷ engaged members.',
};

interface Row {
  creator: { id: number; username: string; displayName: string } | null;
  engagement: number;
  engagedMembers: number;
  clicks: number;
  conversions: number;
  revenueCents: number;
  costCents: number;
  roi: number | null;
  costPerEngagedMemberCents: number | null;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const finish = (row: Omit<Row, 'roi' | 'costPerEngagedMemberCents'>): Row => ({
  ...row,
  conversions: round(row.conversions),
  revenueCents: round(row.revenueCents, 2),
  roi: row.costCents ? round((row.revenueCents - row.costCents) / row.costCents) : null,
  costPerEngagedMemberCents: row.engagedMembers ? round(row.costCents / row.engagedMembers, 2) : null,
});

export async function campaignReport(deps: PartnershipDeps, id: number, viewer: Viewer, modelParam?: Model) {
  const a = await loadCampaign(deps.db, id, viewer);
  assertCampaignManager(a);
  const model = modelParam ?? a.campaign.attribution_model;
  const [participants, clicks, touching, windows, engaged] = await Promise.all([
    q.campaignCreators(deps.db, [id]),
    r.clicksByDay(deps.db, id),
    r.conversionsTouching(deps.db, id),
    r.campaignWindows(deps.db, a.brand.id),
    r.engagementOf(deps.db, id),
  ]);
  const windowOf = new Map(windows.map((w) => [w.id, w.attribution_window_days]));
  const credits = attribute(
    touching.conversions.map((c) => ({
      id: c.id,
      amountCents: c.amount_cents,
      occurredAt: c.occurred_at,
      touches: touching.touches
        .filter((t) => t.conversion_id === c.id)
        .map((t) => ({
          campaignId: t.campaign_id,
          creatorId: t.creator_id,
          kind: t.kind,
          touchedAt: t.touched_at,
        })),
    })),
    (campaignId) => windowOf.get(campaignId),
    model,
  ).filter((c) => c.campaignId === id);

  const creatorIds = new Set<number>([
    ...participants.filter((p) => p.status === 'accepted').map((p) => p.user_id),
    ...clicks.map((c) => c.creator_id),
    ...credits.map((c) => c.creatorId),
    ...engaged.map((e) => e.creator_id),
  ]);
  const users = await q.findUsers(deps.db, [...creatorIds]);
  const rows = [...creatorIds].map((cid) => {
    const u = users.find((x) => x.id === cid);
    const mine = credits.filter((c) => c.creatorId === cid);
    const eng = engaged.filter((e) => e.creator_id === cid);
    return finish({
      creator: u ? { id: u.id, username: u.username, displayName: u.display_name } : null,
      engagement: eng.length,
      engagedMembers: new Set(eng.map((e) => e.user_id)).size,
      clicks: clicks.filter((c) => c.creator_id === cid).reduce((s, c) => s + Number(c.n), 0),
      conversions: mine.reduce((s, c) => s + c.share, 0),
      revenueCents: mine.reduce((s, c) => s + c.revenueCents, 0),
      costCents: participants.find((p) => p.user_id === cid && p.status === 'accepted')?.fee_cents ?? 0,
    });
  });
  rows.sort((x, y) => (x.creator?.username ?? '').localeCompare(y.creator?.username ?? ''));
  const total = finish({
    creator: null,
    engagement: engaged.length,
    engagedMembers: new Set(engaged.map((e) => e.user_id)).size,
    clicks: rows.reduce((s, x) => s + x.clicks, 0),
    conversions: credits.reduce((s, c) => s + c.share, 0),
    revenueCents: credits.reduce((s, c) => s + c.revenueCents, 0),
    costCents: rows.reduce((s, x) => s + x.costCents, 0),
  });

  const days = new Map<number, { clicks: number; conversions: number; revenueCents: number }>();
  const bucket = (day: number) => {
    const b = days.get(day) ?? { clicks: 0, conversions: 0, revenueCents: 0 };
    days.set(day, b);
    return b;
  };
  for (const c of clicks) bucket(Number(c.day)).clicks += Number(c.n);
  for (const c of credits) {
    const b = bucket(Math.floor(c.occurredAt / DAY));
    b.conversions += c.share;
    b.revenueCents += c.revenueCents;
  }
  const daily = [...days.entries()]
    .sort(([x], [y]) => x - y)
    .map(([day, b]) => ({
      day: new Date(day * DAY).toISOString().slice(0, 10),
      clicks: b.clicks,
      conversions: round(b.conversions),
      revenueCents: round(b.revenueCents, 2),
    }));
  return {
    campaignId: id,
    currency: a.brand.currency,
    model,
    windowDays: a.campaign.attribution_window_days,
    rows,
    total,
    daily,
    explanations: REPORT_EXPLANATIONS,
  };
}

const csvCell = (v: unknown) => {
  const s = v == null ? '' : String(v);
  // Quote what needs it, and defuse spreadsheet formulas (=, +, -, @ at the start of text).
  const safe = /^[=+\-@]/.test(s) && Number.isNaN(Number(s)) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const money = (cents: number | null) => (cents == null ? '' : (cents / 100).toFixed(2));

export function reportCsv(report: Awaited<ReturnType<typeof campaignReport>>): string {
  const header = [
    'creator',
    'engagement',
    'engaged_members',
    'clicks',
    'conversions',
    `revenue_${report.currency}`,
    `cost_${report.currency}`,
    'roi',
    `cost_per_engaged_member_${report.currency}`,
  ];
  const line = (x: Row, name: string) =>
    [
      name,
      x.engagement,
      x.engagedMembers,
      x.clicks,
      x.conversions,
      money(x.revenueCents),
      money(x.costCents),
      x.roi ?? '',
      money(x.costPerEngagedMemberCents),
    ]
      .map(csvCell)
      .join(',');
  return [
    header.join(','),
    ...report.rows.map((x) => line(x, x.creator?.username ?? '')),
    line(report.total, 'TOTAL'),
  ]
    .join('\r\n')
    .concat('\r\n');
}
