import { OTA_UPDATE_REPORTS_STAGE, type CloudConfig, type ProjectionName } from '../config/cloudConfig';
import { eventStoreApplier, EVENT_STORE_STAGE } from '../eventStore/eventStoreWriter';
import { kafkaDeadLetterSink } from '../kafka/deadLetter';
import { createEventConsumer, type EventApplier, type EventConsumer } from '../kafka/eventConsumer';
import type { Logger } from '../log/logger';
import type { ServiceMetrics } from '../metrics/serviceMetrics';
import { updateReportApplier } from '../ota/pg/updateReportApplier';
import { mongoProjectionApplier } from '../projections/mongo/mongoProjections';
import { projectionNamed } from '../projections/projectionCatalogue';
import { pgProjectionApplier } from '../projections/postgres/pgProjectionStore';
import type { CloudConnections } from './cloudConnections';

/**
 * The consumer group of a stage: `<prefix>.event-store`, `<prefix>.ota-update-reports`,
 * `<prefix>.projection.<name>`.
 */
export function groupIdOf(config: Pick<CloudConfig, 'groupPrefix'>, stage: string): string {
  if (stage === EVENT_STORE_STAGE || stage === OTA_UPDATE_REPORTS_STAGE) return `${config.groupPrefix}.${stage}`;
  return `${config.groupPrefix}.projection.${stage}`;
}

/** The applier of a stage, on the live store; `log` hears of rollouts the OTA report stage halted. */
export async function applierFor(stage: string, config: CloudConfig, connections: CloudConnections, log?: Logger): Promise<EventApplier> {
  if (stage === EVENT_STORE_STAGE) return eventStoreApplier(await connections.eventStore());
  // The OTA tables live in the `atrium` schema whatever the views' schema: the gateway's feed reads them there.
  if (stage === OTA_UPDATE_REPORTS_STAGE) {
    return updateReportApplier(connections.pg(), { onHalted: (h) => log?.warn({ rolloutId: h.rolloutId, ...h.transition }, `rollout ${h.transition.action}`) });
  }
  const named = projectionNamed(stage as ProjectionName);
  if (!named) throw new Error(`unknown stage "${stage}"`);
  return named.store === 'mongo' ? mongoProjectionApplier(await connections.mongo(), named.projection) : pgProjectionApplier(connections.pg(), config.postgresSchema, named.projection);
}

/** Options for starting consumers (tests shorten the session timeout). */
export interface ConsumerStartOptions {
  stages: readonly string[];
  sessionTimeoutMs?: number;
  /** Decorates each stage's applier (the PII resealing of the writer and the loyalty projection). */
  wrapApplier?: (applier: EventApplier) => EventApplier;
}

/** Creates and starts one consumer group member per stage, sharing one dead-letter producer. */
export async function startConsumers(config: CloudConfig, connections: CloudConnections, log: Logger, metrics: ServiceMetrics, options: ConsumerStartOptions): Promise<{ consumers: EventConsumer[]; stop(): Promise<void> }> {
  const producer = connections.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const deadLetters = kafkaDeadLetterSink(producer, config.topics.processingDeadLetter);
  const consumers: EventConsumer[] = [];
  for (const stage of options.stages) {
    const applier = await applierFor(stage, config, connections, log);
    const consumer = createEventConsumer({
      kafka: connections.kafka,
      groupId: groupIdOf(config, stage),
      topic: config.topics.kioskEvents,
      applier: options.wrapApplier ? options.wrapApplier(applier) : applier,
      deadLetters,
      log,
      metrics,
      retry: config.retry,
      partitionsConsumedConcurrently: stage === EVENT_STORE_STAGE ? config.writer.partitionsConsumedConcurrently : 1,
      ...(options.sessionTimeoutMs ? { sessionTimeoutMs: options.sessionTimeoutMs } : {}),
    });
    await consumer.start();
    consumers.push(consumer);
  }
  return {
    consumers,
    async stop() {
      await Promise.allSettled(consumers.map((c) => c.stop()));
      await producer.disconnect().catch(() => undefined);
    },
  };
}
