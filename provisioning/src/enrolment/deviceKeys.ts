import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

const WG_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
const ED25519_RAW = /^[A-Za-z0-9_-]{43}$/;

/** True for a WireGuard key as `wg` prints it: 32 bytes, standard base64. */
export function isWireguardKey(value: string): boolean {
  return WG_KEY.test(value);
}

/** True for an Ed25519 public key as the API carries it: 32 raw bytes, base64url, no padding. */
export function isEd25519PublicKeyText(value: string): boolean {
  return ED25519_RAW.test(value) && Buffer.from(value, 'base64url').length === 32;
}

/** The key object of a raw Ed25519 public key. */
export function ed25519PublicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** The raw 32 bytes of an Ed25519 public key (what `atrium.devices` stores). */
export function rawFromEd25519PublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 public key');
  return Buffer.from(jwk.x, 'base64url');
}

/** A fresh WireGuard (X25519) key pair in `wg`'s base64 form, made with node:crypto. */
export function generateWireguardKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const d = privateKey.export({ format: 'jwk' }).d;
  const x = publicKey.export({ format: 'jwk' }).x;
  if (!d || !x) throw new Error('X25519 key export failed');
  return { privateKey: Buffer.from(d, 'base64url').toString('base64'), publicKey: Buffer.from(x, 'base64url').toString('base64') };
}

/** The WireGuard public key of a WireGuard private key (what `wg pubkey` prints). */
export function wireguardPublicKeyOf(privateKeyBase64: string): string {
  const d = Buffer.from(privateKeyBase64, 'base64');
  // Any 32 bytes are a valid X25519 private key; the JWK import needs x, so derive it via PKCS#8.
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), d]);
  const x = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' }).x;
  if (!x) throw new Error('X25519 public key derivation failed');
  return Buffer.from(x, 'base64url').toString('base64');
}
