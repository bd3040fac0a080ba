-- OTA updates (cloud-services/src/ota): releases, staged rollouts, the devices the update feed has
-- seen and what they report. Written by the ops API, the rollout scheduler and the report consumer;
-- read by the sync gateway's per-device update feed (sync-gateway/src/updateFeed). State changes of
-- a rollout take its row lock (SELECT … FOR UPDATE), so a report that halts a rollout and an ops
-- command or a stage advance never interleave.

CREATE TABLE atrium.ota_releases (
  release_id text PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('stable', 'beta')),
  version text NOT NULL CHECK (version ~ '^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$'),
  file_name text NOT NULL CHECK (file_name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$'),
  artefact_key text NOT NULL,
  -- base64 SHA-512 of the artefact, as electron-updater checks it.
  sha512 text NOT NULL CHECK (sha512 ~ '^[A-Za-z0-9+/]{86}==$'),
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  release_notes text,
  -- 'pending' until the artefact is uploaded and matches sha512 and size; only 'ready' ones roll out.
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready')),
  created_at timestamptz NOT NULL,
  ready_at timestamptz,
  UNIQUE (channel, version)
);

CREATE TABLE atrium.ota_rollouts (
  rollout_id text PRIMARY KEY,
  -- Orders rollouts newest first for the feed, whatever the clocks said.
  rollout_seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  release_id text NOT NULL REFERENCES atrium.ota_releases (release_id),
  channel text NOT NULL CHECK (channel IN ('stable', 'beta')),
  -- Empty arrays mean every mall / every device.
  target_malls text[] NOT NULL DEFAULT '{}',
  target_tags text[] NOT NULL DEFAULT '{}',
  -- [{ "percent": 5, "waitS": 3600 }, …], percent strictly growing.
  stages jsonb NOT NULL CHECK (jsonb_typeof(stages) = 'array' AND jsonb_array_length(stages) >= 1),
  thresholds jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'paused', 'halted', 'completed', 'cancelled', 'rolledback')),
  status_reason text,
  current_stage integer NOT NULL DEFAULT 0 CHECK (current_stage >= 0),
  stage_started_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE INDEX ota_rollouts_channel_seq_idx ON atrium.ota_rollouts (channel, rollout_seq DESC);
CREATE INDEX ota_rollouts_open_idx ON atrium.ota_rollouts (status) WHERE status IN ('active', 'paused', 'halted');

-- Every change of a rollout: who or what did it and why (ops commands, stage advances, halts).
CREATE TABLE atrium.ota_rollout_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rollout_id text NOT NULL REFERENCES atrium.ota_rollouts (rollout_id),
  at timestamptz NOT NULL,
  action text NOT NULL,
  from_status text,
  to_status text NOT NULL,
  stage integer NOT NULL,
  reason text,
  actor text NOT NULL
);

CREATE INDEX ota_rollout_history_rollout_idx ON atrium.ota_rollout_history (rollout_id, id);

-- Devices as the update feed last saw them: the population that stage percentages apply to.
CREATE TABLE atrium.ota_devices (
  device_id text PRIMARY KEY,
  kiosk_id text NOT NULL,
  mall_id text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('stable', 'beta')),
  tags text[] NOT NULL DEFAULT '{}',
  running_version text,
  last_seen_at timestamptz NOT NULL
);

CREATE INDEX ota_devices_channel_mall_idx ON atrium.ota_devices (channel, mall_id, last_seen_at);
CREATE INDEX ota_devices_kiosk_idx ON atrium.ota_devices (kiosk_id);

-- Each kiosk's latest kiosk.update.* report per rollout (a later sequence replaces an earlier one).
CREATE TABLE atrium.ota_device_reports (
  rollout_id text NOT NULL REFERENCES atrium.ota_rollouts (rollout_id),
  kiosk_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('available', 'downloaded', 'installing', 'installed', 'failed', 'rolledback')),
  version text NOT NULL,
  reason text,
  -- How many failed or rolledback reports this kiosk sent for this rollout, retries included.
  failure_reports integer NOT NULL DEFAULT 0 CHECK (failure_reports >= 0),
  sequence bigint NOT NULL,
  reported_at timestamptz NOT NULL,
  PRIMARY KEY (rollout_id, kiosk_id)
);

-- Highest sequence of each kiosk the report consumer applied, moved in the same transaction as
-- the reports, so a redelivered event counts once.
CREATE TABLE atrium.ota_report_watermarks (
  kiosk_id text PRIMARY KEY,
  sequence bigint NOT NULL DEFAULT 0
);

-- When a mall's kiosks may install: spans of local time in the mall's IANA zone.
CREATE TABLE atrium.ota_maintenance_windows (
  mall_id text PRIMARY KEY,
  time_zone text NOT NULL,
  spans jsonb NOT NULL CHECK (jsonb_typeof(spans) = 'array'),
  updated_at timestamptz NOT NULL
);
