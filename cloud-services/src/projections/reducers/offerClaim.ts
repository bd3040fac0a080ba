/** What the claims view decides about one claim. */
export type ClaimStatus = 'accepted' | 'over_stock' | 'over_limit';

/** An offer's stock as the claims view keeps it (absent: the offer has no stock limit). */
export interface OfferInventory {
  stock: number | null;
  perShopperLimit: number | null;
  accepted: number;
}

/**
 * Decides a claim under the offer's row lock: beyond stock it is `over_stock`; beyond the
 * shopper's limit, `over_limit`; otherwise `accepted`. Claims are never dropped: a claim the kiosk
 * made offline is recorded all the same and flagged, so ops can honour or follow up on it.
 */
export function decideClaim(inventory: OfferInventory | undefined, shopperAccepted: number, hasShopperRef: boolean): ClaimStatus {
  if (!inventory) return 'accepted';
  if (inventory.stock !== null && inventory.accepted >= inventory.stock) return 'over_stock';
  if (hasShopperRef && inventory.perShopperLimit !== null && shopperAccepted >= inventory.perShopperLimit) return 'over_limit';
  return 'accepted';
}
