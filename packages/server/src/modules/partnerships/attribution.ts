import { DAY } from '../../platform/clock.ts';

/**
 * Attribution of conversions to campaigns and creators, a pure function of the touches
 * (tracked-link clicks and promo-code redemptions) recorded with each conversion.
 *
 * A touch counts for a conversion when it happened at most `window(campaign)` days before it
 * (and not after it): the window of the touch's own campaign, configurable per campaign.
 * - last_touch: the latest counting touch gets the whole conversion (share 1).
 * - linear: each counting touch gets 1/n of it (n = counting touches).
 * A conversion without a counting touch is credited to nobody. Revenue follows the share.
 */
export type Model = 'last_touch' | 'linear';

export interface Touch {
  campaignId: number;
  creatorId: number;
  kind: 'click' | 'promo';
  touchedAt: number;
}
export interface ConversionInput {
  id: number;
  amountCents: number;
  occurredAt: number;
  touches: Touch[];
}
export interface Credit {
  conversionId: number;
  campaignId: number;
  creatorId: number;
  share: number;
  revenueCents: number;
  occurredAt: number;
}

export function attribute(
  conversions: ConversionInput[],
  windowDaysOf: (campaignId: number) => number | undefined,
  model: Model,
): Credit[] {
  const credits: Credit[] = [];
  for (const c of conversions) {
    const counting = c.touches.filter((t) => {
      const days = windowDaysOf(t.campaignId);
      return days !== undefined && t.touchedAt <= c.occurredAt && t.touchedAt >= c.occurredAt - days * DAY;
    });
    if (!counting.length) continue;
    const credited =
      model === 'last_touch'
        ? [counting.reduce((best, t) => (t.touchedAt >= best.touchedAt ? t : best))]
        : counting;
    const share = 1 / credited.length;
    for (const t of credited) {
      credits.push({
        conversionId: c.id,
        campaignId: t.campaignId,
        creatorId: t.creatorId,
        share,
        revenueCents: c.amountCents * share,
        occurredAt: c.occurredAt,
      });
    }
  }
  return credits;
}
