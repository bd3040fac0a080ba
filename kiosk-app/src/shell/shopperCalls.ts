import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AtriumError, newEventId } from '@atrium/contracts';
import { bridgeOk, type KioskBridgeCalls } from '../bridge';
import { offerSummary, record } from './directoryCalls';
import { sealPii } from './piiSealer';
import type { ShellDeps } from './shellDeps';

type ShopperCalls = Pick<
  KioskBridgeCalls,
  'kioskInfo' | 'startSession' | 'endSession' | 'listOffers' | 'viewOffer' | 'claimOffer' | 'enrolLoyalty' | 'submitFeedback' | 'changeLanguage' | 'changeAccessibility'
>;

/** Claims per session and offer: the per-shopper limit, forgotten when the session ends. */
export class SessionClaims {
  private readonly claims = new Map<string, Map<string, number>>();
  count(sessionId: string, offerId: string): number {
    return this.claims.get(sessionId)?.get(offerId) ?? 0;
  }
  add(sessionId: string, offerId: string): void {
    const perOffer = this.claims.get(sessionId) ?? new Map<string, number>();
    perOffer.set(offerId, (perOffer.get(offerId) ?? 0) + 1);
    this.claims.set(sessionId, perOffer);
  }
  forget(sessionId: string): void {
    this.claims.delete(sessionId);
  }
}

const COUPON_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function couponCode(offerId: string): string {
  const digits = offerId.replace(/\D/g, '').slice(-6) || '0';
  const tail = [...randomBytes(6)].map((b) => COUPON_ALPHABET[b % COUPON_ALPHABET.length]).join('');
  return `ATR-${digits}-${tail}`;
}

/** Sessions, offers, loyalty, feedback and preferences: every journey ends in the outbox. */
export function shopperCalls(deps: ShellDeps, claims: SessionClaims): ShopperCalls {
  const activeOffer = (offerId: string) => {
    const offer = deps.content.activeOffers(deps.now()).find((o) => o.id === offerId);
    if (!offer) throw new AtriumError('NOT_FOUND', `No current offer ${offerId}`);
    return offer;
  };
  return {
    async kioskInfo() {
      const settings = deps.content.kioskConfig();
      const now = deps.now();
      const offers = deps.content.activeOffers(now);
      const attract = (settings?.attractOfferIds ?? []).flatMap((id) => offers.filter((o) => o.id === id));
      return bridgeOk({
        kioskId: deps.config.edge.outbox.kioskId,
        version: deps.config.kiosk.version,
        mallName: settings?.mallName ?? deps.config.kiosk.mallNameFallback,
        idleTimeoutS: deps.config.kiosk.idleTimeoutS ?? settings?.idleTimeoutS ?? 60,
        languages: settings?.languages ?? ['en', 'es', 'ar'],
        attractOffers: (attract.length > 0 ? attract : offers.slice(0, 3)).map((o) => offerSummary(deps, o, 0)),
        floors: deps.floorPlans.floors(),
        online: deps.edge.sync.status().link !== 'offline',
      });
    },
    async startSession({ language }) {
      const sessionId = randomUUID();
      record(deps, { type: 'mall.session.started', data: { sessionId, language } });
      return bridgeOk({ sessionId });
    },
    async endSession({ sessionId, reason, durationMs }) {
      claims.forget(sessionId);
      record(deps, { type: 'mall.session.ended', data: { sessionId, reason, durationMs } });
      return bridgeOk({});
    },
    async listOffers({ sessionId }) {
      return bridgeOk(deps.content.activeOffers(deps.now()).map((o) => offerSummary(deps, o, claims.count(sessionId, o.id))));
    },
    async viewOffer({ sessionId, offerId }) {
      const offer = activeOffer(offerId);
      record(deps, { type: 'mall.offer.viewed', data: { sessionId, offerId } });
      return bridgeOk(offerSummary(deps, offer, claims.count(sessionId, offerId)));
    },
    async claimOffer({ sessionId, offerId }) {
      const offer = activeOffer(offerId);
      if (offer.stock === 0) throw new AtriumError('CONFLICT', 'Sold out');
      if (claims.count(sessionId, offerId) >= offer.perShopperLimit) throw new AtriumError('CONFLICT', 'Per-shopper limit reached');
      // Offline claims are still granted: the event waits in the outbox and is checked against
      // stock later. Until the gateway has answered once, a claim counts as offline too.
      const offline = deps.edge.sync.status().link !== 'online';
      const claimId = newEventId();
      const code = couponCode(offerId);
      record(deps, { type: 'mall.offer.claimed', data: { sessionId, offerId, claimId, couponCode: code, offline } });
      claims.add(sessionId, offerId);
      return bridgeOk({ claimId, offerId, couponCode: code, pending: offline });
    },
    async enrolLoyalty({ sessionId, name, email, postcode, consent }) {
      const normalisedEmail = email.trim().toLowerCase();
      // The raw name and email are sealed here and go no further: only the box and a hash are stored.
      const sealedPii = sealPii({ name, email: normalisedEmail, ...(postcode ? { postcode } : {}) }, deps.loyaltyKey, deps.config.loyalty.keyId);
      const memberRef = randomUUID();
      record(deps, {
        type: 'mall.loyalty.enrolled',
        data: {
          sessionId,
          memberRef,
          emailHash: createHash('sha256').update(normalisedEmail).digest('hex'),
          sealedPii,
          consent: { terms: consent.terms, marketing: consent.marketing, textVersion: deps.config.loyalty.consentTextVersion },
        },
      });
      return bridgeOk({ memberRef });
    },
    async submitFeedback({ sessionId, rating, comment }) {
      record(deps, { type: 'mall.feedback.submitted', data: { sessionId, rating, ...(comment ? { comment } : {}) } });
      return bridgeOk({});
    },
    async changeLanguage({ sessionId, from, to }) {
      record(deps, { type: 'mall.language.changed', data: { ...(sessionId ? { sessionId } : {}), from, to } });
      return bridgeOk({});
    },
    async changeAccessibility({ sessionId, mode, enabled }) {
      record(deps, { type: 'mall.accessibility.changed', data: { ...(sessionId ? { sessionId } : {}), mode, enabled } });
      return bridgeOk({});
    },
  };
}
