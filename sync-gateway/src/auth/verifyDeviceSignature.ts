import { AtriumError, deviceSignatureProfile } from '@atrium/contracts';
import { createVerifier, httpbis } from 'http-message-signatures';
import { parseDictionary, serializeDictionary, isInnerList, type Dictionary, type InnerList } from 'structured-headers';
import type { DeviceRecord, DeviceRegistry } from './deviceRegistry';
import type { ReplayCache } from './replayCache';

/** The parts of an HTTP request a signature covers. */
export interface SignedRequest {
  method: string;
  /** The absolute target URI (`@target-uri`) as the kiosk addressed it. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** True for requests with a body: they must cover `content-digest` and `content-type`. */
  hasBody: boolean;
}

/** What the gateway knows of the signer once a request verified. */
export interface AuthenticatedDevice {
  deviceId: string;
  kioskId: string;
  mallId: string;
}

/** What verification needs: the registry, the replay cache and the server's clock. */
export interface SignatureVerifierDeps {
  registry: DeviceRegistry;
  replayCache: ReplayCache;
  nowMs: number;
}

const { label, tag, alg, maxSkewS } = deviceSignatureProfile;
// Library time checks are disabled (huge tolerance): the gateway checks `created` itself against
// its own clock, so it can answer SIGNATURE_EXPIRED rather than a generic failure.
const NO_LIBRARY_TIME_CHECK = 10 ** 12;

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function member(raw: string, what: string): Dictionary {
  try {
    return parseDictionary(raw);
  } catch {
    throw new AtriumError('SIGNATURE_INVALID', `The ${what} header is not a structured dictionary`);
  }
}

function coveredComponents(input: InnerList): string[] {
  return input[0].map(([value, params]) => {
    if (typeof value !== 'string' || params.size > 0) throw new AtriumError('SIGNATURE_INVALID', 'Covered components must be plain names');
    return value;
  });
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && new Set(a).size === a.length && b.every((x) => a.includes(x));
}

/**
 * Verifies the request's `atrium` RFC 9421 signature against the device registry: profile (tag,
 * alg, covered components), time window, device status, the Ed25519 signature itself, and
 * finally that the signature was not seen before. Throws an `AtriumError` with the precise code.
 * The body is not read here: `content-digest` is covered, and the body parser checks it.
 */
export async function verifyDeviceSignature(request: SignedRequest, deps: SignatureVerifierDeps): Promise<AuthenticatedDevice> {
  const inputHeader = header(request.headers, 'signature-input');
  const signatureHeader = header(request.headers, 'signature');
  if (inputHeader === undefined && signatureHeader === undefined) throw new AtriumError('SIGNATURE_MISSING');
  if (inputHeader === undefined || signatureHeader === undefined) throw new AtriumError('SIGNATURE_INVALID', 'Signature and Signature-Input must both be present');
  const input = member(inputHeader, 'Signature-Input').get(label);
  const signature = member(signatureHeader, 'Signature').get(label);
  if (input === undefined && signature === undefined) throw new AtriumError('SIGNATURE_MISSING', `No signature labelled '${label}'`);
  if (input === undefined || !isInnerList(input) || signature === undefined || isInnerList(signature) || !(signature[0] instanceof ArrayBuffer)) {
    throw new AtriumError('SIGNATURE_INVALID', `The '${label}' signature is malformed`);
  }

  const expected = request.hasBody ? deviceSignatureProfile.componentsWithBody : deviceSignatureProfile.componentsWithoutBody;
  if (!sameSet(coveredComponents(input), expected)) {
    throw new AtriumError('SIGNATURE_INVALID', `The signature must cover exactly ${expected.join(' ')}`);
  }
  const params = input[1];
  const keyId = params.get('keyid');
  const created = params.get('created');
  const expires = params.get('expires');
  if (params.get('tag') !== tag || params.get('alg') !== alg || typeof keyId !== 'string' || keyId === '' || typeof created !== 'number' || !Number.isInteger(created)) {
    throw new AtriumError('SIGNATURE_INVALID', `The signature needs tag="${tag}", alg="${alg}", keyid and created`);
  }
  const nowS = deps.nowMs / 1000;
  if (Math.abs(nowS - created) > maxSkewS || (typeof expires === 'number' && nowS > expires)) {
    throw new AtriumError('SIGNATURE_EXPIRED', `created must be within ${maxSkewS} s of the server's clock`);
  }

  const device = await deps.registry.find(keyId);
  if (!device) throw new AtriumError('DEVICE_UNKNOWN');
  if (device.status !== 'active') throw new AtriumError('DEVICE_REVOKED');

  if (!(await signatureVerifies(request, device, inputHeader, signatureHeader))) {
    throw new AtriumError('SIGNATURE_INVALID');
  }
  const signatureValue = Buffer.from(signature[0]).toString('base64');
  if (!deps.replayCache.remember(signatureValue, (created + maxSkewS + 1) * 1000, deps.nowMs)) {
    throw new AtriumError('SIGNATURE_REPLAYED');
  }
  return { deviceId: device.deviceId, kioskId: device.kioskId, mallId: device.mallId };
}

async function signatureVerifies(request: SignedRequest, device: DeviceRecord, inputHeader: string, signatureHeader: string): Promise<boolean> {
  // Only our label is verified: other signatures on the request are neither trusted nor needed.
  const onlyOurs = (raw: string) => serializeDictionary(new Map([[label, parseDictionary(raw).get(label)!]]));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  headers['signature-input'] = onlyOurs(inputHeader);
  headers['signature'] = onlyOurs(signatureHeader);
  try {
    const result = await httpbis.verifyMessage(
      {
        keyLookup: async () => ({ id: device.deviceId, algs: [alg], verify: createVerifier(device.publicKey, alg) }),
        tolerance: NO_LIBRARY_TIME_CHECK,
        requiredParams: ['keyid', 'created', 'alg', 'tag'],
      },
      { method: request.method, url: request.url, headers },
    );
    return result === true;
  } catch {
    // A covered header that is missing, or a malformed input: the signature cannot verify.
    return false;
  }
}
