import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics of the cloud services, on one registry served at /metrics. */
export interface ServiceMetrics {
  registry: Registry;
  /** Events per consumer stage and outcome (applied, skipped, dead_lettered). */
  events: Counter<'stage' | 'outcome'>;
  /** 1 while a consumer stage waits for a database to come back. */
  paused: Gauge<'stage'>;
  /** Retries after transient failures. */
  retries: Counter<'stage'>;
}

/** Creates the metrics on a fresh registry (so tests can make several). */
export function createServiceMetrics(withDefaults = false): ServiceMetrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    events: new Counter({ name: 'atrium_consumer_events_total', help: 'Events handled per stage and outcome', labelNames: ['stage', 'outcome'], registers: [registry] }),
    paused: new Gauge({ name: 'atrium_consumer_paused', help: '1 while the stage waits for a database', labelNames: ['stage'], registers: [registry] }),
    retries: new Counter({ name: 'atrium_consumer_retries_total', help: 'Retries after transient failures', labelNames: ['stage'], registers: [registry] }),
  };
}
