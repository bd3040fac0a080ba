-- The transactional outbox: one row per recorded event, keyed by its gapless per-kiosk sequence.
-- `payload` is the whole CloudEvent as JSON, exactly as it is uploaded.
CREATE TABLE outbox (
  sequence INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  delivery_class TEXT NOT NULL CHECK (delivery_class IN ('business', 'telemetry')),
  time_ms INTEGER NOT NULL,
  raw_time_ms INTEGER NOT NULL,
  boot_id TEXT NOT NULL,
  mono_ms INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  payload TEXT NOT NULL
);

-- One row per acknowledgement: everything at or below acked_through is delivered. Delivery is
-- a watermark, so acknowledging a batch is one insert, not one update per event.
CREATE TABLE outbox_acks (
  acked_through INTEGER PRIMARY KEY,
  acked_at_ms INTEGER NOT NULL
);

-- Events the gateway dead-lettered (it still acknowledged their sequence): kept for diagnostics.
CREATE TABLE outbox_rejections (
  sequence INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  rejected_at_ms INTEGER NOT NULL
);

-- Telemetry refused before it got a sequence, counted until written out as kiosk.events.dropped.
CREATE TABLE outbox_drops (
  reason TEXT NOT NULL,
  type TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_time_ms INTEGER NOT NULL,
  last_time_ms INTEGER NOT NULL,
  PRIMARY KEY (reason, type)
) WITHOUT ROWID;
