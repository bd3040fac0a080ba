import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { deviceSignatureProfile } from '@atrium/contracts';
import { httpbis } from 'http-message-signatures';
import { deviceSigningKey } from './deviceKey';

/** RFC 9530 `Content-Digest` of the bytes as sent (after gzip). */
export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

/** A request about to be signed. */
export interface RequestToSign {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/**
 * Signs a request as the device (RFC 9421, the profile in contracts): label, tag, alg, keyid
 * and the covered components. `createdMs` is the kiosk's corrected time, so a kiosk whose own
 * clock is off still signs inside the gateway's skew window once it has heard the server's time.
 */
export async function signDeviceRequest(request: RequestToSign, deviceId: string, privateKey: KeyObject, createdMs: number): Promise<Record<string, string>> {
  const headers = { ...request.headers };
  const hasBody = request.body !== undefined;
  if (hasBody) headers['content-digest'] = contentDigest(request.body!);
  const created = new Date(createdMs);
  const signed = await httpbis.signMessage(
    {
      key: deviceSigningKey(deviceId, privateKey),
      name: deviceSignatureProfile.label,
      fields: [...(hasBody ? deviceSignatureProfile.componentsWithBody : deviceSignatureProfile.componentsWithoutBody)],
      // A nonce makes every signature unique: Ed25519 is deterministic, and a batch resent within
      // the same second would otherwise carry a byte-identical signature that the gateway's
      // replay cache refuses.
      params: ['created', 'expires', 'nonce', 'keyid', 'alg', 'tag'],
      paramValues: {
        created,
        expires: new Date(createdMs + deviceSignatureProfile.maxSkewS * 1000),
        nonce: randomBytes(12).toString('base64url'),
        tag: deviceSignatureProfile.tag,
      },
    },
    { method: request.method, url: request.url, headers },
  );
  return signed.headers as Record<string, string>;
}
