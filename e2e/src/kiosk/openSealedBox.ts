import { createDecipheriv, createPublicKey, diffieHellman, hkdfSync, type KeyObject } from 'node:crypto';
import { sealedBoxProfile } from '@atrium/contracts';

/** Opens a SealedBox as the loyalty projection would, from the contracts' profile alone. */
export function openSealedBox(box: { keyId: string; ephemeralPublicKey: string; nonce: string; ciphertext: string }, privateKey: KeyObject, publicKey: KeyObject): Record<string, string> {
  const ephemeralRaw = Buffer.from(box.ephemeralPublicKey, 'base64');
  const ephemeral = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: ephemeralRaw.toString('base64url') }, format: 'jwk' });
  const recipientRaw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const shared = diffieHellman({ privateKey, publicKey: ephemeral });
  const key = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, recipientRaw]), sealedBoxProfile.info, 32));
  const data = Buffer.from(box.ciphertext, 'base64');
  const tag = data.subarray(data.length - sealedBoxProfile.tagBytes);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.nonce, 'base64'), { authTagLength: sealedBoxProfile.tagBytes });
  decipher.setAAD(Buffer.from(box.keyId, 'utf8'));
  decipher.setAuthTag(tag);
  return JSON.parse(Buffer.concat([decipher.update(data.subarray(0, data.length - sealedBoxProfile.tagBytes)), decipher.final()]).toString('utf8')) as Record<string, string>;
}
