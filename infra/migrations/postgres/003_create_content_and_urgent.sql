-- Content the kiosks cache (stores, offers, the map graph...) and the urgent broadcasts.
-- Written by the ops API, read by the sync gateway's delta feed (sync-gateway/README.md).

-- The feed cursor: every insert or update of an item takes the next value.
CREATE SEQUENCE atrium.content_change_seq AS bigint;

CREATE TABLE atrium.content_items (
  kind text NOT NULL CHECK (kind IN ('store', 'category', 'offer', 'map-node', 'map-edge', 'opening-hours', 'kiosk-config')),
  id text NOT NULL CHECK (length(id) BETWEEN 1 AND 128),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  body jsonb NOT NULL,
  -- A delete is a tombstone (deleted = true), so kiosks behind the cursor still learn of it.
  deleted boolean NOT NULL DEFAULT false,
  change_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, id)
);

CREATE UNIQUE INDEX content_items_change_seq_idx ON atrium.content_items (change_seq);

-- Stamps change_seq and updated_at on every write, and keeps version increasing. Writers take a
-- transaction-scoped advisory lock first, so change_seq order equals commit order: a reader can
-- never see seq 11 committed while seq 10 is still in flight and later skip it. Content is
-- authored rarely, so serialising writers costs nothing that matters; keep transactions short.
CREATE FUNCTION atrium.stamp_content_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(4150233901);
  NEW.change_seq := nextval('atrium.content_change_seq');
  NEW.updated_at := now();
  IF TG_OP = 'UPDATE' AND NEW.version <= OLD.version THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER content_items_stamp
BEFORE INSERT OR UPDATE ON atrium.content_items
FOR EACH ROW EXECUTE FUNCTION atrium.stamp_content_change();

-- Emergency broadcasts still in force, so a kiosk that (re)connects to the urgent channel gets
-- them at once. The live fan-out itself goes through NOTIFY atrium_urgent.
CREATE TABLE atrium.urgent_broadcasts (
  broadcast_id text PRIMARY KEY,
  message jsonb NOT NULL,
  -- Null: every mall.
  mall_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  until timestamptz,
  cleared_at timestamptz
);

CREATE INDEX urgent_broadcasts_active_idx ON atrium.urgent_broadcasts (created_at) WHERE cleared_at IS NULL;
