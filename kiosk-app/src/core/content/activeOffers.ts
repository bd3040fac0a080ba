import type { OfferBody } from '@atrium/contracts';

/** True when `now` is inside the offer's validity window (from inclusive, to exclusive). */
export function isOfferActiveAt(offer: Pick<OfferBody, 'validFrom' | 'validTo'>, now: Date): boolean {
  const t = now.getTime();
  return Date.parse(offer.validFrom) <= t && t < Date.parse(offer.validTo);
}

/**
 * The offers active at `now`, ending soonest first. Stock and the per-shopper limit travel with
 * each offer untouched: whether a coupon can still be claimed is the claim flow's decision, not
 * the directory's.
 */
export function activeOffersAt<T extends Pick<OfferBody, 'id' | 'validFrom' | 'validTo'>>(offers: readonly T[], now: Date): T[] {
  return offers
    .filter((o) => isOfferActiveAt(o, now))
    .sort((a, b) => Date.parse(a.validTo) - Date.parse(b.validTo) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
