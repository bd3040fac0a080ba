import { PoisonEventError } from '../../kafka/failureKind';
import { decideClaim, type OfferInventory } from '../reducers/offerClaim';
import type { PgProjection } from './pgProjection';

/**
 * Offer claims with stock and per-shopper limits. The offers of a batch are locked in id order
 * (their totals rows, FOR UPDATE) before any claim is decided, so concurrent consumers serialise
 * per offer without deadlocking, and stock is never oversold: a claim beyond it is recorded as
 * `over_stock` (online or offline, as the event says), never dropped.
 */
export const offerClaimsProjection: PgProjection = {
  name: 'offer-claims',
  tables: ['offer_claims', 'offer_claim_totals'],
  handles: (type) => type === 'mall.offer.claimed',
  async applyInTransaction(client, events, table) {
    const claims = events.flatMap((e) => (e.type === 'mall.offer.claimed' ? [e] : []));
    if (claims.length === 0) return;
    const claimsTable = table('offer_claims');
    const totals = table('offer_claim_totals');
    // Inventory is ops configuration, not part of the view: a rebuild reads the live table.
    const inventoryTable = `${totals.slice(0, totals.indexOf('.'))}.offer_inventory`;
    const offerIds = [...new Set(claims.map((c) => c.data.offerId))].sort();
    await client.query(`INSERT INTO ${totals} (offer_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [offerIds]);
    const locked = await client.query<{ offer_id: string; accepted: number; stock: number | null; per_shopper_limit: number | null; configured: boolean }>(
      `SELECT t.offer_id, t.accepted, i.stock, i.per_shopper_limit, i.offer_id IS NOT NULL AS configured
         FROM ${totals} t LEFT JOIN ${inventoryTable} i USING (offer_id)
        WHERE t.offer_id = ANY($1::text[]) ORDER BY t.offer_id FOR UPDATE OF t`,
      [offerIds],
    );
    const inventory = new Map<string, OfferInventory | undefined>(
      locked.rows.map((r) => [r.offer_id, r.configured ? { stock: r.stock, perShopperLimit: r.per_shopper_limit, accepted: r.accepted } : undefined]),
    );
    const acceptedDelta = new Map<string, number>();
    for (const claim of claims) {
      const { offerId, shopperRef } = claim.data;
      const offer = inventory.get(offerId);
      let shopperAccepted = 0;
      if (offer?.perShopperLimit != null && shopperRef) {
        const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${claimsTable} WHERE offer_id = $1 AND shopper_ref = $2 AND status = 'accepted'`, [offerId, shopperRef]);
        shopperAccepted = Number(r.rows[0]!.n);
      }
      const status = decideClaim(offer, shopperAccepted, Boolean(shopperRef));
      const inserted = await client.query(
        `INSERT INTO ${claimsTable} (claim_id, offer_id, status, offline, coupon_code, shopper_ref, session_id, kiosk_id, sequence, event_id, claimed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        [claim.data.claimId, offerId, status, claim.data.offline, claim.data.couponCode, shopperRef ?? null, claim.data.sessionId, claim.kioskid, claim.sequence, claim.id, claim.time],
      );
      if (inserted.rowCount === 0) throw new PoisonEventError(`claim ${claim.data.claimId} (${claim.kioskid} #${claim.sequence}) reuses a claim id already recorded`);
      if (status === 'accepted' && offer) offer.accepted += 1;
      acceptedDelta.set(`${offerId}|${status}`, (acceptedDelta.get(`${offerId}|${status}`) ?? 0) + 1);
    }
    for (const [key, n] of acceptedDelta) {
      const [offerId, status] = key.split('|') as [string, 'accepted' | 'over_stock' | 'over_limit'];
      await client.query(`UPDATE ${totals} SET ${status} = ${status} + $2 WHERE offer_id = $1`, [offerId, n]);
    }
  },
};
