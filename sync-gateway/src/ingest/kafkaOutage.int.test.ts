import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { topics } from '@atrium/contracts';
import { ensureTopics, PrivateKafka, readBetween, registerDevice, stackEndpoints, startTestGateway, uniqueKioskId } from '../testing/intHarness';
import { postBatch, type UploadResult } from '../testing/signedFetch';
import { exampleEvents } from '../testing/unitServices';

// A broker of its own (own ports and state folder): stopping it never touches the shared stack.
let kafka: PrivateKafka;
let pool: pg.Pool;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: stackEndpoints().pgUrl, max: 2 });
  kafka = await PrivateKafka.create();
  await kafka.start();
  await ensureTopics(kafka.brokers);
});

afterAll(async () => {
  await kafka?.stop();
  await pool?.end();
});

async function untilReady(adminUrl: string, want: number, boundMs: number): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (Date.now() < deadline && (await fetch(`${adminUrl}/readyz`)).status !== want) await new Promise((r) => setTimeout(r, 250));
}

describe.each(['kafkajs', 'rdkafka'] as const)('Kafka going away under the %s producer', (adapter) => {
  it('given Kafka stops mid-run, then 503 with Retry-After and no 2xx for anything unacknowledged; when it is back, ingest resumes', async () => {
    const gateway = await startTestGateway({ producer: adapter, kafkaBrokers: kafka.brokers, limits: { produceTimeoutMs: 2_000, retryAfterS: 1 } });
    try {
      const kioskId = uniqueKioskId('gwout');
      const key = await registerDevice(pool, kioskId);
      const acked = new Set<number>();
      const note = (result: UploadResult) => {
        if (result.status === 200) for (let s = 1; s <= result.body.ackedThrough; s++) acked.add(s);
      };
      await untilReady(gateway.adminUrl, 200, 60_000);

      const before = await postBatch(gateway.kioskUrl, key, exampleEvents(kioskId, 1, 10));
      note(before);
      expect(before.status).toBe(200);

      await kafka.stop();
      const during: Array<[number, string | undefined, string | null]> = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const result = await postBatch(gateway.kioskUrl, key, exampleEvents(kioskId, 11, 10));
        note(result);
        during.push([result.status, result.body.code, result.headers.get('retry-after')]);
      }
      expect(during).toEqual(Array.from({ length: 3 }, () => [503, 'BACKEND_UNAVAILABLE', '1']));
      expect((await fetch(`${gateway.adminUrl}/readyz`)).status).toBe(503);

      await kafka.start();
      // The kiosk keeps retrying the same events, as its outbox would, until they are acknowledged.
      const deadline = Date.now() + 120_000;
      let resumed: UploadResult | undefined;
      while (Date.now() < deadline) {
        resumed = await postBatch(gateway.kioskUrl, key, exampleEvents(kioskId, 11, 10));
        note(resumed);
        if (resumed.status === 200) break;
        expect(resumed.status).toBe(503);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(resumed?.status).toBe(200);
      const after = await postBatch(gateway.kioskUrl, key, exampleEvents(kioskId, 21, 10));
      note(after);
      expect(after.body.ackedThrough).toBe(30);

      // Every acknowledged sequence is in Kafka (duplicates of retried ones are allowed).
      const { Kafka, logLevel } = await import('kafkajs');
      const admin = new Kafka({ clientId: 'gw-outage', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      const end = new Map((await admin.fetchTopicOffsets(topics.kioskEvents)).map((o) => [o.partition, BigInt(o.high)]));
      await admin.disconnect();
      const records = await readBetween(kafka.brokers, topics.kioskEvents, new Map(), end);
      const inKafka = new Set(records.filter((r) => r.key === kioskId).map((r) => Number(r.headers['ce_sequence'])));
      expect([...acked].filter((s) => !inKafka.has(s))).toEqual([]);
      expect(acked.size).toBe(30);
    } finally {
      await gateway.stop();
    }
  });
});
