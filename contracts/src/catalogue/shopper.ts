import { Type } from '@sinclair/typebox';
import { defineEvent } from './defineEvent';
import { EntityId, Language, SessionId } from './common';

export const sessionStarted = defineEvent({
  type: 'mall.session.started',
  schemaVersion: 1,
  deliveryClass: 'business',
  description: 'A shopper touched the attract loop and a session began.',
  data: Type.Object({ sessionId: SessionId, language: Language }, { additionalProperties: false }),
});

export const sessionEnded = defineEvent({
  type: 'mall.session.ended',
  schemaVersion: 1,
  deliveryClass: 'business',
  description: 'A session ended and every trace of the shopper was cleared.',
  data: Type.Object(
    {
      sessionId: SessionId,
      reason: Type.Union([Type.Literal('idle'), Type.Literal('shopper'), Type.Literal('emergency')]),
      durationMs: Type.Integer({ minimum: 0 }),
    },
    { additionalProperties: false },
  ),
});

export const directorySearched = defineEvent({
  type: 'mall.directory.searched',
  schemaVersion: 1,
  deliveryClass: 'telemetry',
  description: 'A shopper searched the store directory.',
  data: Type.Object(
    {
      sessionId: SessionId,
      query: Type.String({ maxLength: 200 }),
      category: Type.Optional(EntityId),
      resultCount: Type.Integer({ minimum: 0 }),
    },
    { additionalProperties: false },
  ),
});

export const storeViewed = defineEvent({
  type: 'mall.store.viewed',
  schemaVersion: 1,
  deliveryClass: 'telemetry',
  description: "A shopper opened a store's detail page.",
  data: Type.Object({ sessionId: SessionId, storeId: EntityId }, { additionalProperties: false }),
});

export const routeRequested = defineEvent({
  type: 'mall.route.requested',
  schemaVersion: 1,
  deliveryClass: 'telemetry',
  description: 'A shopper asked for a route from this kiosk to a store.',
  data: Type.Object(
    {
      sessionId: SessionId,
      storeId: EntityId,
      accessible: Type.Boolean(),
      steps: Type.Integer({ minimum: 0 }),
    },
    { additionalProperties: false },
  ),
});

export const offerViewed = defineEvent({
  type: 'mall.offer.viewed',
  schemaVersion: 1,
  deliveryClass: 'telemetry',
  description: 'A shopper opened an offer.',
  data: Type.Object({ sessionId: SessionId, offerId: EntityId }, { additionalProperties: false }),
});

export const offerClaimed = defineEvent({
  type: 'mall.offer.claimed',
  schemaVersion: 1,
  deliveryClass: 'business',
  description: 'A shopper claimed an offer and got a coupon; `offline` claims are checked against stock later.',
  data: Type.Object(
    {
      sessionId: SessionId,
      offerId: EntityId,
      claimId: Type.String({ format: 'uuid' }),
      couponCode: Type.String({ pattern: '^[A-Z0-9-]{4,32}$' }),
      shopperRef: Type.Optional(Type.String({ format: 'sha256-hex' })),
      offline: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
});

/** PII sealed on the kiosk to the cloud's public key (X25519 + AEAD); only the loyalty projection opens it. */
export const SealedBox = Type.Object(
  {
    alg: Type.Literal('X25519-HKDF-SHA256-AES256GCM'),
    keyId: Type.String({ minLength: 1, maxLength: 64 }),
    ephemeralPublicKey: Type.String({ contentEncoding: 'base64', maxLength: 128 }),
    nonce: Type.String({ contentEncoding: 'base64', maxLength: 64 }),
    ciphertext: Type.String({ contentEncoding: 'base64', maxLength: 8192 }),
  },
  { additionalProperties: false },
);

export const loyaltyEnrolled = defineEvent({
  type: 'mall.loyalty.enrolled',
  schemaVersion: 1,
  deliveryClass: 'business',
  description: 'A shopper joined the loyalty programme; name and email travel only sealed.',
  data: Type.Object(
    {
      sessionId: SessionId,
      memberRef: Type.String({ format: 'uuid' }),
      emailHash: Type.String({ format: 'sha256-hex' }),
      sealedPii: SealedBox,
      consent: Type.Object(
        { terms: Type.Literal(true), marketing: Type.Boolean(), textVersion: Type.String({ maxLength: 32 }) },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
});

export const feedbackSubmitted = defineEvent({
  type: 'mall.feedback.submitted',
  schemaVersion: 1,
  deliveryClass: 'business',
  description: 'A shopper left a rating and an optional comment.',
  data: Type.Object(
    {
      sessionId: SessionId,
      rating: Type.Integer({ minimum: 1, maximum: 5 }),
      comment: Type.Optional(Type.String({ maxLength: 1000 })),
    },
    { additionalProperties: false },
  ),
});

export const languageChanged = defineEvent({
  type: 'mall.language.changed',
  schemaVersion: 1,
  deliveryClass: 'telemetry',
  description: 'The shopper switched the interface language.',
  data: Type.Object({ sessionId: Type.Optional(SessionId), from: Language, to: Language }, { additionalProperties: false }),
});

export const accessibilityChanged = defineEvent({
  type: 'mall.accessibility.changed',
  schemaVersion: 1,
  deliveryClass: 'telemetry',
  description: 'The shopper turned an accessibility mode on or off.',
  data: Type.Object(
    {
      sessionId: Type.Optional(SessionId),
      mode: Type.Union([Type.Literal('high-contrast'), Type.Literal('large-text'), Type.Literal('reach')]),
      enabled: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
});
