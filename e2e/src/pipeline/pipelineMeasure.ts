// Measurements the pipeline benchmarks share: kiosk backlogs, row visibility in Cassandra, and a
// bare Kafka produce + consume baseline on the same broker.
import { randomBytes } from 'node:crypto';
import type cassandra from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { makeEvent, newEventId, toKafkaRecord } from '@atrium/contracts';
import type { SimulatedKioskIdentity } from './provisionDevice';
import { ShopperMix } from './shopperMix';
import { openSimulatedEdge } from './simulatedKiosk';

/** Records `count` events into a kiosk's outbox without uploading (a backlog after an outage). */
export function recordBacklog(identity: SimulatedKioskIdentity, count: number, perTransaction = 500): { lastSequence: number; ms: number } {
  const edge = openSimulatedEdge({ identity, gatewayUrl: 'http://127.0.0.1:9', ratePerS: 1, maxEvents: 0, maxDurationMs: 0, drainTimeoutMs: 0, seed: 1 });
  const started = Date.now();
  try {
    const mix = new ShopperMix(count, { sessionId: newEventId, claimId: newEventId, emailHash: () => randomBytes(32).toString('hex') });
    for (let done = 0; done < count; ) {
      const n = Math.min(perTransaction, count - done);
      edge.store.transaction(() => {
        for (let i = 0; i < n; i += 1) edge.outbox.appendInTransaction(mix.next(edge.clock.nowMs()));
      });
      done += n;
    }
    return { lastSequence: edge.outbox.watermarks().lastSequence, ms: Date.now() - started };
  } finally {
    edge.close();
  }
}

/**
 * Watches `events_by_kiosk` for kiosks' new rows and notes when each sequence became visible
 * (poll time; the poll interval bounds the error). Bounded by `stop()`.
 */
export class VisibilityPoller {
  readonly visibleAt = new Map<string, Map<number, number>>();
  private readonly highest = new Map<string, number>();
  private running = true;
  private loop: Promise<void>;

  constructor(
    private readonly client: cassandra.Client,
    kioskIds: readonly string[],
    private readonly intervalMs = 20,
  ) {
    for (const k of kioskIds) {
      this.visibleAt.set(k, new Map());
      this.highest.set(k, 0);
    }
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      await Promise.all(
        [...this.highest].map(async ([kioskId, above]) => {
          const result = await this.client.execute('SELECT sequence FROM events_by_kiosk WHERE kiosk_id = ? AND bucket = ? AND sequence > ?', [kioskId, Math.floor((above + 1) / 100_000), above], { prepare: true, fetchSize: 5_000 });
          const now = Date.now();
          const seen = this.visibleAt.get(kioskId)!;
          let top = above;
          for (const row of result.rows) {
            const seq = Number(row['sequence']);
            if (!seen.has(seq)) seen.set(seq, now);
          }
          while (seen.has(top + 1)) top += 1;
          this.highest.set(kioskId, top);
        }),
      ).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, this.intervalMs - (Date.now() - started))));
    }
  }

  /** Highest contiguous visible sequence of a kiosk. */
  visibleThrough(kioskId: string): number {
    return this.highest.get(kioskId) ?? 0;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** p-quantile of sorted numbers (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function benchRecord(kioskId: string, sequence: number): { key: string; value: string; headers: Record<string, string> } {
  const event = makeEvent({ type: 'mall.store.viewed', data: { sessionId: newEventId(), storeId: `store-${sequence % 40}` } }, { id: newEventId(), kioskId, sequence, time: new Date().toISOString() });
  const record = toKafkaRecord(event);
  return { key: record.key, value: record.value, headers: record.headers as Record<string, string> };
}

async function withTopic<T>(brokers: string[], fn: (kafka: Kafka, topic: string) => Promise<T>): Promise<T> {
  const kafka = new Kafka({ clientId: 'atrium-bench-bare', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench.bare.${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
  try {
    return await fn(kafka, topic);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * Bare Kafka on the same broker: an idempotent acks=all producer sending `count` event-sized
 * records in batches of `batch`, and a consumer reading them back; events/s from the first send
 * to the last record consumed. Bounded by `timeoutMs`.
 */
export async function bareKafkaThroughput(brokers: string[], count: number, batch = 500, timeoutMs = 240_000): Promise<{ eventsPerS: number; seconds: number }> {
  return withTopic(brokers, async (kafka, topic) => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: `${topic}.reader` });
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    let consumed = 0;
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    await consumer.run({
      eachBatch: async ({ batch: b }) => {
        consumed += b.messages.length;
        if (consumed >= count) resolveDone();
      },
    });
    const started = Date.now();
    for (let sent = 0; sent < count && Date.now() - started < timeoutMs; sent += batch) {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: Math.min(batch, count - sent) }, (_, i) => benchRecord(`bench-k${(sent + i) % 10}`, sent + i + 1)) });
    }
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    const seconds = (Date.now() - started) / 1000;
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
    return { eventsPerS: Math.round(consumed / seconds), seconds };
  });
}

/**
 * Bare Kafka latency at a steady rate: an acks=all producer sending what is due every 5 ms (as a
 * producer's linger would batch it) at `ratePerS` for `durationMs`; latency from before the send
 * to the consumer seeing the record.
 */
export async function bareKafkaLatency(brokers: string[], ratePerS: number, durationMs: number): Promise<{ p50: number; p99: number; max: number; count: number; achievedPerS: number }> {
  return withTopic(brokers, async (kafka, topic) => {
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: `${topic}.reader`, maxWaitTimeInMs: 20 });
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        const at = sentAt.get(message.key?.toString() ?? '');
        if (at !== undefined) latencies.push(Date.now() - at);
      },
    });
    const started = Date.now();
    let n = 0;
    const inFlight: Promise<unknown>[] = [];
    while (Date.now() - started < durationMs) {
      const due = Math.floor(((Date.now() - started) / 1000) * ratePerS);
      const messages = [];
      while (n < due) {
        n += 1;
        const key = `${n}`;
        sentAt.set(key, Date.now());
        messages.push({ ...benchRecord('bench-latency', n), key });
      }
      if (messages.length > 0) inFlight.push(producer.send({ topic, acks: -1, messages }));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.allSettled(inFlight);
    const deadline = Date.now() + 30_000;
    while (latencies.length < n && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
    const sorted = [...latencies].sort((a, b) => a - b);
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? NaN, count: sorted.length, achievedPerS: Math.round(n / (durationMs / 1000)) };
  });
}
