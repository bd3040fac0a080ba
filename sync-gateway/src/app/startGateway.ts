import pg from 'pg';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../config/gatewayConfig';
import { PgDeviceRegistry } from '../auth/pgDeviceRegistry';
import { ReplayCache } from '../auth/replayCache';
import { PgContentStore } from '../content/contentStore';
import { AckGate } from '../ingest/ackGate';
import { createEventProducer } from '../kafka/createEventProducer';
import type { EventProducer } from '../kafka/eventProducer';
import { openApiDocument } from '../openapi/openApiDocument';
import { PgListener } from '../pg/pgListener';
import { GatewayMetrics } from '../plugins/gatewayMetrics';
import { PgUrgentBus } from '../urgent/urgentBus';
import { UrgentHub } from '../urgent/urgentHub';
import { localArtefactReader } from '../updateFeed/artefactReader';
import { pgUpdateFeedSource } from '../updateFeed/pgUpdateFeedSource';
import { buildAdminApp } from './buildAdminApp';
import { buildKioskApp } from './buildKioskApp';
import type { GatewayServices } from './gatewayServices';

/** A running gateway: both listeners, their addresses, and the one way to stop it. */
export interface RunningGateway {
  kiosk: FastifyInstance;
  admin: FastifyInstance;
  kioskUrl: string;
  adminUrl: string;
  services: GatewayServices;
  producer: EventProducer;
  /** Graceful shutdown: refuse new batches, finish in-flight ones, close the producer, then PostgreSQL. */
  stop(): Promise<void>;
}

/** Keeps connecting the producer in the background: the gateway serves (503s) while Kafka is away. */
function connectInBackground(producer: EventProducer, log: FastifyBaseLogger, isStopped: () => boolean): void {
  let attempt = 0;
  const tryConnect = () => {
    if (isStopped()) return;
    producer.connect().then(
      () => log.info({ adapter: producer.adapter }, 'Kafka producer connected'),
      (err: unknown) => {
        attempt += 1;
        log.warn({ err, attempt }, 'Kafka producer could not connect; retrying');
        setTimeout(tryConnect, Math.min(5_000, 250 * 2 ** Math.min(attempt, 5))).unref();
      },
    );
  };
  tryConnect();
}

/** Wires the real adapters (PostgreSQL, Kafka) into both listeners and starts them. */
export async function startGateway(
  config: GatewayConfig,
  logger: FastifyBaseLogger,
  options: { defaultMetrics?: boolean; /** Test seam: decorate the real producer (e.g. hold sends back). */ wrapProducer?: (producer: EventProducer) => EventProducer } = {},
): Promise<RunningGateway> {
  const pool = new pg.Pool({ connectionString: config.pgUrl, max: 10, connectionTimeoutMillis: 5_000 });
  pool.on('error', (err) => logger.warn({ err }, 'idle PostgreSQL client failed'));
  const listener = new PgListener(config.pgUrl, logger);
  const metrics = new GatewayMetrics({ defaultMetrics: options.defaultMetrics ?? false });
  const urgentHub = new UrgentHub();
  const real = await createEventProducer(config.producer, config.kafkaBrokers, logger);
  const producer = options.wrapProducer ? options.wrapProducer(real) : real;
  const services: GatewayServices = {
    config,
    registry: new PgDeviceRegistry(pool, listener, config.limits.registryCacheMs),
    replayCache: new ReplayCache(config.limits.replayCacheEntries),
    ackGate: new AckGate(producer, config.limits),
    contentStore: new PgContentStore(pool),
    urgentHub,
    urgentBus: new PgUrgentBus(pool, listener, urgentHub, logger),
    metrics,
    readiness: {
      kafka: () => producer.ping(2_000),
      postgres: async () => {
        await pool.query('SELECT 1');
      },
    },
    updateFeed: { source: pgUpdateFeedSource(pool), artefacts: localArtefactReader(config.otaArtefactDir) },
    clock: Date.now,
  };
  let stopped = false;
  await listener.start();
  connectInBackground(producer, logger, () => stopped);

  const kiosk = await buildKioskApp(services, logger);
  let document: Record<string, unknown> | undefined;
  const admin: FastifyInstance = await buildAdminApp(services, () => (document ??= openApiDocument(kiosk, admin)), logger);
  const kioskUrl = await kiosk.listen({ host: config.kioskHost, port: config.kioskPort });
  const adminUrl = await admin.listen({ host: config.adminHost, port: config.adminPort });

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const grace = config.limits.shutdownGraceMs;
    // New batches get 503 SHUTTING_DOWN; the ones already handed to Kafka finish first.
    const draining = services.ackGate.drain(grace);
    await kiosk.close();
    await draining;
    await producer.disconnect(grace).catch((err: unknown) => logger.warn({ err }, 'producer did not close cleanly'));
    await admin.close();
    await listener.close();
    await pool.end();
  };
  return { kiosk, admin, kioskUrl, adminUrl, services, producer, stop };
}
