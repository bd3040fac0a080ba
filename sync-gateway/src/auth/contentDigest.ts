import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDictionary, serializeDictionary } from 'structured-headers';

const ALGORITHMS = { 'sha-256': 'sha256', 'sha-512': 'sha512' } as const;

/** The RFC 9530 `Content-Digest` value of `body` (SHA-256 of the bytes as sent). */
export function contentDigestHeader(body: Uint8Array): string {
  return serializeDictionary(new Map([['sha-256', [createHash('sha256').update(body).digest(), new Map()]]]));
}

/**
 * True when `header` (RFC 9530 `Content-Digest`) holds a SHA-256 or SHA-512 digest equal to
 * the digest of `body`. Every known algorithm listed must match; unknown ones are ignored,
 * but at least one known one must be present.
 */
export function contentDigestMatches(header: string | undefined, body: Uint8Array): boolean {
  if (header === undefined) return false;
  let dictionary;
  try {
    dictionary = parseDictionary(header);
  } catch {
    return false;
  }
  let checked = 0;
  for (const [name, algorithm] of Object.entries(ALGORITHMS)) {
    const member = dictionary.get(name);
    if (member === undefined) continue;
    const value = member[0];
    if (!(value instanceof ArrayBuffer)) return false;
    const expected = createHash(algorithm).update(body).digest();
    const given = Buffer.from(value);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    checked += 1;
  }
  return checked > 0;
}
