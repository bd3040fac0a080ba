import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { KioskEnrolmentFile, kioskDataFiles } from '@atrium/contracts';
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

/**
 * The device key file, reloaded when it changes (provisioning rotates keys in place and bumps
 * `keyGeneration` in the enrolment file), so a rotation needs no restart of the sync loop.
 * A reload goes through `loadDevicePrivateKey`, so a rotated file with loose permissions is refused.
 */
export class DeviceKeyFile {
  private cached: { pem: Buffer; key: KeyObject } | null = null;

  constructor(readonly pemPath: string) {}

  /** The current key: the file is small, so it is read each time and parsed only when it changed. */
  current(): KeyObject {
    const pem = readFileSync(this.pemPath);
    if (!this.cached || !this.cached.pem.equals(pem)) this.cached = { pem, key: loadDevicePrivateKey(this.pemPath) };
    return this.cached.key;
  }
}

/** Where the gateway is and who this kiosk is, as enrolment recorded it in the data folder. */
export interface EnrolledGateway {
  url: string;
  deviceId: string;
  kioskId: string;
  deviceKeyPath: string;
}

/** Reads `enrolment.json` from the kiosk's data folder (written by `kioskctl enrol`). */
export function readEnrolment(dataDir: string): EnrolledGateway {
  const parsed: unknown = JSON.parse(readFileSync(join(dataDir, kioskDataFiles.enrolment), 'utf8'));
  if (!Value.Check(KioskEnrolmentFile, parsed)) {
    const first = [...Value.Errors(KioskEnrolmentFile, parsed)][0];
    throw new Error(`${kioskDataFiles.enrolment} is invalid at ${first?.path}: ${first?.message}`);
  }
  return { url: parsed.gatewayUrl, deviceId: parsed.deviceId, kioskId: parsed.kioskId, deviceKeyPath: join(dataDir, kioskDataFiles.signingKey) };
}
