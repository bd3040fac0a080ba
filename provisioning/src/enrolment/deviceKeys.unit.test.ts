import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519PublicKeyFromRaw, generateWireguardKeyPair, isEd25519PublicKeyText, isWireguardKey, rawFromEd25519PublicKey, wireguardPublicKeyOf } from './deviceKeys';

describe('device keys', () => {
  it('make WireGuard key pairs in the form wg prints them, and derive the public half', () => {
    const pair = generateWireguardKeyPair();
    expect(isWireguardKey(pair.privateKey)).toBe(true);
    expect(isWireguardKey(pair.publicKey)).toBe(true);
    expect(wireguardPublicKeyOf(pair.privateKey)).toBe(pair.publicKey);
  });

  it('agree with `wg pubkey` on a known private key', () => {
    // Derived with wireguard-tools: echo <private> | wg pubkey
    const privateKey = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
    expect(wireguardPublicKeyOf(privateKey)).toBe('HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=');
  });

  it('round-trip Ed25519 public keys through their raw 32 bytes', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = rawFromEd25519PublicKey(publicKey);
    expect(raw).toHaveLength(32);
    expect(isEd25519PublicKeyText(raw.toString('base64url'))).toBe(true);
    expect(rawFromEd25519PublicKey(ed25519PublicKeyFromRaw(raw)).equals(raw)).toBe(true);
  });

  it('reject malformed key text', () => {
    expect(isWireguardKey('not a key')).toBe(false);
    expect(isEd25519PublicKeyText('AAAA')).toBe(false);
  });
});
