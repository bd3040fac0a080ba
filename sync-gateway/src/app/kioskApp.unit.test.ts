import { afterEach, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { CONTENT_FEED_PATH, PROBLEM_CONTENT_TYPE, deviceSignatureProfile, kioskSource, type Problem } from '@atrium/contracts';
import { loadGatewayConfig } from '../config/gatewayConfig';
import { buildKioskApp } from './buildKioskApp';
import type { ContentStore } from '../content/contentStore';
import { batchBody, exampleEvents, signedUpload, unitServices } from '../testing/unitServices';
import { newTestDeviceKey, signTestRequest } from '../testing/testSigner';

const BASE = 'http://gateway.test';
const KIOSK = 'mall-01-k001';
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function given(limits: Partial<ReturnType<typeof loadGatewayConfig>['limits']> = {}, contentStore?: ContentStore) {
  const config = loadGatewayConfig({}, { limits });
  const { services, registry, producer } = unitServices({ config, ...(contentStore ? { contentStore } : {}) });
  const key = newTestDeviceKey('dev-k001');
  registry.add(key, KIOSK);
  app = await buildKioskApp(services);
  return { app, key, registry, producer };
}

async function post(target: FastifyInstance, upload: { headers: Record<string, string>; body: Buffer }) {
  const response = await target.inject({ method: 'POST', url: '/v1/events', headers: { ...upload.headers, host: 'gateway.test' }, payload: upload.body });
  return { status: response.statusCode, contentType: String(response.headers['content-type']), body: response.json() as Problem, headers: response.headers };
}

describe('the kiosk listener refuses bad uploads before anything is produced', () => {
  it('given an unsigned upload, then 401 SIGNATURE_MISSING as problem+json', async () => {
    const { app, producer } = await given();
    const response = await app.inject({ method: 'POST', url: '/v1/events', headers: { host: 'gateway.test', 'content-type': 'application/cloudevents-batch+json' }, payload: '[]' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({ code: 'SIGNATURE_MISSING', status: 401, instance: '/v1/events' });
    expect(producer.attempted).toEqual([]);
  });

  it('given an upload signed with another key, then 401 SIGNATURE_INVALID', async () => {
    const { app, key, producer } = await given();
    const upload = await signedUpload(key, BASE, batchBody(exampleEvents(KIOSK, 1, 2)), { signWith: newTestDeviceKey('x').privateKey });
    expect((await post(app, upload)).body.code).toBe('SIGNATURE_INVALID');
    expect(producer.attempted).toEqual([]);
  });

  it('given a body that differs from its signed content digest, then 401 SIGNATURE_INVALID', async () => {
    const { app, key, producer } = await given();
    const upload = await signedUpload(key, BASE, batchBody(exampleEvents(KIOSK, 1, 2)));
    const result = await post(app, { ...upload, body: Buffer.from(batchBody(exampleEvents(KIOSK, 1, 2))) });
    expect([result.status, result.body.code]).toEqual([401, 'SIGNATURE_INVALID']);
    expect(producer.attempted).toEqual([]);
  });

  it('given a signature created too long ago, then 401 SIGNATURE_EXPIRED', async () => {
    const { app, key } = await given();
    const created = Math.floor(Date.now() / 1000) - deviceSignatureProfile.maxSkewS - 60;
    const result = await post(app, await signedUpload(key, BASE, '[]', { created }));
    expect([result.status, result.body.code]).toEqual([401, 'SIGNATURE_EXPIRED']);
  });

  it('given an unknown device and a revoked one, then DEVICE_UNKNOWN and DEVICE_REVOKED', async () => {
    const { app, registry } = await given();
    const stranger = newTestDeviceKey('dev-unknown');
    expect((await post(app, await signedUpload(stranger, BASE, '[]'))).body.code).toBe('DEVICE_UNKNOWN');
    const revoked = newTestDeviceKey('dev-revoked');
    registry.add(revoked, 'mall-01-k002', 'revoked');
    const result = await post(app, await signedUpload(revoked, BASE, '[]'));
    expect([result.status, result.body.code]).toEqual([403, 'DEVICE_REVOKED']);
  });

  it('given the same signed request twice, then the second is 401 SIGNATURE_REPLAYED', async () => {
    const { app, key } = await given();
    const upload = await signedUpload(key, BASE, batchBody(exampleEvents(KIOSK, 1, 1).map((e) => ({ ...e, kioskid: 'other-kiosk' }))));
    expect((await post(app, upload)).body.code).toBe('KIOSK_MISMATCH');
    expect((await post(app, upload)).body.code).toBe('SIGNATURE_REPLAYED');
  });

  it('given kiosk A posting an event as kiosk B, then 403 KIOSK_MISMATCH and nothing produced', async () => {
    const { app, key, producer } = await given();
    const events = [...exampleEvents(KIOSK, 1, 2), ...exampleEvents('mall-01-k002', 3, 1)];
    const result = await post(app, await signedUpload(key, BASE, batchBody(events)));
    expect([result.status, result.body.code]).toEqual([403, 'KIOSK_MISMATCH']);
    const spoofedSource = exampleEvents(KIOSK, 1, 1).map((e) => ({ ...e, source: kioskSource('mall-01-k002') }));
    expect((await post(app, await signedUpload(key, BASE, batchBody(spoofedSource)))).body.code).toBe('KIOSK_MISMATCH');
    expect(producer.attempted).toEqual([]);
  });

  it('given malformed JSON or a non-array body, then 400 BODY_MALFORMED', async () => {
    const { app, key } = await given();
    for (const body of ['[{"specversion":', '{"not":"a batch"}']) {
      const result = await post(app, await signedUpload(key, BASE, body));
      expect([result.status, result.body.code]).toEqual([400, 'BODY_MALFORMED']);
    }
  });

  it('given corrupt gzip, then 400 BODY_MALFORMED', async () => {
    const { app, key } = await given();
    const result = await post(app, await signedUpload(key, BASE, Buffer.from('not gzip at all'), { encoding: 'gzip' }));
    expect([result.status, result.body.code]).toEqual([400, 'BODY_MALFORMED']);
  });

  it('given a gzip bomb, then 413 BODY_DECOMPRESSED_TOO_LARGE without inflating it all', async () => {
    const { app, key, producer } = await given({ maxDecompressedBytes: 1_048_576 });
    const bomb = gzipSync(Buffer.alloc(200 * 1_048_576, 0x20));
    expect(bomb.length).toBeLessThan(1_048_576);
    const result = await post(app, await signedUpload(key, BASE, bomb, { encoding: 'gzip' }));
    expect([result.status, result.body.code]).toEqual([413, 'BODY_DECOMPRESSED_TOO_LARGE']);
    expect(producer.attempted).toEqual([]);
  });

  it('given a body larger than allowed as sent, then 413 BODY_TOO_LARGE', async () => {
    const { app, key } = await given({ maxBodyBytes: 2_048 });
    const result = await post(app, await signedUpload(key, BASE, batchBody(exampleEvents(KIOSK, 1, 30))));
    expect([result.status, result.body.code]).toEqual([413, 'BODY_TOO_LARGE']);
  });

  it('given more events than a batch may hold, then 413 BATCH_TOO_MANY_EVENTS', async () => {
    const { app, key } = await given({ maxEventsPerBatch: 5 });
    const result = await post(app, await signedUpload(key, BASE, batchBody(exampleEvents(KIOSK, 1, 6))));
    expect([result.status, result.body.code]).toEqual([413, 'BATCH_TOO_MANY_EVENTS']);
  });

  it('given another media type or encoding, then 415 UNSUPPORTED_MEDIA_TYPE or UNSUPPORTED_ENCODING', async () => {
    const { app, key } = await given();
    const json = await post(app, await signedUpload(key, BASE, '[]', { contentType: 'application/json' }));
    expect([json.status, json.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const brotli = await post(app, await signedUpload(key, BASE, '[]', { encoding: 'br' }));
    expect([brotli.status, brotli.body.code]).toEqual([415, 'UNSUPPORTED_ENCODING']);
  });

  it('given sequences with a gap, then 422 SEQUENCE_GAP and nothing produced', async () => {
    const { app, key, producer } = await given();
    const events = [...exampleEvents(KIOSK, 1, 2), ...exampleEvents(KIOSK, 4, 1)];
    const result = await post(app, await signedUpload(key, BASE, batchBody(events)));
    expect([result.status, result.body.code]).toEqual([422, 'SEQUENCE_GAP']);
    expect(producer.attempted).toEqual([]);
  });

  it('given more requests than the per-device rate, then 429 RATE_LIMITED with Retry-After', async () => {
    const { app, key } = await given({ requestsPerDevicePerMinute: 2 });
    const codes: number[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 3; i++) {
      last = await post(app, await signedUpload(key, BASE, '[]'));
      codes.push(last.status);
    }
    expect(codes).toEqual([200, 200, 429]);
    expect(last?.body.code).toBe('RATE_LIMITED');
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('given an empty batch, then 200 with nothing acknowledged and the server time', async () => {
    const { app, key } = await given();
    const response = await app.inject({ method: 'POST', url: '/v1/events', headers: { ...(await signedUpload(key, BASE, '[]')).headers, host: 'gateway.test' }, payload: '[]' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ackedThrough: 0, accepted: 0, rejections: [] });
    expect(Math.abs(Date.parse(response.json<{ serverTime: string }>().serverTime) - Date.now())).toBeLessThan(60_000);
  });

  it('given Kafka cannot acknowledge, then 503 BACKEND_UNAVAILABLE with Retry-After, never 2xx', async () => {
    const { app, key, producer } = await given();
    const result = await post(app, await signedUpload(key, BASE, batchBody(exampleEvents(KIOSK, 1, 3))));
    expect([result.status, result.body.code]).toEqual([503, 'BACKEND_UNAVAILABLE']);
    expect(result.headers['retry-after']).toBe('5');
    expect(producer.attempted).toHaveLength(1);
  });
});

describe('the content feed and errors', () => {
  async function signedGet(key: ReturnType<typeof newTestDeviceKey>, path: string) {
    const headers = await signTestRequest(key, { method: 'GET', url: `${BASE}${path}` });
    return { ...headers, host: 'gateway.test' };
  }

  it('given a cursor the gateway never issued, then 400 CURSOR_INVALID', async () => {
    const { app, key } = await given();
    const path = `${CONTENT_FEED_PATH}?cursor=bm90LWEtY3Vyc29y`;
    const response = await app.inject({ method: 'GET', url: path, headers: await signedGet(key, path) });
    expect([response.statusCode, response.json<Problem>().code]).toEqual([400, 'CURSOR_INVALID']);
  });

  it('given a page size above the maximum, then 400 VALIDATION_FAILED', async () => {
    const { app, key } = await given();
    const path = `${CONTENT_FEED_PATH}?limit=100000`;
    const response = await app.inject({ method: 'GET', url: path, headers: await signedGet(key, path) });
    expect([response.statusCode, response.json<Problem>().code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('given a backend failure, then 500 INTERNAL without its details', async () => {
    const { app, key } = await given({}, { changesAfter: async () => Promise.reject(new Error('password=secret')) });
    const response = await app.inject({ method: 'GET', url: CONTENT_FEED_PATH, headers: await signedGet(key, CONTENT_FEED_PATH) });
    expect(response.statusCode).toBe(500);
    expect(response.json<Problem>().code).toBe('INTERNAL');
    expect(response.body).not.toContain('secret');
  });

  it('given an unknown path, then 404 NOT_FOUND as problem+json', async () => {
    const { app } = await given();
    const response = await app.inject({ method: 'GET', url: '/nowhere' });
    expect([response.statusCode, response.json<Problem>().code]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('an upload with an empty body', () => {
  it('given a signed request whose body is empty, then 400 BODY_MALFORMED, not a crash', async () => {
    const { app, key } = await given();
    const upload = await signedUpload(key, BASE, Buffer.alloc(0));
    const response = await app.inject({ method: 'POST', url: '/v1/events', headers: { ...upload.headers, host: 'gateway.test' }, payload: upload.body });
    expect([response.statusCode, response.json<Problem>().code]).toEqual([400, 'BODY_MALFORMED']);
  });
});
