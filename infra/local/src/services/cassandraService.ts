import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'cassandra-driver';
import { ensureMavenLibrary, findJar, isLibraryCached, libraryDir, type MavenLibrary } from '../artifacts/mavenLibrary';
import { requireJava, requireMaven } from '../prerequisites';
import { isRecordAlive } from '../process/processRecord';
import { assertPortsFree } from '../process/assertPortsFree';
import { spawnDetached } from '../process/spawnDetached';
import type { Report } from '../progress';
import { portEnvName, VERSIONS, type StackConfig } from '../stackConfig';
import { waitUntilReady } from '../waitUntilReady';
import { CASSANDRA_JAVA17_MODULE_FLAGS, cassandraJvmArgs, renderCassandraLogback, renderCassandraYaml } from './cassandraConfig';
import { liveRecords, shortError } from './serviceProcesses';
import type { ServiceStatus, StackService } from './stackService';

export const CASSANDRA_LIBRARY: MavenLibrary = {
  id: `cassandra-${VERSIONS.cassandra}`,
  artifacts: [{ groupId: 'org.apache.cassandra', artifactId: 'cassandra-all', version: VERSIONS.cassandra }],
};

/** Asks the node its release version over CQL, the way any client would. */
export async function cassandraReleaseVersion(config: StackConfig): Promise<string> {
  const client = new Client({
    contactPoints: [`${config.host}:${config.ports.cassandraCql}`],
    localDataCenter: config.cassandra.dataCenter,
    socketOptions: { connectTimeout: 2_000, readTimeout: 5_000 },
  });
  try {
    const result = await client.execute('SELECT release_version FROM system.local');
    return String(result.first()?.get('release_version') ?? 'unknown');
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

/** Runs `nodetool <args>` from the same jars against the node's loopback JMX port. */
export function runNodetool(config: StackConfig, args: string[]): { status: number; output: string } {
  const lib = libraryDir(config.cacheDir, CASSANDRA_LIBRARY);
  const result = spawnSync(
    'java',
    ['-Xmx128m', ...CASSANDRA_JAVA17_MODULE_FLAGS, '-cp', `${lib}/*`, `-Dlogback.configurationFile=${join(config.stateDir, 'cassandra', 'conf', 'logback-tools.xml')}`, 'org.apache.cassandra.tools.NodeTool', '-h', config.host, '-p', String(config.ports.cassandraJmx), ...args],
    { encoding: 'utf8' },
  );
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

export const cassandraService: StackService = {
  name: 'cassandra',
  dependsOn: [],
  // Cassandra drains on SIGTERM via its shutdown hook.
  stopSignal: 'SIGTERM',
  stopGraceMs: 30_000,

  prerequisites(config: StackConfig): (() => void)[] {
    return isLibraryCached(config.cacheDir, CASSANDRA_LIBRARY) ? [requireJava] : [requireJava, requireMaven];
  },

  async fetch(config: StackConfig, report: Report): Promise<void> {
    await ensureMavenLibrary(config.cacheDir, CASSANDRA_LIBRARY, report);
  },

  async start(config: StackConfig, report: Report): Promise<void> {
    requireJava();
    const lib = await ensureMavenLibrary(config.cacheDir, CASSANDRA_LIBRARY, report);
    const root = join(config.stateDir, 'cassandra');
    const dirs = {
      conf: join(root, 'conf'),
      data: join(root, 'data'),
      commitlog: join(root, 'commitlog'),
      savedCaches: join(root, 'saved_caches'),
      hints: join(root, 'hints'),
      cdcRaw: join(root, 'cdc_raw'),
    };
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    const yamlPath = join(dirs.conf, 'cassandra.yaml');
    const logbackPath = join(dirs.conf, 'logback.xml');
    writeFileSync(
      yamlPath,
      renderCassandraYaml({
        clusterName: config.cassandra.clusterName,
        host: config.host,
        cqlPort: config.ports.cassandraCql,
        storagePort: config.ports.cassandraStorage,
        dataDir: dirs.data,
        commitlogDir: dirs.commitlog,
        savedCachesDir: dirs.savedCaches,
        hintsDir: dirs.hints,
        cdcRawDir: dirs.cdcRaw,
      }),
    );
    writeFileSync(logbackPath, renderCassandraLogback());
    // nodetool logs to stderr only at WARN, so its output stays readable.
    writeFileSync(join(dirs.conf, 'logback-tools.xml'), renderCassandraLogback().replace('level="INFO"', 'level="WARN"'));

    let record = liveRecords(config, 'cassandra')[0];
    if (record) {
      report(`already running (pid ${record.pid}), reusing it`);
    } else {
      await assertPortsFree(config.host, [
        { port: config.ports.cassandraCql, what: 'cassandra CQL', envName: portEnvName(config.profile, 'cassandraCql') },
        { port: config.ports.cassandraStorage, what: 'cassandra storage', envName: portEnvName(config.profile, 'cassandraStorage') },
        { port: config.ports.cassandraJmx, what: 'cassandra JMX', envName: portEnvName(config.profile, 'cassandraJmx') },
      ]);
      const logFile = join(config.logsDir, 'cassandra.log');
      record = spawnDetached({
        name: 'cassandra',
        service: 'cassandra',
        version: VERSIONS.cassandra,
        command: 'java',
        args: cassandraJvmArgs({
          heapMb: config.heapMb.cassandra,
          yamlPath,
          logbackPath,
          logDir: config.logsDir,
          storageDir: root,
          jmxPort: config.ports.cassandraJmx,
          libDir: lib,
          jammJar: findJar(lib, 'jamm-'),
        }),
        cwd: root,
        logFile,
        pidsDir: config.pidsDir,
        meta: { port: config.ports.cassandraCql },
      });
      report(`started (pid ${record.pid}) on ${config.host}:${config.ports.cassandraCql}`);
    }
    const started = record;
    await waitUntilReady({
      what: 'Cassandra',
      check: () => cassandraReleaseVersion(config),
      timeoutMs: config.readyTimeoutMs,
      logFile: started.logFile,
      isAlive: () => isRecordAlive(started),
      report,
    });
  },

  async status(config: StackConfig): Promise<ServiceStatus> {
    const live = liveRecords(config, 'cassandra');
    const base = { name: 'cassandra' as const, endpoint: `${config.host}:${config.ports.cassandraCql}`, pids: live.map((r) => r.pid) };
    try {
      const version = await cassandraReleaseVersion(config);
      return { ...base, up: true, version, detail: `data centre ${config.cassandra.dataCenter}, JMX ${config.host}:${config.ports.cassandraJmx}` };
    } catch (error) {
      return { ...base, up: false, version: undefined, detail: live.length ? `not answering: ${shortError(error)}` : 'not running' };
    }
  },
};
