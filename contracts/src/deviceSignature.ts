/**
 * The profile of the RFC 9421 HTTP Message Signature every kiosk request carries. Signer
 * (kiosk edge) and verifier (sync gateway) both build on `http-message-signatures` with
 * these values, so the two sides cannot drift apart.
 *
 * The body is covered through `content-digest` (RFC 9530, SHA-256 of the bytes as sent,
 * i.e. after gzip), so a signature cannot be lifted onto another batch.
 */
export const deviceSignatureProfile = {
  label: 'atrium',
  tag: 'atrium-device',
  alg: 'ed25519',
  /** Components covered for requests with a body. */
  componentsWithBody: ['@method', '@target-uri', 'content-digest', 'content-type'],
  /** Components covered for requests without a body (feeds, the urgent channel). */
  componentsWithoutBody: ['@method', '@target-uri'],
  /** How far `created` may be from the server's clock before the signature is refused. */
  maxSkewS: 300,
} as const;

/**
 * The key id a device signs with: its device id. The registry maps it to the device's
 * Ed25519 public key and its kiosk id.
 */
export function deviceKeyId(deviceId: string): string {
  return deviceId;
}
