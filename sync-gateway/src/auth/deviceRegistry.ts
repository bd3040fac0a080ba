import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';

/** A registered kiosk device as the gateway needs it. */
export interface DeviceRecord {
  deviceId: string;
  kioskId: string;
  mallId: string;
  status: 'active' | 'revoked';
  publicKey: KeyObject;
}

/** Finds devices by id (the signature's `keyid`); undefined for an unknown device. */
export interface DeviceRegistry {
  find(deviceId: string): Promise<DeviceRecord | undefined>;
}

/** Turns the registry's raw 32-byte Ed25519 public key into a key object. */
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new Error(`An Ed25519 public key has 32 bytes, not ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

/** The raw 32 bytes of an Ed25519 public key, as `atrium.devices.public_key_ed25519` stores them. */
export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('Not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}
