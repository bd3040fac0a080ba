import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { generateWireguardKeyPair, isWireguardKey, rawFromEd25519PublicKey, wireguardPublicKeyOf } from '../enrolment/deviceKeys';
import { ensurePrivateFile, readPrivateFile } from '../wireguard/keyFiles';

/** The kiosk's keys as loaded from its data folder; the private halves never leave it. */
export interface DeviceKeys {
  wireguardPublicKey: string;
  signingKey: KeyObject;
  /** Raw Ed25519 public key, base64url (what the API carries). */
  signingPublicKey: string;
  /** True when this call made the keys (first enrolment). */
  created: boolean;
}

const newWireguardKey = (): string => `${generateWireguardKeyPair().privateKey}\n`;
const newSigningKey = (): string => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

function load(wireguardKeyFile: string, signingKeyFile: string, created: boolean): DeviceKeys {
  const wireguardPrivate = readPrivateFile(wireguardKeyFile).trim();
  if (!isWireguardKey(wireguardPrivate)) throw new Error(`${wireguardKeyFile} does not hold a WireGuard key`);
  const signingKey = createPrivateKey(readPrivateFile(signingKeyFile));
  if (signingKey.asymmetricKeyType !== 'ed25519') throw new Error(`${signingKeyFile} is not an Ed25519 key`);
  return {
    wireguardPublicKey: wireguardPublicKeyOf(wireguardPrivate),
    signingKey,
    signingPublicKey: rawFromEd25519PublicKey(createPublicKey(signingKey)).toString('base64url'),
    created,
  };
}

/**
 * Loads the kiosk's WireGuard and Ed25519 keys, making any that are missing (mode 0600, made
 * here with node:crypto). Existing keys are reused, so a re-run presents the same identity.
 */
export function ensureDeviceKeys(wireguardKeyFile: string, signingKeyFile: string): DeviceKeys {
  const wg = ensurePrivateFile(wireguardKeyFile, newWireguardKey);
  const signing = ensurePrivateFile(signingKeyFile, newSigningKey);
  return load(wireguardKeyFile, signingKeyFile, wg.created || signing.created);
}

/** Loads existing keys (status, rotation); throws when they are missing. */
export function loadDeviceKeys(wireguardKeyFile: string, signingKeyFile: string): DeviceKeys {
  if (!existsSync(wireguardKeyFile) || !existsSync(signingKeyFile)) throw new Error('the device keys are missing from the data folder; enrol first');
  return load(wireguardKeyFile, signingKeyFile, false);
}

/** Moves rotated keys into place (rename is atomic, so each file is either old or new). */
export function promoteKeys(from: { wireguard: string; signing: string }, to: { wireguard: string; signing: string }): void {
  renameSync(from.wireguard, to.wireguard);
  renameSync(from.signing, to.signing);
}
