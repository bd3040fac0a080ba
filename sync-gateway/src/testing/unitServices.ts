import { gzipSync } from 'node:zlib';
import {
  BATCH_CONTENT_TYPE,
  UPLOAD_PATH,
  encodeBatch,
  exampleData,
  makeEvent,
  newEventId,
  type AtriumCloudEvent,
  type CatalogueEvent,
} from '@atrium/contracts';
import type { GatewayServices } from '../app/gatewayServices';
import { loadGatewayConfig, type GatewayConfig } from '../config/gatewayConfig';
import { ReplayCache } from '../auth/replayCache';
import type { ContentStore } from '../content/contentStore';
import { AckGate } from '../ingest/ackGate';
import type { EventProducer, ProducerRecord } from '../kafka/eventProducer';
import { GatewayMetrics } from '../plugins/gatewayMetrics';
import type { UrgentBroadcast } from '../urgent/urgentHub';
import { UrgentHub } from '../urgent/urgentHub';
import { MemoryDeviceRegistry } from './memoryDeviceRegistry';
import { signTestRequest, type TestDeviceKey } from './testSigner';

/**
 * A producer for the unit tier, where no Kafka runs: it only records what it was asked to send,
 * so a test can assert that a refused request produced nothing. Acknowledgements are never
 * faked: a unit test that reaches `send` fails with 503, as with Kafka away.
 */
export class RefusingProducer implements EventProducer {
  readonly adapter = 'kafkajs' as const;
  readonly attempted: ProducerRecord[][] = [];
  async connect(): Promise<void> {}
  async send(records: readonly ProducerRecord[]): Promise<void> {
    this.attempted.push([...records]);
    throw new Error('no Kafka in the unit tier');
  }
  async ping(): Promise<void> {
    throw new Error('no Kafka in the unit tier');
  }
  async disconnect(): Promise<void> {}
}

/** Services for `app.inject` tests: memory registry, no Kafka, an empty content store. */
export function unitServices(overrides: { config?: GatewayConfig; contentStore?: ContentStore } = {}) {
  const config = overrides.config ?? loadGatewayConfig({});
  const registry = new MemoryDeviceRegistry();
  const producer = new RefusingProducer();
  const urgentHub = new UrgentHub();
  const published: UrgentBroadcast[] = [];
  const services: GatewayServices = {
    config,
    registry,
    replayCache: new ReplayCache(config.limits.replayCacheEntries),
    ackGate: new AckGate(producer, config.limits),
    contentStore: overrides.contentStore ?? { changesAfter: async () => ({ changes: [], hasMore: false }) },
    urgentHub,
    urgentBus: {
      publish: async (broadcast) => {
        published.push(broadcast);
        urgentHub.deliver(broadcast);
      },
      activeEmergencies: async () => [],
    },
    metrics: new GatewayMetrics(),
    readiness: { kafka: () => producer.ping(), postgres: async () => undefined },
    clock: Date.now,
  };
  return { services, registry, producer, published };
}

/** `count` valid events of `kioskId` from sequence `from`, each a catalogue example. */
export function exampleEvents(kioskId: string, from: number, count: number, type: CatalogueEvent['type'] = 'mall.directory.searched'): AtriumCloudEvent[] {
  return Array.from({ length: count }, (_, i) =>
    makeEvent({ type, data: exampleData[type] } as CatalogueEvent, { id: newEventId(), kioskId, sequence: from + i, time: new Date().toISOString() }),
  );
}

/** A signed upload ready for `app.inject` or fetch: URL, headers and body bytes. */
export async function signedUpload(
  key: TestDeviceKey,
  baseUrl: string,
  body: string | Buffer,
  options: { gzip?: boolean; contentType?: string; encoding?: string; created?: number; signWith?: TestDeviceKey['privateKey'] } = {},
): Promise<{ url: string; headers: Record<string, string>; body: Buffer }> {
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  const bytes = options.gzip ? gzipSync(raw) : raw;
  const url = `${baseUrl}${UPLOAD_PATH}`;
  const headers: Record<string, string> = { 'content-type': options.contentType ?? BATCH_CONTENT_TYPE };
  const encoding = options.encoding ?? (options.gzip ? 'gzip' : undefined);
  if (encoding) headers['content-encoding'] = encoding;
  const signed = await signTestRequest(key, {
    method: 'POST',
    url,
    headers,
    body: bytes,
    ...(options.created !== undefined ? { created: options.created } : {}),
    ...(options.signWith ? { signWith: options.signWith } : {}),
  });
  return { url, headers: signed, body: bytes };
}

/** Encodes events as a batch body. */
export function batchBody(events: readonly unknown[]): string {
  return encodeBatch(events as AtriumCloudEvent[]);
}
