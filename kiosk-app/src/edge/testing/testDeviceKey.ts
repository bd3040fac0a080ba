import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A generated Ed25519 device key for tests, its PEM written 0600 into `dir`. */
export function makeTestDeviceKey(dir: string): { pemPath: string; privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pemPath = join(dir, 'device-key.pem');
  writeFileSync(pemPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return { pemPath, privateKey, publicKey };
}
