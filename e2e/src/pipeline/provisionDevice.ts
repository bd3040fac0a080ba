import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';

/** A simulated kiosk's identity: its ids, data folder and device key file. */
export interface SimulatedKioskIdentity {
  kioskId: string;
  deviceId: string;
  mallId: string;
  dataDir: string;
  keyPath: string;
}

/**
 * Provisions one kiosk as `kioskctl enrol` would leave it: an Ed25519 key made locally (PKCS#8
 * PEM, mode 0600, in the kiosk's data folder) and the device registered with its public key in
 * `atrium.devices`. Idempotent: an existing key file is kept and the row re-registered with it.
 */
export async function provisionDevice(pool: pg.Pool, identity: SimulatedKioskIdentity): Promise<void> {
  mkdirSync(join(identity.dataDir, 'keys'), { recursive: true, mode: 0o700 });
  if (!existsSync(identity.keyPath)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(identity.keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const jwk = createPublicKey(createPrivateKey(readFileSync(identity.keyPath))).export({ format: 'jwk' });
  const raw = Buffer.from(String(jwk.x), 'base64url');
  await pool.query(
    `INSERT INTO atrium.devices (device_id, kiosk_id, mall_id, public_key_ed25519, status) VALUES ($1, $2, $3, $4, 'active')
     ON CONFLICT (device_id) DO UPDATE SET kiosk_id = EXCLUDED.kiosk_id, mall_id = EXCLUDED.mall_id, public_key_ed25519 = EXCLUDED.public_key_ed25519, status = 'active'`,
    [identity.deviceId, identity.kioskId, identity.mallId, raw],
  );
}

/** Removes simulated devices from the registry (test clean-up). */
export async function deprovisionDevices(pool: pg.Pool, deviceIds: readonly string[]): Promise<void> {
  if (deviceIds.length > 0) await pool.query('DELETE FROM atrium.devices WHERE device_id = ANY($1)', [deviceIds]);
}

/** The identity of kiosk number `n` (1-based) of a simulated mall, under `runDir`. */
export function simulatedIdentity(runDir: string, mallId: string, n: number): SimulatedKioskIdentity {
  const kioskId = `${mallId}-k${String(n).padStart(3, '0')}`;
  const dataDir = join(runDir, kioskId);
  return { kioskId, deviceId: `dev-${kioskId}`, mallId, dataDir, keyPath: join(dataDir, 'keys', 'device-ed25519.pem') };
}
