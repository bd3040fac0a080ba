import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A generated Ed25519 device key for tests, its PEM written 0600 at `dir/fileName`. */
export function makeTestDeviceKey(dir: string, fileName = 'device-key.pem'): { pemPath: string; privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pemPath = join(dir, fileName);
  mkdirSync(dirname(pemPath), { recursive: true, mode: 0o700 });
  writeFileSync(pemPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return { pemPath, privateKey, publicKey };
}
