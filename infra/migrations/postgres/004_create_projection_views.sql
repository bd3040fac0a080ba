-- Views the cloud projections keep (cloud-services/src/projections). Each projection applies an
-- event only above its per-kiosk watermark and moves the watermark in the same transaction, so a
-- redelivered event takes effect once. Every table here can be rebuilt from the event store
-- (cloud-services replay): the rebuild goes into a copy made with LIKE … INCLUDING ALL and is
-- swapped in by renaming.

CREATE TABLE atrium.projection_watermarks (
  projection text NOT NULL,
  kiosk_id text NOT NULL,
  -- Highest sequence of this kiosk the projection has applied or dead-lettered; gaps are normal
  -- (the gateway acknowledges sequences it dead-lettered), so it is a high-water mark, not a count.
  sequence bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (projection, kiosk_id)
);

-- Events a projection could not apply; redrive applies one only while its row is here, and
-- deletes the row in the same transaction, so a redrive takes effect once too.
CREATE TABLE atrium.projection_dead_letters (
  projection text NOT NULL,
  kiosk_id text NOT NULL,
  sequence bigint NOT NULL,
  event_id uuid,
  reason text NOT NULL,
  dead_lettered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, kiosk_id, sequence)
);

-- Loyalty members, one per email hash. sealed_pii is stored exactly as the kiosk sealed it;
-- opening it belongs to the loyalty PII service (per-member keys, crypto-shredding).
CREATE TABLE atrium.loyalty_members (
  email_hash text PRIMARY KEY CHECK (email_hash ~ '^[0-9a-f]{64}$'),
  member_ref uuid NOT NULL,
  sealed_pii jsonb NOT NULL,
  enrolled_at timestamptz NOT NULL,
  event_id uuid NOT NULL,
  kiosk_id text NOT NULL,
  sequence bigint NOT NULL,
  marketing_consent boolean NOT NULL,
  consent_text_version text NOT NULL,
  consent_at timestamptz NOT NULL,
  consent_event_id uuid NOT NULL,
  enrolments integer NOT NULL DEFAULT 1 CHECK (enrolments >= 1)
);

-- Stock and per-shopper limits of offers, set by ops. An offer without a row has no limit.
CREATE TABLE atrium.offer_inventory (
  offer_id text PRIMARY KEY,
  stock integer CHECK (stock >= 0),
  per_shopper_limit integer CHECK (per_shopper_limit >= 1),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Running totals per offer; its row is the lock that serialises claims of one offer.
CREATE TABLE atrium.offer_claim_totals (
  offer_id text PRIMARY KEY,
  accepted integer NOT NULL DEFAULT 0 CHECK (accepted >= 0),
  over_stock integer NOT NULL DEFAULT 0 CHECK (over_stock >= 0),
  over_limit integer NOT NULL DEFAULT 0 CHECK (over_limit >= 0)
);

-- Every claim, whatever its fate: beyond stock it is recorded and flagged, never lost.
CREATE TABLE atrium.offer_claims (
  claim_id uuid PRIMARY KEY,
  offer_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('accepted', 'over_stock', 'over_limit')),
  offline boolean NOT NULL,
  coupon_code text NOT NULL,
  shopper_ref text,
  session_id uuid NOT NULL,
  kiosk_id text NOT NULL,
  sequence bigint NOT NULL,
  event_id uuid NOT NULL,
  claimed_at timestamptz NOT NULL,
  UNIQUE (kiosk_id, sequence)
);
CREATE INDEX offer_claims_offer_shopper_idx ON atrium.offer_claims (offer_id, shopper_ref) WHERE status = 'accepted';

-- Events per mall, UTC day and type.
CREATE TABLE atrium.daily_analytics (
  mall_id text NOT NULL,
  day date NOT NULL,
  event_type text NOT NULL,
  events bigint NOT NULL CHECK (events >= 0),
  PRIMARY KEY (mall_id, day, event_type)
);
