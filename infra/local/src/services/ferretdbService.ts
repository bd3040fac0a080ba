import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { ensureFerretdb, isFerretdbBuilt } from '../artifacts/ferretdbBinary';
import { requireGo } from '../prerequisites';
import { isRecordAlive } from '../process/processRecord';
import { assertPortsFree } from '../process/assertPortsFree';
import { spawnDetached } from '../process/spawnDetached';
import type { Report } from '../progress';
import { portEnvName, SERVICE_DEPENDENCIES, VERSIONS, type StackConfig } from '../stackConfig';
import { endpointsFor } from '../stackEndpoints';
import { waitUntilReady } from '../waitUntilReady';
import { liveRecords, shortError } from './serviceProcesses';
import type { ServiceStatus, StackService } from './stackService';

/** Pings FerretDB with the official MongoDB driver and returns the FerretDB version it reports. */
async function ferretdbVersion(config: StackConfig): Promise<string> {
  const client = new MongoClient(endpointsFor(config).mongoUrl, { serverSelectionTimeoutMS: 2_000, connectTimeoutMS: 2_000, directConnection: true });
  try {
    await client.connect();
    const admin = client.db('admin');
    await admin.command({ ping: 1 });
    const info = await admin.command({ buildInfo: 1 });
    return String(info.ferretdbVersion ?? info.version ?? 'unknown');
  } finally {
    await client.close().catch(() => undefined);
  }
}

export const ferretdbService: StackService = {
  name: 'ferretdb',
  dependsOn: SERVICE_DEPENDENCIES.ferretdb,
  stopSignal: 'SIGTERM',
  stopGraceMs: 10_000,

  prerequisites(config: StackConfig): (() => void)[] {
    return isFerretdbBuilt(config.cacheDir, VERSIONS.ferretdb) ? [] : [requireGo];
  },

  async fetch(config: StackConfig, report: Report): Promise<void> {
    await ensureFerretdb(config.cacheDir, VERSIONS.ferretdb, report);
  },

  async start(config: StackConfig, report: Report): Promise<void> {
    const binary = await ensureFerretdb(config.cacheDir, VERSIONS.ferretdb, report);
    const stateDir = join(config.stateDir, 'ferretdb');
    mkdirSync(stateDir, { recursive: true });
    let record = liveRecords(config, 'ferretdb')[0];
    if (record) {
      report(`already running (pid ${record.pid}), reusing it`);
    } else {
      await assertPortsFree(config.host, [{ port: config.ports.ferretdb, what: 'ferretdb', envName: portEnvName(config.profile, 'ferretdb') }]);
      const { user, password, ferretdbDatabase } = config.postgres;
      record = spawnDetached({
        name: 'ferretdb',
        service: 'ferretdb',
        version: VERSIONS.ferretdb,
        command: binary,
        args: [
          '--handler=postgresql',
          `--postgresql-url=postgres://${user}:${password}@${config.host}:${config.ports.postgres}/${ferretdbDatabase}`,
          `--listen-addr=${config.host}:${config.ports.ferretdb}`,
          `--state-dir=${stateDir}`,
          // No outside address may be contacted from these machines, and no second port is needed.
          '--telemetry=disable',
          '--debug-addr=-',
        ],
        cwd: stateDir,
        env: { ...process.env, DO_NOT_TRACK: '1' },
        logFile: join(config.logsDir, 'ferretdb.log'),
        pidsDir: config.pidsDir,
        meta: { port: config.ports.ferretdb },
      });
      report(`started (pid ${record.pid}) on ${config.host}:${config.ports.ferretdb}`);
    }
    const started = record;
    await waitUntilReady({
      what: 'FerretDB',
      check: () => ferretdbVersion(config),
      timeoutMs: config.readyTimeoutMs,
      logFile: started.logFile,
      isAlive: () => isRecordAlive(started),
      report,
    });
  },

  async status(config: StackConfig): Promise<ServiceStatus> {
    const live = liveRecords(config, 'ferretdb');
    const base = { name: 'ferretdb' as const, endpoint: `${config.host}:${config.ports.ferretdb}`, pids: live.map((r) => r.pid) };
    try {
      const version = await ferretdbVersion(config);
      return { ...base, up: true, version, detail: `PostgreSQL backend, database ${config.postgres.ferretdbDatabase}` };
    } catch (error) {
      return { ...base, up: false, version: undefined, detail: live.length ? `not answering: ${shortError(error)}` : 'not running' };
    }
  },
};
