import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import type { StackEndpoints } from '../../../infra/local/src/stackEndpoints';
import { answers200, ChildService, freePort } from './childService';
import { createIsolatedStores, type IsolatedStores } from './isolatedStores';
import { openAuditClients, type AuditClients, type AuditKiosk } from './pipelineAudit';
import { deprovisionDevices, provisionDevice, type SimulatedKioskIdentity } from './provisionDevice';
import { ensureManifest, manifestKiosks } from './simulationManifest';

/** Options of a pipeline rig. */
export interface PipelineRigOptions {
  name: string;
  endpoints: StackEndpoints;
  /** Extra env of the gateway (limits). */
  gatewayEnv?: Record<string, string>;
  /** Extra env of the cloud services. */
  cloudEnv?: Record<string, string>;
  /** Run the event-store writer and the projections as two processes (as separate deployments would). */
  splitCloud?: boolean;
}

/**
 * The whole cloud side of the pipeline for one test: the real gateway and the real cloud services
 * (event-store writer and every projection), each a child process that the test may SIGKILL and
 * start again, on isolated stores; plus a run folder for simulated kiosks and the audit clients.
 */
export interface PipelineRig {
  name: string;
  workDir: string;
  runDir: string;
  mallId: string;
  stores: IsolatedStores;
  gateway: ChildService;
  /** The cloud services (all stages, or the event-store writer alone with `splitCloud`). */
  cloud: ChildService;
  /** The projections' own process with `splitCloud`. */
  projections: ChildService | null;
  gatewayUrl: string;
  gatewayAdminUrl: string;
  /** The cloud services' readiness: 200 only while no consumer is paused on a failing store. */
  cloudReadyUrl: string;
  /** PostgreSQL of the device registry. */
  pool: pg.Pool;
  audit: AuditClients;
  /** Provisions kiosks `first..first+count-1` of the rig's mall (key file, registry row, manifest). */
  provision(first: number, count: number): Promise<SimulatedKioskIdentity[]>;
  /** Every provisioned kiosk, for the audit. */
  kiosks(): AuditKiosk[];
  stop(): Promise<void>;
}

const SIMULATION_GATEWAY_LIMITS = {
  // Simulated kiosks upload far more often than real ones (one batch per event at high rates).
  ATRIUM_GATEWAY_REQUESTS_PER_DEVICE_PER_MINUTE: '1000000',
  ATRIUM_GATEWAY_RETRY_AFTER_S: '1',
  ATRIUM_GATEWAY_PRODUCE_TIMEOUT_MS: '5000',
  ATRIUM_GATEWAY_SHUTDOWN_GRACE_MS: '2000',
};

/**
 * The simulated kiosks seal loyalty PII to no real cloud key (the catalogue's example box), so
 * the cloud services run without PII re-sealing where they offer that switch (newer versions
 * refuse to start without the PII keys otherwise).
 */
export function cloudServiceArgs(): string[] {
  const main = readFileSync(join(findRepoPaths().root, 'cloud-services', 'src', 'main.ts'), 'utf8');
  return main.includes("'no-pii-resealing'") ? ['--no-pii-resealing'] : [];
}

