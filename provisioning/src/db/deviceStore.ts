import type { DeviceView, EnrolmentResult } from '../api/schemas';
import type { KnownDevice } from '../enrolment/enrolmentDecision';
import type { Queryable } from './pgPool';

interface KnownDeviceRow {
  device_id: string;
  status: 'active' | 'revoked';
  mall_id: string;
  kiosk_id: string;
  wireguard_public_key: string | null;
  signing_public_key: Buffer;
  hardware_fingerprint: string | null;
}

// Devices registered by other means (no identity row) still count: their registry key and slot.
const KNOWN = `SELECT d.device_id, d.status, d.mall_id, d.kiosk_id, i.wireguard_public_key,
  coalesce(i.signing_public_key, d.public_key_ed25519) AS signing_public_key, i.hardware_fingerprint
  FROM atrium.devices d LEFT JOIN atrium.device_identities i ON i.device_id = d.device_id`;

function known(row: KnownDeviceRow): KnownDevice {
  return {
    deviceId: row.device_id,
    status: row.status,
    mallId: row.mall_id,
    kioskId: row.kiosk_id,
    wireguardPublicKey: row.wireguard_public_key ?? '',
    signingPublicKey: row.signing_public_key.toString('base64url'),
    hardwareFingerprint: row.hardware_fingerprint ?? '',
  };
}

/** Devices (any status) holding either key now or before their last rotation. */
export async function devicesWithKeys(db: Queryable, wireguardPublicKey: string, signingPublicKey: Buffer): Promise<KnownDevice[]> {
  const result = await db.query<KnownDeviceRow>(
    `${KNOWN} WHERE i.wireguard_public_key = $1 OR i.previous_wireguard_public_key = $1
       OR d.public_key_ed25519 = $2 OR i.signing_public_key = $2 OR i.previous_signing_public_key = $2
     ORDER BY d.device_id`,
    [wireguardPublicKey, signingPublicKey],
  );
  return result.rows.map(known);
}

/** Active devices with this hardware fingerprint. */
export async function activeDevicesWithFingerprint(db: Queryable, fingerprint: string): Promise<KnownDevice[]> {
  const result = await db.query<KnownDeviceRow>(`${KNOWN} WHERE i.hardware_fingerprint = $1 AND d.status = 'active' ORDER BY d.device_id`, [fingerprint]);
  return result.rows.map(known);
}

/** Active devices in a kiosk slot. */
export async function activeDevicesInKiosk(db: Queryable, mallId: string, kioskId: string): Promise<KnownDevice[]> {
  const result = await db.query<KnownDeviceRow>(`${KNOWN} WHERE d.mall_id = $1 AND d.kiosk_id = $2 AND d.status = 'active' ORDER BY d.device_id`, [mallId, kioskId]);
  return result.rows.map(known);
}

/** The keys and identity a device is registered with. */
export interface DeviceIdentity {
  deviceId: string;
  kioskId: string;
  mallId: string;
  wireguardPublicKey: string;
  signingPublicKey: Buffer;
  hardwareFingerprint: string;
  location: string | null;
  tokenId: string;
}

