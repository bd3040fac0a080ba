// Entry point of the cloud services: the event-store writer, the projections, the OTA report
// stage and rollout scheduler, and the ops/audit HTTP API in one process.
// `tsx cloud-services/src/main.ts --help`.
import { parseArgs } from 'node:util';
import { ALL_PROJECTION_STAGES, ConfigError, configEnvNames, loadCloudConfig, type ProjectionStageName } from './config/cloudConfig';
import { runGapAudit } from './audit/gapAuditService';
import { EVENT_STORE_STAGE } from './eventStore/eventStoreWriter';
import { buildOpsApp } from './http/opsApp';
import { createLogger } from './log/logger';
import { createServiceMetrics } from './metrics/serviceMetrics';
import { readFleetStatus } from './projections/mongo/viewReaders';
import { cloudConnections } from './runtime/cloudConnections';
import { startConsumers } from './runtime/cloudConsumers';
import { loadPiiConfig, piiEnvNames } from './pii/piiConfig';
import { PII_RESEALING_STAGES, piiServices } from './pii/piiServices';
import { GATEWAY_ADMIN_URL_ENV, gatewayAdminUrlFrom, opsRoutes } from './ops/opsRoutes';
import { otaServiceFor, OTA_OPS_PREFIX } from './ota/otaRuntime';
import { startRolloutScheduler } from './ota/rolloutScheduler';

const HELP = `atrium cloud services: event-store writer, projections, OTA rollouts, ops/audit API

Usage: tsx cloud-services/src/main.ts [options]

Options:
  --no-writer              do not run the event-store writer
  --projections <a,b,...>  stages to run beside the writer ("none" for none; default all:
                           ${ALL_PROJECTION_STAGES.join(', ')});
                           ota-update-reports applies kiosk.update.* reports to rollouts and halts
                           those whose failures cross their threshold
  --no-ota-scheduler       do not run the rollout scheduler here (it advances, completes or pauses active
                           rollouts every ATRIUM_OTA_SCHEDULER_INTERVAL_MS; several processes may run it)
  --no-http                do not serve the ops API
  --session-timeout-ms <ms> Kafka consumer session timeout (default 30000; how soon a dead member's
                           partitions move to another)
  --no-pii-resealing       run the writer and the loyalty projection without the PII keys: the
                           kiosk's sealed boxes are stored as they are and erasure is unavailable
  --help                   show this help

Routes: GET /healthz /readyz /metrics /audit/kiosks /audit/kiosks/{kioskId} /fleet/status /openapi.json
        GET /fleet/summary /fleet/kiosks/{kioskId} /kiosks/{kioskId}/events
        PUT|GET|DELETE /content/{stores|categories|offers|map-nodes|map-edges|hours|kiosk-configs}/{id}
        POST /broadcasts/emergencies /broadcasts/sync-now, DELETE /broadcasts/emergencies/{id}
          (when ${GATEWAY_ADMIN_URL_ENV} names the sync gateway's admin listener)
        DELETE /members/{memberRef}/pii (when the PII keys are configured)
        ${OTA_OPS_PREFIX}: POST /releases, PUT /releases/{releaseId}/artefact, GET /releases /releases/{releaseId},
          POST /rollouts, GET /rollouts /rollouts/{rolloutId},
          POST /rollouts/{rolloutId}/{pause|resume|cancel|rollback},
          PUT|GET /malls/{mallId}/maintenance-window
          (artefacts are stored under ATRIUM_OTA_ARTEFACT_DIR, default .state/ota-artefacts: the folder the
          sync gateway's update feed serves, ATRIUM_GATEWAY_OTA_ARTEFACT_DIR)
Environment: ${[...configEnvNames, ...piiEnvNames, GATEWAY_ADMIN_URL_ENV].join(', ')}
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'no-writer': { type: 'boolean' },
      projections: { type: 'string' },
      'no-ota-scheduler': { type: 'boolean' },
      'no-http': { type: 'boolean' },
      'no-pii-resealing': { type: 'boolean' },
      'session-timeout-ms': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const sessionTimeoutMs = values['session-timeout-ms'] === undefined ? undefined : Number(values['session-timeout-ms']);
  if (sessionTimeoutMs !== undefined && !(Number.isInteger(sessionTimeoutMs) && sessionTimeoutMs >= 6_000 && sessionTimeoutMs <= 300_000)) throw new ConfigError('--session-timeout-ms must be 6000..300000');
  const overrides = values.projections === undefined ? {} : { projections: (values.projections === 'none' ? [] : values.projections.split(',')) as ProjectionStageName[] };
  const config = loadCloudConfig(process.env, overrides);
  const piiConfig = loadPiiConfig(process.env);
  const gatewayAdminUrl = gatewayAdminUrlFrom(process.env);
  const log = createLogger('atrium-cloud-services', config.logLevel);
  const metrics = createServiceMetrics(true);
  const connections = cloudConnections(config, log);
  const stages = [...(values['no-writer'] || !config.writer.enabled ? [] : [EVENT_STORE_STAGE]), ...config.projections];
  if (!piiConfig && !values['no-pii-resealing'] && stages.some((s) => PII_RESEALING_STAGES.has(s))) {
    throw new ConfigError(`the writer and the loyalty projection need the PII keys (${piiEnvNames.slice(0, 3).join(', ')}), or --no-pii-resealing`);
  }
  const pii = piiConfig ? piiServices(config, piiConfig, connections.pg()) : undefined;
  const ota = otaServiceFor(config, connections);
  const running = await startConsumers(config, connections, log, metrics, { stages, ...(sessionTimeoutMs ? { sessionTimeoutMs } : {}), ...(pii ? { wrapApplier: pii.wrapApplier } : {}) });
  const app = await buildOpsApp({
    log,
    metrics,
    audit: async (kioskIds) => runGapAudit(await connections.eventStore(), kioskIds ? { kioskIds } : {}),
    fleetStatus: async (now) => readFleetStatus(await connections.mongo(), now, config.offlineAfterS * 1_000),
    consumers: () => running.consumers.map((c) => c.status()),
    routes: opsRoutes(config, connections, { ota, ...(pii ? { pii } : {}), ...(gatewayAdminUrl ? { gatewayAdminUrl } : {}) }),
  });
  const scheduler = config.ota.scheduler && !values['no-ota-scheduler'] ? startRolloutScheduler(ota, { intervalMs: config.ota.schedulerIntervalMs, log }) : null;
  if (!values['no-http']) await app.listen({ host: config.httpHost, port: config.httpPort });
  log.info({ stages, rolloutScheduler: scheduler !== null }, 'cloud services started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.close().catch(() => undefined);
    await scheduler?.stop();
    await running.stop();
    await connections.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