/** Starts isolated stores, the gateway and the cloud services for one test. */
export async function startPipelineRig(options: PipelineRigOptions): Promise<PipelineRig> {
  const workDir = mkdtempSync(join(tmpdir(), `atrium-pipe-${options.name}-`));
  const stores = await createIsolatedStores(options.endpoints, options.name);
  const mallId = `pipe-${stores.suffix.replace(/_/g, '-')}`;
  const runDir = join(workDir, 'kiosks');
  const [kioskPort, adminPort, cloudPort] = [await freePort(), await freePort(), await freePort()];
  const gatewayAdminUrl = `http://127.0.0.1:${adminPort}`;
  const gateway = new ChildService({
    name: 'sync-gateway',
    script: 'sync-gateway/src/main.ts',
    logFile: join(workDir, 'logs', 'gateway.log'),
    env: {
      ATRIUM_GATEWAY_KIOSK_PORT: String(kioskPort),
      ATRIUM_GATEWAY_ADMIN_PORT: String(adminPort),
      ATRIUM_KAFKA_BROKERS: options.endpoints.kafkaBrokers.join(','),
      ATRIUM_PG_URL: options.endpoints.postgresUrl,
      ATRIUM_GATEWAY_LOG_LEVEL: process.env.ATRIUM_E2E_SERVICE_LOG_LEVEL ?? 'warn',
      ...SIMULATION_GATEWAY_LIMITS,
      ...options.gatewayEnv,
    },
    ready: () => answers200(`${gatewayAdminUrl}/readyz`),
    supervise: true,
  });
  const cloud = new ChildService({
    name: 'cloud-services',
    script: 'cloud-services/src/main.ts',
    args: cloudServiceArgs(),
    logFile: join(workDir, 'logs', 'cloud-services.log'),
    env: { ...stores.cloudEnv, ATRIUM_CLOUD_PORT: String(cloudPort), ATRIUM_CLOUD_LOG_LEVEL: 'warn', ...options.cloudEnv },
    ready: () => answers200(`http://127.0.0.1:${cloudPort}/readyz`),
    readyTimeoutMs: 180_000,
    // Production runs it under a supervisor; a crash here must not be mistaken for lost events.
    supervise: true,
  });
  const projectionsPort = options.splitCloud ? await freePort() : 0;
  const projections = options.splitCloud
    ? new ChildService({
        name: 'cloud-projections',
        script: 'cloud-services/src/main.ts',
        args: [...cloudServiceArgs(), '--no-writer'],
        logFile: join(workDir, 'logs', 'cloud-projections.log'),
        env: { ...stores.cloudEnv, ATRIUM_CLOUD_PORT: String(projectionsPort), ATRIUM_CLOUD_LOG_LEVEL: 'warn', ...options.cloudEnv },
        ready: () => answers200(`http://127.0.0.1:${projectionsPort}/readyz`),
        readyTimeoutMs: 180_000,
        supervise: true,
      })
    : null;
  if (projections) cloud.spec.args = [...(cloud.spec.args ?? []), '--projections', 'none'];
  const started = await Promise.allSettled([gateway.start(), cloud.start(), projections?.start()]);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // The caller never gets a rig to stop: whatever did start must not outlive the test run.
    await Promise.allSettled([gateway.stop(), cloud.stop(), projections?.stop()]);
    await stores.cleanup();
    throw failed.reason;
  }
  const pool = new pg.Pool({ connectionString: options.endpoints.postgresUrl, max: 2 });
  pool.on('error', () => undefined);
  const audit = await openAuditClients(stores.targets);
  const provisioned: SimulatedKioskIdentity[] = [];
  return {
    name: options.name,
    workDir,
    runDir,
    mallId,
    stores,
    gateway,
    cloud,
    projections,
    gatewayUrl: `http://127.0.0.1:${kioskPort}`,
    gatewayAdminUrl,
    cloudReadyUrl: `http://127.0.0.1:${cloudPort}/readyz`,
    pool,
    audit,
    async provision(first, count) {
      const manifest = ensureManifest(runDir, mallId, first, count);
      const identities = manifestKiosks(manifest, first, count);
      for (const identity of identities) {
        await provisionDevice(pool, identity);
        if (!provisioned.some((p) => p.kioskId === identity.kioskId)) provisioned.push(identity);
      }
      return identities;
    },
    kiosks() {
      return provisioned.map((k) => ({ kioskId: k.kioskId, dataDir: k.dataDir }));
    },
    async stop() {
      await Promise.allSettled([gateway.stop(), cloud.stop(), projections?.stop()]);
      await audit.close();
      await deprovisionDevices(pool, provisioned.map((p) => p.deviceId)).catch(() => undefined);
      await pool.end().catch(() => undefined);
      await stores.cleanup();
    },
  };
}
