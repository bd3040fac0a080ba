import { describe, expect, it } from 'vitest';
import { deviceSignatureProfile, type ErrorCode } from '@atrium/contracts';
import { ReplayCache } from './replayCache';
import { verifyDeviceSignature, type SignedRequest } from './verifyDeviceSignature';
import { contentDigestHeader, contentDigestMatches } from './contentDigest';
import { MemoryDeviceRegistry } from '../testing/memoryDeviceRegistry';
import { newTestDeviceKey, signTestRequest } from '../testing/testSigner';

const URL = 'http://10.99.0.1:8443/v1/events';
const body = Buffer.from('[]');

async function given(options: { created?: number; status?: 'active' | 'revoked'; register?: boolean; wrongKey?: boolean } = {}) {
  const key = newTestDeviceKey('dev-1');
  const registry = new MemoryDeviceRegistry();
  if (options.register !== false) registry.add(key, 'mall-01-k001', options.status ?? 'active');
  const headers = await signTestRequest(key, {
    method: 'POST',
    url: URL,
    headers: { 'content-type': 'application/cloudevents-batch+json' },
    body,
    ...(options.created !== undefined ? { created: options.created } : {}),
    ...(options.wrongKey ? { signWith: newTestDeviceKey('other').privateKey } : {}),
  });
  const request: SignedRequest = { method: 'POST', url: URL, headers, hasBody: true };
  return { request, registry, replayCache: new ReplayCache(100) };
}

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    return (err as { code: ErrorCode }).code;
  }
}

const now = () => Date.now();

describe('verifying a device signature', () => {
  it('given a request signed by an active device, when verified, then it names the device and its kiosk', async () => {
    const { request, registry, replayCache } = await given();
    const device = await verifyDeviceSignature(request, { registry, replayCache, nowMs: now() });
    expect(device).toEqual({ deviceId: 'dev-1', kioskId: 'mall-01-k001', mallId: 'mall-01' });
  });

  it('given the same signature twice, when verified, then the second is a replay', async () => {
    const { request, registry, replayCache } = await given();
    expect(await codeOf(verifyDeviceSignature(request, { registry, replayCache, nowMs: now() }))).toBe('ok');
    expect(await codeOf(verifyDeviceSignature(request, { registry, replayCache, nowMs: now() }))).toBe('SIGNATURE_REPLAYED');
  });

  it('given no signature headers, then SIGNATURE_MISSING', async () => {
    const { registry, replayCache } = await given();
    const request: SignedRequest = { method: 'POST', url: URL, headers: { 'content-type': 'x' }, hasBody: true };
    expect(await codeOf(verifyDeviceSignature(request, { registry, replayCache, nowMs: now() }))).toBe('SIGNATURE_MISSING');
  });

  it('given a signature made by another key, then SIGNATURE_INVALID', async () => {
    const { request, registry, replayCache } = await given({ wrongKey: true });
    expect(await codeOf(verifyDeviceSignature(request, { registry, replayCache, nowMs: now() }))).toBe('SIGNATURE_INVALID');
  });

  it('given a tampered covered header, then SIGNATURE_INVALID', async () => {
    const { request, registry, replayCache } = await given();
    request.headers['content-digest'] = contentDigestHeader(Buffer.from('[1]'));
    expect(await codeOf(verifyDeviceSignature(request, { registry, replayCache, nowMs: now() }))).toBe('SIGNATURE_INVALID');
  });

  it('given another target URI, then SIGNATURE_INVALID', async () => {
    const { request, registry, replayCache } = await given();
    expect(await codeOf(verifyDeviceSignature({ ...request, url: 'http://10.99.0.1:8443/v1/other' }, { registry, replayCache, nowMs: now() }))).toBe('SIGNATURE_INVALID');
  });

  it('given created beyond the allowed skew either way, then SIGNATURE_EXPIRED', async () => {
    const skew = deviceSignatureProfile.maxSkewS;
    const nowS = Math.floor(Date.now() / 1000);
    for (const created of [nowS - skew - 5, nowS + skew + 5]) {
      const { request, registry, replayCache } = await given({ created });
      expect(await codeOf(verifyDeviceSignature(request, { registry, replayCache, nowMs: nowS * 1000 }))).toBe('SIGNATURE_EXPIRED');
    }
  });

  it('given an unregistered key id, then DEVICE_UNKNOWN', async () => {
    const { request, registry, replayCache } = await given({ register: false });
    expect(await codeOf(verifyDeviceSignature(request, { registry, replayCache, nowMs: now() }))).toBe('DEVICE_UNKNOWN');
  });

  it('given a revoked device, then DEVICE_REVOKED', async () => {
    const { request, registry, replayCache } = await given({ status: 'revoked' });
    expect(await codeOf(verifyDeviceSignature(request, { registry, replayCache, nowMs: now() }))).toBe('DEVICE_REVOKED');
  });

  it('given a GET signed with the body profile, then the covered components do not match', async () => {
    const { request, registry, replayCache } = await given();
    expect(await codeOf(verifyDeviceSignature({ ...request, hasBody: false }, { registry, replayCache, nowMs: now() }))).toBe('SIGNATURE_INVALID');
  });
});

describe('content digests', () => {
  it('match the bytes as sent and nothing else', () => {
    const header = contentDigestHeader(body);
    expect(contentDigestMatches(header, body)).toBe(true);
    expect(contentDigestMatches(header, Buffer.from('[ ]'))).toBe(false);
    expect(contentDigestMatches(undefined, body)).toBe(false);
    expect(contentDigestMatches('md5=:AAAA:', body)).toBe(false);
    expect(contentDigestMatches('not a dictionary ;;', body)).toBe(false);
  });
});

describe('the replay cache', () => {
  it('forgets signatures once they expire and stays within its size', () => {
    const cache = new ReplayCache(2);
    expect(cache.remember('a', 1_000, 0)).toBe(true);
    expect(cache.remember('a', 1_000, 500)).toBe(false);
    expect(cache.remember('a', 3_000, 1_500)).toBe(true);
    cache.remember('b', 3_000, 1_500);
    cache.remember('c', 3_000, 1_500);
    expect(cache.size).toBe(2);
  });
});
