// Helpers of the int tier: a real gateway in-process against the real test stack.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type pg from 'pg';
import { pino } from 'pino';
import { topics } from '@atrium/contracts';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import { resolveStackConfig, type StackConfig } from '../../../infra/local/src/stackConfig';
import { stackUp } from '../../../infra/local/src/stack/stackUp';
import { stackDown } from '../../../infra/local/src/stack/stackDown';
import { loadGatewayConfig, type GatewayConfig } from '../config/gatewayConfig';
import { startGateway, type RunningGateway } from '../app/startGateway';
import { newTestDeviceKey, type TestDeviceKey } from './testSigner';

/** The shared test stack's Kafka brokers and PostgreSQL URL. */
export function stackEndpoints(): { brokers: string[]; pgUrl: string } {
  const endpoints = testEndpoints();
  return { brokers: endpoints.kafkaBrokers, pgUrl: endpoints.postgresUrl };
}

/** Creates `names` if they are missing (3 partitions each), retrying while a fresh broker settles. */
export async function ensureTopics(brokers: string[], names: readonly string[] = [topics.kioskEvents, topics.ingestDeadLetter]): Promise<void> {
  const admin = new Kafka({ clientId: 'atrium-gateway-test', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = names.filter((t) => !existing.has(t));
        if (missing.length > 0) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })), waitForLeaders: true });
        await admin.fetchTopicMetadata({ topics: [...names] });
        return;
      } catch (err) {
        if (attempt >= 10) throw err;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Registers (or re-registers) a device for `kioskId` in `atrium.devices`. */
export async function registerDevice(pool: pg.Pool, kioskId: string, options: { deviceId?: string; mallId?: string; status?: 'active' | 'revoked' } = {}): Promise<TestDeviceKey> {
  const key = newTestDeviceKey(options.deviceId ?? `dev-${kioskId}`);
  await pool.query(
    `INSERT INTO atrium.devices (device_id, kiosk_id, mall_id, public_key_ed25519, status) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (device_id) DO UPDATE SET kiosk_id = EXCLUDED.kiosk_id, mall_id = EXCLUDED.mall_id, public_key_ed25519 = EXCLUDED.public_key_ed25519, status = EXCLUDED.status`,
    [key.deviceId, kioskId, options.mallId ?? 'mall-01', key.publicKeyRaw, options.status ?? 'active'],
  );
  return key;
}

/** A kiosk id no other test uses. */
export function uniqueKioskId(prefix = 'gw'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Starts a gateway on free ports against the given (or the shared) stack. */
export async function startTestGateway(
  overrides: Partial<Omit<GatewayConfig, 'limits'>> & { limits?: Partial<GatewayConfig['limits']> } = {},
  options: Parameters<typeof startGateway>[2] = {},
): Promise<RunningGateway> {
  const { brokers, pgUrl } = stackEndpoints();
  const config = loadGatewayConfig({}, { kioskPort: 0, adminPort: 0, kafkaBrokers: brokers, pgUrl, logLevel: 'error', ...overrides });
  return startGateway(config, pino({ level: config.logLevel }), options);
}

/** A record as read back from Kafka, bytes turned into strings. */
export interface ReadRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** End offsets of every partition of `topic` (where the next record will go). */
export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}

/**
 * Reads every record of `topic` between two offset snapshots (from inclusive, to exclusive),
 * so "nothing was produced" is an exact statement, not a wait.
 */
export async function readBetween(brokers: string[], topic: string, from: Map<number, bigint>, to: Map<number, bigint>): Promise<ReadRecord[]> {
  const wanted = [...to.entries()].filter(([partition, end]) => end > (from.get(partition) ?? 0n));
  if (wanted.length === 0) return [];
  const kafka = new Kafka({ clientId: 'atrium-gateway-test-reader', brokers, logLevel: logLevel.NOTHING });
  const groupId = `gateway-test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  // The fresh group starts where the snapshot `from` was taken: committed before it joins, since
  // seeking after run() races the group's own start (and a restarting consumer).
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({ groupId, topic, partitions: wanted.map(([partition]) => ({ partition, offset: String(from.get(partition) ?? 0n) })) });
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const records: ReadRecord[] = [];
  const remaining = new Set(wanted.map(([p]) => p));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read of ${topic} did not reach the end offsets`)), 60_000);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const offset = BigInt(message.offset);
            const end = to.get(partition) ?? 0n;
            if (offset >= (from.get(partition) ?? 0n) && offset < end) {
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = Array.isArray(v) ? String(v[0]) : String(v);
              records.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers });
            }
            if (offset + 1n >= end && remaining.delete(partition) && remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A private single Kafka broker (own free ports and state folder) that a test may stop and
 * start; other runs on the machine (even of this same test) never share it.
 */
export class PrivateKafka {
  readonly config: StackConfig;
  private constructor(config: StackConfig) {
    this.config = config;
  }
  static async create(): Promise<PrivateKafka> {
    const [port, controllerPort] = [await freePort(), await freePort()];
    const env = { ...process.env, ATRIUM_STATE_DIR: mkdtempSync(join(tmpdir(), 'atrium-gw-kafka-')), ATRIUM_TEST_KAFKA_PORT: String(port), ATRIUM_TEST_KAFKA_CONTROLLER_PORT: String(controllerPort) };
    return new PrivateKafka(resolveStackConfig({ profile: 'test', brokers: 1, only: ['kafka'] }, env, findRepoPaths()));
  }
  get brokers(): string[] {
    return [`127.0.0.1:${this.config.ports.kafka}`];
  }
  async start(): Promise<void> {
    await stackUp(this.config, () => undefined);
  }
  async stop(): Promise<void> {
    await stackDown(this.config, {}, () => undefined);
  }
}
