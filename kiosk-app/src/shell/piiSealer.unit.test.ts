import { createDecipheriv, createPrivateKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SealedBox, compileSchema, sealedBoxProfile } from '@atrium/contracts';
import type { Static } from '@sinclair/typebox';
import { rawX25519, sealPii, x25519PublicKey } from './piiSealer';

/** What the loyalty projection does, written from the profile alone. */
function open(box: Static<typeof SealedBox>, recipientPrivate: KeyObject, recipientPublicRaw: Buffer): Record<string, string> {
  const ephemeralRaw = Buffer.from(box.ephemeralPublicKey, 'base64');
  const shared = diffieHellman({ privateKey: recipientPrivate, publicKey: x25519PublicKey(ephemeralRaw.toString('base64')) });
  const key = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, recipientPublicRaw]), sealedBoxProfile.info, 32));
  const data = Buffer.from(box.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.nonce, 'base64'), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(box.keyId, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return JSON.parse(Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8')) as Record<string, string>;
}

describe('sealing loyalty PII', () => {
  const cloud = generateKeyPairSync('x25519');
  const cloudRaw = rawX25519(cloud.publicKey);
  const recipient = x25519PublicKey(cloudRaw.toString('base64'));
  const pii = { name: 'Ana Ruiz', email: 'ana@example.org' };

  it('given a cloud key, when PII is sealed, then the box matches the contract and holds no plaintext', () => {
    const box = sealPii(pii, recipient, 'cloud-2026');
    expect(compileSchema(SealedBox).errors(box)).toEqual([]);
    expect(JSON.stringify(box)).not.toContain('Ana');
    expect(JSON.stringify(box)).not.toContain('example.org');
  });

  it('given a sealed box, when the cloud opens it with its private key, then the fields come back', () => {
    expect(open(sealPii(pii, recipient, 'cloud-2026'), cloud.privateKey, cloudRaw)).toEqual(pii);
  });

  it('given the same PII twice, when sealed, then the boxes differ (fresh ephemeral key and nonce)', () => {
    expect(sealPii(pii, recipient, 'k').ciphertext).not.toBe(sealPii(pii, recipient, 'k').ciphertext);
  });

  it('given a box whose key id was changed, when opened, then authentication fails', () => {
    const box = { ...sealPii(pii, recipient, 'cloud-2026'), keyId: 'cloud-2027' };
    expect(() => open(box, cloud.privateKey, cloudRaw)).toThrow();
  });

  it('given another private key, when opening, then it fails', () => {
    const other = generateKeyPairSync('x25519');
    expect(() => open(sealPii(pii, recipient, 'k'), createPrivateKey(other.privateKey.export({ format: 'pem', type: 'pkcs8' })), cloudRaw)).toThrow();
  });
});
