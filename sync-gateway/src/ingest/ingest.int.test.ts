import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pg from 'pg';
import { gzipSync } from 'node:zlib';
import {
  deadLetterHeaders,
  deviceSignatureProfile,
  fromKafkaRecord,
  topics,
  validateEvent,
  type AtriumCloudEvent,
} from '@atrium/contracts';
import type { RunningGateway } from '../app/startGateway';
import { endOffsets, ensureTopics, readBetween, registerDevice, stackEndpoints, startTestGateway, uniqueKioskId, type ReadRecord } from '../testing/intHarness';
import { postBatch } from '../testing/signedFetch';
import { newTestDeviceKey } from '../testing/testSigner';
import { exampleEvents } from '../testing/unitServices';

const ADAPTERS = ['kafkajs', 'rdkafka'] as const;

describe.each(ADAPTERS)('ingest through the %s producer', (adapter) => {
  const { brokers, pgUrl } = stackEndpoints();
  let gateway: RunningGateway;
  let pool: pg.Pool;
  let admin: Admin;
  let base: string;

  beforeAll(async () => {
    await ensureTopics(brokers);
    pool = new pg.Pool({ connectionString: pgUrl, max: 2 });
    admin = new Kafka({ clientId: 'gateway-int', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    gateway = await startTestGateway({ producer: adapter, limits: { maxEventsPerBatch: 200, maxBodyBytes: 256 * 1024, maxDecompressedBytes: 1024 * 1024, requestsPerDevicePerMinute: 1_000 } });
    base = gateway.kioskUrl;
    // The producer connects in the background; wait (bounded) until Kafka is ready for it.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if ((await fetch(`${gateway.adminUrl}/readyz`)).status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  afterAll(async () => {
    await gateway?.stop();
    await admin?.disconnect();
    await pool?.end();
  });

  /** Runs `action` and returns every record produced meanwhile to both topics, by key. */
  async function producedDuring(action: () => Promise<void>, keys: string[]): Promise<ReadRecord[]> {
    const before = await Promise.all([endOffsets(admin, topics.kioskEvents), endOffsets(admin, topics.ingestDeadLetter)]);
    await action();
    const after = await Promise.all([endOffsets(admin, topics.kioskEvents), endOffsets(admin, topics.ingestDeadLetter)]);
    const records = [
      ...(await readBetween(brokers, topics.kioskEvents, before[0], after[0])),
      ...(await readBetween(brokers, topics.ingestDeadLetter, before[1], after[1])),
    ];
    return records.filter((r) => r.key !== null && keys.includes(r.key));
  }

  it('given a gzipped batch, then 200 only after Kafka has every event, and a consumer reads back key, headers and payload', async () => {
    const kioskId = uniqueKioskId();
    const key = await registerDevice(pool, kioskId);
    const events = exampleEvents(kioskId, 1, 50);
    let result: Awaited<ReturnType<typeof postBatch>> | undefined;
    const records = await producedDuring(async () => {
      result = await postBatch(base, key, events, { gzip: true });
    }, [kioskId]);
    expect(result?.status).toBe(200);
    expect(result?.body).toMatchObject({ ackedThrough: 50, accepted: 50, rejections: [] });
    expect(Math.abs(Date.parse(result!.body.serverTime) - Date.now())).toBeLessThan(60_000);
    expect(Date.parse(result!.headers.get('date') ?? '')).not.toBeNaN();
    expect(records).toHaveLength(50);
    const partitions = new Set(records.map((r) => r.partition));
    expect(partitions.size).toBe(1);
    const readBack = records
      .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))
      .map((r) => {
        expect(r.key).toBe(kioskId);
        expect(r.headers['ce_specversion']).toBe('1.0');
        expect(r.headers['content-type']).toBe('application/json');
        const decoded = fromKafkaRecord({ key: r.key, value: r.value, headers: r.headers });
        if (!decoded.ok) throw new Error(decoded.message);
        const valid = validateEvent(decoded.event);
        expect(valid.ok).toBe(true);
        return decoded.event;
      });
    expect(readBack).toEqual(events);
  });

  it('given the same batch again (a lost reply), then the same acknowledgement, and the events are produced again', async () => {
    const kioskId = uniqueKioskId();
    const key = await registerDevice(pool, kioskId);
    const events = exampleEvents(kioskId, 1, 10);
    const first = await postBatch(base, key, events);
    let second: Awaited<ReturnType<typeof postBatch>> | undefined;
    const records = await producedDuring(async () => {
      second = await postBatch(base, key, events);
    }, [kioskId]);
    expect(first.status).toBe(200);
    expect(second?.status).toBe(200);
    const { serverTime: _a, ...firstAck } = first.body;
    const { serverTime: _b, ...secondAck } = second!.body;
    expect(secondAck).toEqual(firstAck);
    expect(records.map((r) => r.headers['ce_id'])).toEqual(events.map((e) => e.id));
  });

  it('given an unknown event type and an invalid event, then both are dead-lettered with their reason, acknowledged and listed', async () => {
    const kioskId = uniqueKioskId();
    const key = await registerDevice(pool, kioskId);
    const [valid, unknown, invalid] = exampleEvents(kioskId, 1, 3) as [AtriumCloudEvent, AtriumCloudEvent, AtriumCloudEvent];
    const batch = [valid, { ...unknown, type: 'mall.teleport.used' }, { ...invalid, data: { sessionId: 'x', rating: 'five' } }];
    let result: Awaited<ReturnType<typeof postBatch>> | undefined;
    const records = await producedDuring(async () => {
      result = await postBatch(base, key, batch as AtriumCloudEvent[]);
    }, [kioskId]);
    expect(result?.status).toBe(200);
    expect(result?.body.ackedThrough).toBe(3);
    expect(result?.body.accepted).toBe(1);
    expect(result?.body.rejections.map((r) => [r.sequence, r.code])).toEqual([
      [2, 'EVENT_TYPE_UNKNOWN'],
      [3, 'EVENT_INVALID'],
    ]);
    const events = records.filter((r) => r.topic === topics.kioskEvents);
    const dead = records.filter((r) => r.topic === topics.ingestDeadLetter).sort((a, b) => Number(a.headers['ce_sequence']) - Number(b.headers['ce_sequence']));
    expect(events.map((r) => r.headers['ce_id'])).toEqual([valid.id]);
    expect(dead.map((r) => r.headers[deadLetterHeaders.code])).toEqual(['EVENT_TYPE_UNKNOWN', 'EVENT_INVALID']);
    expect(dead.every((r) => r.headers[deadLetterHeaders.stage] === 'ingest' && (r.headers[deadLetterHeaders.reason] ?? '').length > 0)).toBe(true);
    expect(JSON.parse(dead[0]!.value!)).toEqual(batch[1]);
  });

  it('given each authentication failure, then the right status and code, and nothing produced', async () => {
    const kioskA = uniqueKioskId('gwa');
    const kioskB = uniqueKioskId('gwb');
    const keyA = await registerDevice(pool, kioskA);
    await registerDevice(pool, kioskB);
    const revoked = await registerDevice(pool, uniqueKioskId('gwr'), { status: 'revoked' });
    const results: Array<[number, string | undefined]> = [];
    const records = await producedDuring(async () => {
      const unsigned = await fetch(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents-batch+json' }, body: JSON.stringify(exampleEvents(kioskA, 1, 1)) });
      results.push([unsigned.status, ((await unsigned.json()) as { code: string }).code]);
      const wrongKey = await postBatch(base, keyA, exampleEvents(kioskA, 1, 1), { signWith: newTestDeviceKey('x').privateKey });
      results.push([wrongKey.status, wrongKey.body.code]);
      const revokedResult = await postBatch(base, revoked, exampleEvents(revoked.deviceId, 1, 1));
      results.push([revokedResult.status, revokedResult.body.code]);
      const expired = await postBatch(base, keyA, exampleEvents(kioskA, 1, 1), { created: Math.floor(Date.now() / 1000) - deviceSignatureProfile.maxSkewS - 30 });
      results.push([expired.status, expired.body.code]);
      const asB = await postBatch(base, keyA, exampleEvents(kioskB, 1, 2));
      results.push([asB.status, asB.body.code]);
      const unknownDevice = await postBatch(base, newTestDeviceKey('dev-nobody'), exampleEvents(kioskA, 1, 1));
      results.push([unknownDevice.status, unknownDevice.body.code]);
    }, [kioskA, kioskB]);
    expect(results).toEqual([
      [401, 'SIGNATURE_MISSING'],
      [401, 'SIGNATURE_INVALID'],
      [403, 'DEVICE_REVOKED'],
      [401, 'SIGNATURE_EXPIRED'],
      [403, 'KIOSK_MISMATCH'],
      [401, 'DEVICE_UNKNOWN'],
    ]);
    expect(records).toEqual([]);
  });

  it('given a replayed request, then 401 SIGNATURE_REPLAYED and the events are produced only once', async () => {
    const kioskId = uniqueKioskId();
    const key = await registerDevice(pool, kioskId);
    const { signedUpload } = await import('../testing/unitServices');
    const upload = await signedUpload(key, base, JSON.stringify(exampleEvents(kioskId, 1, 3)));
    const statuses: Array<[number, string | undefined]> = [];
    const records = await producedDuring(async () => {
      for (let i = 0; i < 2; i++) {
        const response = await fetch(upload.url, { method: 'POST', headers: upload.headers, body: new Uint8Array(upload.body) });
        statuses.push([response.status, ((await response.json()) as { code?: string }).code]);
      }
    }, [kioskId]);
    expect(statuses).toEqual([
      [200, undefined],
      [401, 'SIGNATURE_REPLAYED'],
    ]);
    expect(records).toHaveLength(3);
  });

  it('given each limit and malformed input, then its own 4xx code, and nothing produced', async () => {
    const kioskId = uniqueKioskId();
    const key = await registerDevice(pool, kioskId);
    const results: Array<[number, string | undefined]> = [];
    const records = await producedDuring(async () => {
      const tooMany = await postBatch(base, key, exampleEvents(kioskId, 1, 201));
      results.push([tooMany.status, tooMany.body.code]);
      const tooLarge = await postBatch(base, key, exampleEvents(kioskId, 1, 150).map((e) => ({ ...e, data: { ...(e.data as object), query: 'x'.repeat(1_500) } })) as AtriumCloudEvent[]);
      results.push([tooLarge.status, tooLarge.body.code]);
      const bomb = await postBatch(base, key, gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)), { encoding: 'gzip' });
      results.push([bomb.status, bomb.body.code]);
      const malformed = await postBatch(base, key, '[{"specversion": "1.0",');
      results.push([malformed.status, malformed.body.code]);
      const media = await postBatch(base, key, JSON.stringify(exampleEvents(kioskId, 1, 1)), { contentType: 'application/json' });
      results.push([media.status, media.body.code]);
      const gap = await postBatch(base, key, [...exampleEvents(kioskId, 1, 1), ...exampleEvents(kioskId, 3, 1)]);
      results.push([gap.status, gap.body.code]);
    }, [kioskId]);
    expect(results).toEqual([
      [413, 'BATCH_TOO_MANY_EVENTS'],
      [413, 'BODY_TOO_LARGE'],
      [413, 'BODY_DECOMPRESSED_TOO_LARGE'],
      [400, 'BODY_MALFORMED'],
      [415, 'UNSUPPORTED_MEDIA_TYPE'],
      [422, 'SEQUENCE_GAP'],
    ]);
    expect(records).toEqual([]);
  });

  it('given a device revoked while the gateway has it cached, then its next request is refused', async () => {
    const kioskId = uniqueKioskId();
    const key = await registerDevice(pool, kioskId);
    expect((await postBatch(base, key, exampleEvents(kioskId, 1, 1))).status).toBe(200);
    await pool.query(`UPDATE atrium.devices SET status = 'revoked' WHERE device_id = $1`, [key.deviceId]);
    // NOTIFY evicts the cached entry; the wait is bounded by the cache TTL, the fallback.
    const deadline = Date.now() + gateway.services.config.limits.registryCacheMs + 5_000;
    let code: string | undefined;
    let sequence = 2;
    while (Date.now() < deadline) {
      const result = await postBatch(base, key, exampleEvents(kioskId, sequence++, 1));
      code = result.body.code;
      if (code === 'DEVICE_REVOKED') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(code).toBe('DEVICE_REVOKED');
  });

  it('given a rate limit per device, then 429 RATE_LIMITED for that device only', async () => {
    const limited = await startTestGateway({ producer: adapter, limits: { requestsPerDevicePerMinute: 2 } });
    try {
      const kioskId = uniqueKioskId();
      const key = await registerDevice(pool, kioskId);
      const other = await registerDevice(pool, uniqueKioskId());
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await postBatch(limited.kioskUrl, key, '[]')).status);
      const third = await postBatch(limited.kioskUrl, key, '[]');
      expect(statuses).toEqual([200, 200, 429]);
      expect(third.body.code).toBe('RATE_LIMITED');
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await postBatch(limited.kioskUrl, other, '[]')).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('exposes metrics and readiness on the admin listener', async () => {
    expect((await fetch(`${gateway.adminUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${gateway.adminUrl}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    expect(metrics).toContain('atrium_gateway_ingest_events_total{outcome="accepted"}');
    expect(metrics).toContain('atrium_gateway_rejections_total{code="KIOSK_MISMATCH",scope="request"}');
    expect(metrics).toContain('atrium_gateway_produce_seconds_bucket');
    expect(metrics).toContain('atrium_gateway_batch_size_events_bucket');
    const docs = (await (await fetch(`${gateway.adminUrl}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/v1/events', '/v1/content', '/v1/urgent', '/admin/v1/broadcasts']));
  });
});
