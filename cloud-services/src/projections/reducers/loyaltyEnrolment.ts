import type { EventData, SealedBox, ValidEvent } from '@atrium/contracts';
import type { Static } from '@sinclair/typebox';

/** A loyalty member row, keyed by email hash, as the enrolment event gives it. */
export interface LoyaltyMemberRow {
  emailHash: string;
  memberRef: string;
  /** Stored as sealed on the kiosk; opening it is the loyalty PII service's job (see README). */
  sealedPii: Static<typeof SealedBox>;
  marketingConsent: boolean;
  consentTextVersion: string;
  enrolledAt: Date;
  eventId: string;
  kioskId: string;
  sequence: number;
}

/**
 * `(view, event) -> change` for an enrolment. One member per email hash; when the same shopper
 * enrols twice, the earliest enrolment (time, then event id) keeps the identity and the latest
 * sets the consent, so the result does not depend on which kiosk's event arrived first.
 */
export function loyaltyMemberRow(event: ValidEvent & { type: 'mall.loyalty.enrolled' }): LoyaltyMemberRow {
  const data: EventData<'mall.loyalty.enrolled'> = event.data;
  return {
    emailHash: data.emailHash,
    memberRef: data.memberRef,
    sealedPii: data.sealedPii,
    marketingConsent: data.consent.marketing,
    consentTextVersion: data.consent.textVersion,
    enrolledAt: new Date(event.time),
    eventId: event.id,
    kioskId: event.kioskid,
    sequence: event.sequence,
  };
}
