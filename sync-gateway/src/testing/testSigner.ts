import { generateKeyPairSync, randomBytes, sign as edSign, type KeyObject } from 'node:crypto';
import { deviceSignatureProfile } from '@atrium/contracts';
import { httpbis } from 'http-message-signatures';
import { contentDigestHeader } from '../auth/contentDigest';
import { rawEd25519PublicKey } from '../auth/deviceRegistry';

/** A device key pair for tests and benchmarks (the kiosk edge has its own signer). */
export interface TestDeviceKey {
  deviceId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Raw 32-byte public key, as the registry stores it. */
  publicKeyRaw: Buffer;
}

/** Makes a fresh Ed25519 key for `deviceId`. */
export function newTestDeviceKey(deviceId: string): TestDeviceKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { deviceId, privateKey, publicKey, publicKeyRaw: rawEd25519PublicKey(publicKey) };
}

/** A request to sign: the absolute URL is what `@target-uri` covers. */
export interface RequestToSign {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Seconds since the epoch; default now. */
  created?: number;
  /** Sign with this key instead of the device's own (a wrong-key test). */
  signWith?: KeyObject;
}

/**
 * Signs a request with the device signature profile, adding `content-digest` over the body as
 * sent. Returns the headers to send (the given ones plus digest and signature headers).
 */
export async function signTestRequest(key: TestDeviceKey, request: RequestToSign): Promise<Record<string, string>> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.body) headers['content-digest'] = contentDigestHeader(request.body);
  const privateKey = request.signWith ?? key.privateKey;
  const signed = await httpbis.signMessage(
    {
      key: { id: key.deviceId, alg: deviceSignatureProfile.alg, sign: async (data: Buffer) => edSign(null, data, privateKey) },
      name: deviceSignatureProfile.label,
      // A nonce makes two identical requests in the same second two signatures, not a replay.
      params: ['created', 'keyid', 'alg', 'tag', 'nonce'],
      fields: [...(request.body ? deviceSignatureProfile.componentsWithBody : deviceSignatureProfile.componentsWithoutBody)],
      paramValues: { created: new Date((request.created ?? Math.floor(Date.now() / 1000)) * 1000), tag: deviceSignatureProfile.tag, nonce: randomBytes(12).toString('base64url') },
    },
    { method: request.method, url: request.url, headers },
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
