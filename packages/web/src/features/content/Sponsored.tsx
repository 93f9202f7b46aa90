import type { ThreadSummary } from '../../lib/api.ts';

/**
 * A brand partnership's thread carries `sponsored` (the partnerships module adds it; absent
 * or null otherwise). Sponsored content is always labelled where it is shown, so members can
 * tell it from what other members wrote (transparent partnerships).
 */
export interface Sponsorship {
  campaignId: number;
  brand: { slug: string; name: string };
}

export function sponsorshipOf(t: ThreadSummary): Sponsorship | null {
  const s = (t as ThreadSummary & { sponsored?: Sponsorship | null }).sponsored;
  return s?.brand?.name ? s : null;
}

export function SponsoredLabel({ t }: { t: ThreadSummary }) {
  const s = sponsorshipOf(t);
  if (!s) return null;
  return <span className="badge badge-sponsored">Sponsored · {s.brand.name}</span>;
}
