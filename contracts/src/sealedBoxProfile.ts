/**
 * How a `SealedBox` is made, so the kiosk that seals and the loyalty projection that opens
 * cannot drift apart: an ephemeral X25519 key agrees a secret with the cloud's public key,
 * HKDF-SHA256 turns it into an AES-256-GCM key, and the key id is bound as associated data.
 *
 * - salt = ephemeral public key (32 raw bytes) followed by the recipient public key (32 raw bytes)
 * - info = `info` below (UTF-8)
 * - nonce = 12 random bytes; ciphertext = AES-256-GCM output followed by its 16-byte tag
 * - associated data = the `keyId` (UTF-8); plaintext = UTF-8 JSON of the sealed fields
 */
export const sealedBoxProfile = {
  alg: 'X25519-HKDF-SHA256-AES256GCM',
  info: 'atrium/sealed-box/v1',
  keyBytes: 32,
  nonceBytes: 12,
  tagBytes: 16,
} as const;
