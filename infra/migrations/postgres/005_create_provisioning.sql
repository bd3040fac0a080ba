-- Provisioning (provisioning/README.md): enrolment tokens, WireGuard hubs and per-mall address
-- pools, each device's keys and hardware fingerprint, its tunnel address, and the enrolments
-- that wait for ops approval. atrium.devices (001) stays the registry the sync gateway reads;
-- these tables only add to it.

-- A WireGuard hub, registered by the hub agent running on it. Its private key never leaves it.
CREATE TABLE atrium.vpn_hubs (
  hub_id text PRIMARY KEY CHECK (hub_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  -- WireGuard public key, base64 as `wg` prints it.
  public_key text NOT NULL,
  -- host:port the kiosks dial.
  endpoint text NOT NULL,
  -- The hub's own address inside the tunnel; the sync gateway's kiosk listener binds it.
  tunnel_address inet NOT NULL,
  gateway_url text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One pool of kiosk addresses per mall, served by one hub. Pools never overlap.
CREATE TABLE atrium.vpn_pools (
  mall_id text PRIMARY KEY,
  hub_id text NOT NULL REFERENCES atrium.vpn_hubs (hub_id),
  cidr cidr NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  EXCLUDE USING gist (cidr inet_ops WITH &&)
);

-- One-time enrolment tokens. Only the SHA-256 of the token is stored.
CREATE TABLE atrium.enrolment_tokens (
  token_id uuid PRIMARY KEY,
  token_sha256 bytea NOT NULL UNIQUE CHECK (octet_length(token_sha256) = 32),
  mall_id text NOT NULL,
  kiosk_id text NOT NULL,
  location text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by_device_id text,
  revoked_at timestamptz
);

CREATE INDEX enrolment_tokens_mall_idx ON atrium.enrolment_tokens (mall_id, created_at);

-- What provisioning knows about a device beyond the registry row: its WireGuard key, hardware
-- fingerprint and key history. Unique keys make a cloned key pair impossible to register twice.
CREATE TABLE atrium.device_identities (
  device_id text PRIMARY KEY REFERENCES atrium.devices (device_id) ON DELETE CASCADE,
  wireguard_public_key text NOT NULL UNIQUE,
  -- Same bytes as atrium.devices.public_key_ed25519, kept here to make it unique.
  signing_public_key bytea NOT NULL UNIQUE CHECK (octet_length(signing_public_key) = 32),
  hardware_fingerprint text NOT NULL,
  location text,
  enrolment_token_id uuid REFERENCES atrium.enrolment_tokens (token_id) ON DELETE SET NULL,
  key_generation integer NOT NULL DEFAULT 1 CHECK (key_generation >= 1),
  -- The keys before the last rotation, so a rotation whose answer was lost can be repeated.
  previous_wireguard_public_key text,
  previous_signing_public_key bytea,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  rotated_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text,
  decommissioned_at timestamptz
);

CREATE INDEX device_identities_fingerprint_idx ON atrium.device_identities (hardware_fingerprint);

-- Kiosk tunnel addresses. The primary key is what makes an address impossible to hand out twice,
-- however many enrolments race for it.
CREATE TABLE atrium.vpn_addresses (
  address inet PRIMARY KEY CHECK (family(address) = 4 AND masklen(address) = 32),
  mall_id text NOT NULL REFERENCES atrium.vpn_pools (mall_id),
  device_id text NOT NULL UNIQUE REFERENCES atrium.devices (device_id) ON DELETE CASCADE,
  allocated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX vpn_addresses_mall_idx ON atrium.vpn_addresses (mall_id);

-- Enrolments that look like a clone or a re-enrolment of a live device, waiting for ops.
CREATE TABLE atrium.enrolment_approvals (
  approval_id uuid PRIMARY KEY,
  token_id uuid NOT NULL REFERENCES atrium.enrolment_tokens (token_id) ON DELETE CASCADE,
  wireguard_public_key text NOT NULL,
  signing_public_key bytea NOT NULL,
  hardware_fingerprint text NOT NULL,
  source_address text,
  reasons text[] NOT NULL,
  matched_device_ids text[] NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'completed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by text,
  device_id text
);

CREATE UNIQUE INDEX enrolment_approvals_attempt_idx ON atrium.enrolment_approvals (token_id, wireguard_public_key, signing_public_key, hardware_fingerprint);
CREATE INDEX enrolment_approvals_pending_idx ON atrium.enrolment_approvals (created_at) WHERE status = 'pending';

-- The peers each hub should have: every active device with a tunnel address. The hub reconciler
-- converges the hub interface to this view; revoking a device removes its peer.
CREATE VIEW atrium.vpn_desired_peers AS
SELECT p.hub_id, d.device_id, i.wireguard_public_key AS public_key, a.address AS allowed_ip
FROM atrium.devices d
JOIN atrium.device_identities i ON i.device_id = d.device_id
JOIN atrium.vpn_addresses a ON a.device_id = d.device_id
JOIN atrium.vpn_pools p ON p.mall_id = a.mall_id
WHERE d.status = 'active';

-- Hub reconcilers LISTEN atrium_vpn_peers_changed and converge at once
-- instead of waiting for their next periodic pass.
CREATE FUNCTION atrium.notify_vpn_peers_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('atrium_vpn_peers_changed', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER device_identities_notify_peers AFTER INSERT OR UPDATE OR DELETE ON atrium.device_identities
FOR EACH STATEMENT EXECUTE FUNCTION atrium.notify_vpn_peers_changed();
CREATE TRIGGER vpn_addresses_notify_peers AFTER INSERT OR UPDATE OR DELETE ON atrium.vpn_addresses
FOR EACH STATEMENT EXECUTE FUNCTION atrium.notify_vpn_peers_changed();
CREATE TRIGGER devices_notify_peers AFTER UPDATE OF status OR DELETE ON atrium.devices
FOR EACH STATEMENT EXECUTE FUNCTION atrium.notify_vpn_peers_changed();
