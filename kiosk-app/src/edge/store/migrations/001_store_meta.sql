-- Small key/value facts the kiosk's own code keeps (clock anchor, outbox watermarks, pressure level).
CREATE TABLE store_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
