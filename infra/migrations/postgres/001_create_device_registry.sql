-- Device registry: every enrolled kiosk device and the Ed25519 public key its requests are
-- checked against (DESIGN.md, Security). The private key never leaves the kiosk.
CREATE SCHEMA IF NOT EXISTS atrium;

CREATE TABLE atrium.devices (
  device_id text PRIMARY KEY,
  kiosk_id text NOT NULL,
  mall_id text NOT NULL,
  -- Raw 32-byte Ed25519 public key.
  public_key_ed25519 bytea NOT NULL CHECK (octet_length(public_key_ed25519) = 32),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX devices_kiosk_id_idx ON atrium.devices (kiosk_id);
CREATE INDEX devices_mall_id_idx ON atrium.devices (mall_id);