/** Registers a new active device: the registry row the gateway reads, and its identity. */
export async function insertDevice(db: Queryable, device: DeviceIdentity): Promise<void> {
  await db.query(`INSERT INTO atrium.devices (device_id, kiosk_id, mall_id, public_key_ed25519, status) VALUES ($1, $2, $3, $4, 'active')`, [
    device.deviceId,
    device.kioskId,
    device.mallId,
    device.signingPublicKey,
  ]);
  await db.query(
    `INSERT INTO atrium.device_identities (device_id, wireguard_public_key, signing_public_key, hardware_fingerprint, location, enrolment_token_id)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [device.deviceId, device.wireguardPublicKey, device.signingPublicKey, device.hardwareFingerprint, device.location, device.tokenId],
  );
}

/** Re-activates an existing device with the identity presented (an approved re-enrolment). */
export async function takeOverDevice(db: Queryable, device: DeviceIdentity): Promise<void> {
  await db.query(`UPDATE atrium.devices SET status = 'active', kiosk_id = $2, mall_id = $3, public_key_ed25519 = $4 WHERE device_id = $1`, [
    device.deviceId,
    device.kioskId,
    device.mallId,
    device.signingPublicKey,
  ]);
  await db.query(
    `INSERT INTO atrium.device_identities (device_id, wireguard_public_key, signing_public_key, hardware_fingerprint, location, enrolment_token_id)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (device_id) DO UPDATE SET wireguard_public_key = EXCLUDED.wireguard_public_key, signing_public_key = EXCLUDED.signing_public_key,
       hardware_fingerprint = EXCLUDED.hardware_fingerprint, location = EXCLUDED.location, enrolment_token_id = EXCLUDED.enrolment_token_id,
       revoked_at = NULL, revoked_reason = NULL, decommissioned_at = NULL`,
    [device.deviceId, device.wireguardPublicKey, device.signingPublicKey, device.hardwareFingerprint, device.location, device.tokenId],
  );
}

/** Revokes devices that are active; returns the ids that changed. */
export async function revokeDevices(db: Queryable, deviceIds: readonly string[], reason: string, now: Date): Promise<string[]> {
  if (deviceIds.length === 0) return [];
  const result = await db.query<{ device_id: string }>(`UPDATE atrium.devices SET status = 'revoked' WHERE device_id = ANY($1) AND status = 'active' RETURNING device_id`, [deviceIds]);
  await db.query('UPDATE atrium.device_identities SET revoked_at = $2, revoked_reason = $3 WHERE device_id = ANY($1) AND revoked_at IS NULL', [deviceIds, now, reason]);
  return result.rows.map((r) => r.device_id);
}

/** Marks a device decommissioned (its address is released separately). */
export async function markDecommissioned(db: Queryable, deviceId: string, now: Date): Promise<void> {
  await db.query('UPDATE atrium.device_identities SET decommissioned_at = $2 WHERE device_id = $1 AND decommissioned_at IS NULL', [deviceId, now]);
}

/** A device's current keys, status and fingerprint, locked for a key rotation. */
export interface RotationSubject {
  deviceId: string;
  status: 'active' | 'revoked';
  wireguardPublicKey: string;
  signingPublicKey: Buffer;
  previousWireguardPublicKey: string | null;
  previousSigningPublicKey: Buffer | null;
  hardwareFingerprint: string;
}

/** Locks a device for a key rotation. */
export async function lockRotationSubject(db: Queryable, deviceId: string): Promise<RotationSubject | undefined> {
  const result = await db.query<{
    device_id: string;
    status: 'active' | 'revoked';
    wireguard_public_key: string;
    signing_public_key: Buffer;
    previous_wireguard_public_key: string | null;
    previous_signing_public_key: Buffer | null;
    hardware_fingerprint: string;
  }>(
    `SELECT d.device_id, d.status, i.wireguard_public_key, i.signing_public_key, i.previous_wireguard_public_key, i.previous_signing_public_key, i.hardware_fingerprint
     FROM atrium.devices d JOIN atrium.device_identities i ON i.device_id = d.device_id WHERE d.device_id = $1 FOR UPDATE OF d, i`,
    [deviceId],
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    deviceId: row.device_id,
    status: row.status,
    wireguardPublicKey: row.wireguard_public_key,
    signingPublicKey: row.signing_public_key,
    previousWireguardPublicKey: row.previous_wireguard_public_key,
    previousSigningPublicKey: row.previous_signing_public_key,
    hardwareFingerprint: row.hardware_fingerprint,
  };
}

/** Switches a device to new keys, keeping its id; the old ones are remembered once. */
export async function rotateDeviceKeys(db: Queryable, deviceId: string, wireguardPublicKey: string, signingPublicKey: Buffer, now: Date): Promise<void> {
  await db.query(
    `UPDATE atrium.device_identities SET previous_wireguard_public_key = wireguard_public_key, previous_signing_public_key = signing_public_key,
       wireguard_public_key = $2, signing_public_key = $3, key_generation = key_generation + 1, rotated_at = $4 WHERE device_id = $1`,
    [deviceId, wireguardPublicKey, signingPublicKey, now],
  );
  await db.query('UPDATE atrium.devices SET public_key_ed25519 = $2 WHERE device_id = $1', [deviceId, signingPublicKey]);
}

/** Everything a kiosk needs to bring its tunnel up, or undefined when the device has no address. */
export async function enrolmentResultOf(db: Queryable, deviceId: string, persistentKeepaliveS: number): Promise<EnrolmentResult | undefined> {
  const result = await db.query<{
    device_id: string;
    kiosk_id: string;
    mall_id: string;
    key_generation: number;
    vpn_address: string;
    hub_public_key: string;
    endpoint: string;
    hub_tunnel_address: string;
    gateway_url: string;
  }>(
    `SELECT d.device_id, d.kiosk_id, d.mall_id, i.key_generation, host(a.address) AS vpn_address, h.public_key AS hub_public_key, h.endpoint,
       host(h.tunnel_address) AS hub_tunnel_address, h.gateway_url
     FROM atrium.devices d
     JOIN atrium.device_identities i ON i.device_id = d.device_id
     JOIN atrium.vpn_addresses a ON a.device_id = d.device_id
     JOIN atrium.vpn_pools p ON p.mall_id = a.mall_id
     JOIN atrium.vpn_hubs h ON h.hub_id = p.hub_id
     WHERE d.device_id = $1`,
    [deviceId],
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    deviceId: row.device_id,
    kioskId: row.kiosk_id,
    mallId: row.mall_id,
    keyGeneration: row.key_generation,
    vpnAddress: row.vpn_address,
    wireguard: {
      address: `${row.vpn_address}/32`,
      hubPublicKey: row.hub_public_key,
      endpoint: row.endpoint,
      allowedIps: [`${row.hub_tunnel_address}/32`],
      persistentKeepaliveS,
    },
    gatewayUrl: row.gateway_url,
  };
}

interface DeviceViewRow {
  device_id: string;
  kiosk_id: string;
  mall_id: string;
  status: 'active' | 'revoked';
  decommissioned_at: Date | null;
  vpn_address: string | null;
  wireguard_public_key: string;
  key_generation: number;
  location: string | null;
  enrolled_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

const VIEW = `SELECT d.device_id, d.kiosk_id, d.mall_id, d.status, i.decommissioned_at, host(a.address) AS vpn_address, i.wireguard_public_key,
  i.key_generation, i.location, i.enrolled_at, i.rotated_at, i.revoked_at, i.revoked_reason
  FROM atrium.devices d JOIN atrium.device_identities i ON i.device_id = d.device_id LEFT JOIN atrium.vpn_addresses a ON a.device_id = d.device_id`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function deviceView(row: DeviceViewRow): DeviceView {
  return {
    deviceId: row.device_id,
    kioskId: row.kiosk_id,
    mallId: row.mall_id,
    status: row.status,
    decommissioned: row.decommissioned_at !== null,
    vpnAddress: row.vpn_address,
    wireguardPublicKey: row.wireguard_public_key,
    keyGeneration: row.key_generation,
    location: row.location,
    enrolledAt: row.enrolled_at.toISOString(),
    rotatedAt: iso(row.rotated_at),
    revokedAt: iso(row.revoked_at),
    revokedReason: row.revoked_reason,
  };
}

/** One enrolled device as ops see it. */
export async function findDeviceView(db: Queryable, deviceId: string): Promise<DeviceView | undefined> {
  const result = await db.query<DeviceViewRow>(`${VIEW} WHERE d.device_id = $1`, [deviceId]);
  return result.rows[0] ? deviceView(result.rows[0]) : undefined;
}

/** Enrolled devices of a mall (or all), bounded. */
export async function listDeviceViews(db: Queryable, filter: { mallId?: string; limit: number }): Promise<DeviceView[]> {
  const result = await db.query<DeviceViewRow>(`${VIEW} WHERE ($1::text IS NULL OR d.mall_id = $1) ORDER BY d.mall_id, d.kiosk_id, d.device_id LIMIT $2`, [filter.mallId ?? null, filter.limit]);
  return result.rows.map(deviceView);
}
