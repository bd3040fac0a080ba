import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { deviceKeyId, deviceSignatureProfile } from '@atrium/contracts';
import type { SigningKey } from 'http-message-signatures';

/**
 * Loads the device's Ed25519 private key (PKCS#8 PEM) that provisioning made on this kiosk.
 * Refuses a key file other users could read: the key must never leave the device.
 */
export function loadDevicePrivateKey(pemPath: string): KeyObject {
  const mode = statSync(pemPath).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new Error(`Device key ${pemPath} is readable by others (mode ${mode.toString(8)}); expected 0600`);
  const key = createPrivateKey(readFileSync(pemPath));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`Device key ${pemPath} is ${key.asymmetricKeyType}, expected ed25519`);
  return key;
}

/** The `http-message-signatures` signing key for a device: Ed25519 via node:crypto, keyid = device id. */
export function deviceSigningKey(deviceId: string, privateKey: KeyObject): SigningKey {
  return { id: deviceKeyId(deviceId), alg: deviceSignatureProfile.alg, sign: async (data: Buffer) => sign(null, data, privateKey) };
}
