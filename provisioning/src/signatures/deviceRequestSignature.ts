import { createHash, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { AtriumError, deviceKeyId, deviceSignatureProfile } from '@atrium/contracts';
import { ExpiredError, httpbis } from 'http-message-signatures';

/** RFC 9530 `Content-Digest` of the body bytes as sent. */
export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

/**
 * Signs a request as the device (RFC 9421, the profile in contracts), the way the kiosk's sync
 * client signs its uploads. Returns the headers to send, including `content-digest`.
 */
export async function signDeviceRequest(
  request: { method: string; url: string; headers: Record<string, string>; body: Uint8Array },
  deviceId: string,
  privateKey: KeyObject,
  now: Date,
): Promise<Record<string, string>> {
  const headers = { ...request.headers, 'content-digest': contentDigest(request.body) };
  const signed = await httpbis.signMessage(
    {
      key: { id: deviceKeyId(deviceId), alg: deviceSignatureProfile.alg, sign: async (data: Buffer) => sign(null, data, privateKey) },
      name: deviceSignatureProfile.label,
      fields: [...deviceSignatureProfile.componentsWithBody],
      // A nonce makes every signature unique: Ed25519 is deterministic, and two identical requests
      // in the same second (a probe repeated while the tunnel comes up) would otherwise look like
      // a replay to the gateway.
      params: ['created', 'expires', 'nonce', 'keyid', 'alg', 'tag'],
      paramValues: { created: now, expires: new Date(now.getTime() + deviceSignatureProfile.maxSkewS * 1000), nonce: randomBytes(12).toString('base64url'), tag: deviceSignatureProfile.tag },
    },
    { method: request.method, url: request.url, headers },
  );
  return signed.headers as Record<string, string>;
}

/** A received request as the verifier needs it. */
export interface ReceivedRequest {
  method: string;
  /** The full target URI as the client addressed it. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/**
 * Verifies that `request` carries a valid device signature by `deviceId` made with `publicKey`,
 * covering the body through `content-digest`. Throws SIGNATURE_MISSING, SIGNATURE_EXPIRED or
 * SIGNATURE_INVALID.
 */
export async function verifyDeviceRequest(request: ReceivedRequest, deviceId: string, publicKey: KeyObject): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  if (!headers['signature'] || !headers['signature-input']) throw new AtriumError('SIGNATURE_MISSING', 'sign this request with the device key (RFC 9421)');
  if (headers['content-digest'] !== contentDigest(request.rawBody)) throw new AtriumError('SIGNATURE_INVALID', 'content-digest does not match the body');
  let verified: boolean | null;
  try {
    verified = await httpbis.verifyMessage(
      {
        keyLookup: async (params) =>
          params.keyid === deviceKeyId(deviceId) && params.tag === deviceSignatureProfile.tag
            ? { id: deviceId, algs: [deviceSignatureProfile.alg], verify: async (data: Buffer, signature: Buffer) => verify(null, data, publicKey, signature) }
            : null,
        requiredFields: [...deviceSignatureProfile.componentsWithBody],
        requiredParams: ['created', 'keyid'],
        // The library subtracts `tolerance` from `created` before comparing its age with `maxAge`,
        // so a window of ±maxSkewS needs maxAge = 2 × maxSkewS (with maxAge = maxSkewS, any
        // signature made in an earlier second than the check was refused).
        maxAge: 2 * deviceSignatureProfile.maxSkewS,
        tolerance: deviceSignatureProfile.maxSkewS,
      },
      { method: request.method, url: request.url, headers },
    );
  } catch (error) {
    if (error instanceof ExpiredError) throw new AtriumError('SIGNATURE_EXPIRED', 'the signature is outside the accepted time window; check the kiosk clock');
    throw new AtriumError('SIGNATURE_INVALID', `the signature is not acceptable: ${(error as Error).message}`);
  }
  if (verified !== true) throw new AtriumError('SIGNATURE_INVALID', 'the signature does not verify with the device key');
}
