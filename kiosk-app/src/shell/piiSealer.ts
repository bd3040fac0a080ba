import { createCipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { sealedBoxProfile, type SealedBox } from '@atrium/contracts';
import type { Static } from '@sinclair/typebox';

/** Raw 32 bytes of an X25519 public key. */
export function rawX25519(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url');
}

/** The cloud's X25519 public key from the base64 of its raw bytes. */
export function x25519PublicKey(rawBase64: string): KeyObject {
  const raw = Buffer.from(rawBase64, 'base64');
  if (raw.length !== sealedBoxProfile.keyBytes) throw new Error('An X25519 public key is 32 bytes');
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/**
 * Seals `fields` to the cloud's public key (see `sealedBoxProfile` in contracts): only the
 * holder of the private key, the loyalty projection, can open it. The kiosk keeps no way back.
 */
export function sealPii(fields: Record<string, string>, recipient: KeyObject, keyId: string): Static<typeof SealedBox> {
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralRaw = rawX25519(ephemeral.publicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const salt = Buffer.concat([ephemeralRaw, rawX25519(recipient)]);
  const key = Buffer.from(hkdfSync('sha256', shared, salt, sealedBoxProfile.info, 32));
  const nonce = randomBytes(sealedBoxProfile.nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: sealedBoxProfile.tagBytes });
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(fields), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  key.fill(0);
  return {
    alg: sealedBoxProfile.alg,
    keyId,
    ephemeralPublicKey: ephemeralRaw.toString('base64'),
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}
