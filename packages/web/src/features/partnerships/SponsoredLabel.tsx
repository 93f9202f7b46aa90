import type { Sponsored } from '../../lib/api.ts';

/**
 * "Sponsored · <brand>" on every sponsored thread and comment (FTC Endorsement Guides: clear,
 * unavoidable, next to the content). It comes from the API's `sponsored` field, which no edit
 * can remove, and has no control to hide it.
 */
export function SponsoredLabel({ sponsored }: { sponsored: Sponsored | undefined }) {
  if (!sponsored) return null;
  return (
    <p className="sponsored-label" data-campaign={sponsored.campaignId}>
      Sponsored · <a href={`/brands/${encodeURIComponent(sponsored.brand.slug)}`}>{sponsored.brand.name}</a>
    </p>
  );
}
