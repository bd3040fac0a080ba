-- Per-member data keys of loyalty PII (cloud-services/src/pii, README "Loyalty PII"). Kiosks seal
-- PII to the cloud key; the event-store writer and the loyalty projection open it once and seal it
-- again to the member's own X25519 key, so the event store and the loyalty view hold PII only under
-- that key. Erasure deletes the key (crypto-shredding): every copy sealed to it becomes unreadable
-- while the events and view rows stay.

CREATE TABLE atrium.member_keys (
  member_ref uuid PRIMARY KEY,
  email_hash text NOT NULL CHECK (email_hash ~ '^[0-9a-f]{64}$'),
  -- Raw X25519 private key wrapped (AES-256-GCM, member ref as associated data) under the cloud's
  -- key-encryption key; NULL once erased.
  wrapped_key bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  erased_at timestamptz,
  CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);
CREATE INDEX member_keys_email_hash_idx ON atrium.member_keys (email_hash);

-- One row per erased email hash: an enrolment of that hash timed at or before erased_at gets no key
-- (an event still in flight when the shopper asked to be forgotten must not bring the PII back);
-- a later enrolment is a new consent and gets a new key.
CREATE TABLE atrium.member_erasures (
  email_hash text PRIMARY KEY CHECK (email_hash ~ '^[0-9a-f]{64}$'),
  erased_at timestamptz NOT NULL,
  -- The member ref the erasure was asked for (the latest request).
  member_ref uuid NOT NULL
);

COMMENT ON COLUMN atrium.loyalty_members.sealed_pii IS
  'PII sealed to the member key (keyId member:<ref>), or an empty box (keyId erased); the kiosk''s cloud-key box only where resealing is not configured';
