import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { sealedBoxProfile, type SealedBox } from '@atrium/contracts';
import type { Static } from '@sinclair/typebox';

/** A sealed box as the event catalogue carries it (`mall.loyalty.enrolled` → `sealedPii`). */
export type SealedBoxValue = Static<typeof SealedBox>;

/** The sealed fields (name, email, postcode…), UTF-8 JSON inside the box. */
export type PiiFields = Record<string, string>;

// DER headers of raw X25519 keys (RFC 8410): the raw 32 bytes follow them.
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');
const KEY_BYTES = sealedBoxProfile.keyBytes;

/** An X25519 private key from its raw 32 bytes (any 32 bytes are a valid scalar). */
export function x25519PrivateKey(raw: Buffer): KeyObject {
  if (raw.length !== KEY_BYTES) throw new RangeError('An X25519 private key is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
}

/** An X25519 public key from its raw 32 bytes. */
export function x25519PublicKey(raw: Buffer): KeyObject {
  if (raw.length !== KEY_BYTES) throw new RangeError('An X25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_X25519, raw]), format: 'der', type: 'spki' });
}

/** The raw 32 bytes of an X25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - KEY_BYTES);
}

/** The raw 32 bytes of an X25519 private key. */
export function rawPrivateKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return der.subarray(der.length - KEY_BYTES);
}

function boxKey(shared: Buffer, ephemeralRaw: Buffer, recipientRaw: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, recipientRaw]), sealedBoxProfile.info, 32));
}

/**
 * Seals `fields` to `recipient` exactly as the kiosk does (contracts `sealedBoxProfile`). With
 * `seed` the ephemeral key and nonce come from it instead of randomness, so sealing the same
 * fields with the same seed gives the same bytes: a redelivered event rewrites an identical row.
 */
export function sealFields(fields: PiiFields, recipient: KeyObject, keyId: string, seed?: Buffer): SealedBoxValue {
  const material = seed ? Buffer.from(hkdfSync('sha256', seed, Buffer.alloc(0), 'atrium/sealed-box/v1/deterministic', KEY_BYTES + sealedBoxProfile.nonceBytes)) : randomBytes(KEY_BYTES + sealedBoxProfile.nonceBytes);
  const ephemeral = x25519PrivateKey(material.subarray(0, KEY_BYTES));
  const nonce = material.subarray(KEY_BYTES);
  const ephemeralRaw = rawPublicKey(ephemeral);
  const key = boxKey(diffieHellman({ privateKey: ephemeral, publicKey: recipient }), ephemeralRaw, rawPublicKey(recipient));
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: sealedBoxProfile.tagBytes });
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(fields), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  key.fill(0);
  return { alg: sealedBoxProfile.alg, keyId, ephemeralPublicKey: ephemeralRaw.toString('base64'), nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/** Opens a box sealed to `recipient` (private key); throws when it was sealed to another key or altered. */
export function openSealedBox(box: SealedBoxValue, recipient: KeyObject): PiiFields {
  const ephemeralRaw = Buffer.from(box.ephemeralPublicKey, 'base64');
  const data = Buffer.from(box.ciphertext, 'base64');
  const tagBytes = sealedBoxProfile.tagBytes;
  if (data.length < tagBytes) throw new Error('sealed box: ciphertext shorter than its tag');
  const key = boxKey(diffieHellman({ privateKey: recipient, publicKey: x25519PublicKey(ephemeralRaw) }), ephemeralRaw, rawPublicKey(recipient));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.nonce, 'base64'), { authTagLength: tagBytes });
    decipher.setAAD(Buffer.from(box.keyId, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - tagBytes));
    const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - tagBytes)), decipher.final()]).toString('utf8');
    const fields = JSON.parse(plain) as unknown;
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields) || Object.values(fields).some((v) => typeof v !== 'string')) {
      throw new Error('sealed box: the plaintext is not a map of strings');
    }
    return fields as PiiFields;
  } finally {
    key.fill(0);
  }
}

/** Wraps a member key under the key-encryption key (AES-256-GCM, the member ref bound as AAD). */
export function wrapKey(kek: Buffer, memberRef: string, raw: Buffer): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  cipher.setAAD(Buffer.from(`atrium/member-key/v1:${memberRef}`, 'utf8'));
  return Buffer.concat([nonce, cipher.update(raw), cipher.final(), cipher.getAuthTag()]);
}

/** Unwraps a member key; throws when the wrapped bytes were altered or belong to another member. */
export function unwrapKey(kek: Buffer, memberRef: string, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, 12));
  decipher.setAAD(Buffer.from(`atrium/member-key/v1:${memberRef}`, 'utf8'));
  decipher.setAuthTag(wrapped.subarray(wrapped.length - 16));
  return Buffer.concat([decipher.update(wrapped.subarray(12, wrapped.length - 16)), decipher.final()]);
}
