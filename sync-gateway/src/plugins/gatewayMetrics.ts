import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, in their own registry (one per process, or per test app). */
export class GatewayMetrics {
  readonly registry = new Registry();
  /** Events acknowledged by Kafka, by outcome (accepted to the events topic, or dead-lettered). */
  readonly ingestEvents = new Counter({ name: 'atrium_gateway_ingest_events_total', help: 'Events acknowledged by Kafka', labelNames: ['outcome'] as const, registers: [this.registry] });
  /** Events per upload. */
  readonly batchSize = new Histogram({ name: 'atrium_gateway_batch_size_events', help: 'Events per upload', buckets: [0, 1, 5, 10, 25, 50, 100, 200, 500, 1000], registers: [this.registry] });
  /** Time from handing records to the producer until Kafka acknowledged them all. */
  readonly produceSeconds = new Histogram({
    name: 'atrium_gateway_produce_seconds',
    help: 'Kafka acknowledgement latency of one upload',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Refusals by error code: whole requests (`scope=request`) and single dead-lettered events (`scope=event`). */
  readonly rejections = new Counter({ name: 'atrium_gateway_rejections_total', help: 'Refused requests and events by code', labelNames: ['code', 'scope'] as const, registers: [this.registry] });
  /** Kiosks connected to the urgent channel on this instance. */
  readonly urgentMessages = new Counter({ name: 'atrium_gateway_urgent_messages_total', help: 'Urgent messages written to kiosk streams', registers: [this.registry] });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
