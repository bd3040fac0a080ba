import { createHash, randomBytes } from 'node:crypto';

/** Prefix that makes an enrolment token recognisable in a terminal or a secret scanner. */
export const TOKEN_PREFIX = 'atr_enrol_';
const TOKEN_PATTERN = /^atr_enrol_[A-Za-z0-9_-]{43}$/;

/** Makes a fresh one-time token: 256 random bits, base64url. Only its hash is stored. */
export function newEnrolmentToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** True when `value` has the shape of a token this service issues (checked before any lookup). */
export function looksLikeEnrolmentToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/**
 * SHA-256 of the token. A plain hash is enough (no salt, no slow KDF): the token carries 256
 * random bits, so there is nothing to brute-force, and a fast hash keeps the lookup indexable.
 */
export function hashEnrolmentToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
