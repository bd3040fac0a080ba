import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ensureMavenLibrary, isLibraryCached, type MavenLibrary } from '../artifacts/mavenLibrary';
import { requireJava, requireMaven } from '../prerequisites';
import { assertPortsFree } from '../process/assertPortsFree';
import { spawnDetached } from '../process/spawnDetached';
import { isRecordAlive, type ProcessRecord } from '../process/processRecord';
import type { Report } from '../progress';
import { kafkaBrokerPort, kafkaControllerPort, portEnvName, VERSIONS, type StackConfig } from '../stackConfig';
import { endpointsFor } from '../stackEndpoints';
import { StackError } from '../stackError';
import { waitUntilReady } from '../waitUntilReady';
import { renderKafkaLog4j2, renderServerProperties, type KafkaNodeSettings } from './kafkaProperties';
import { liveRecords, shortError } from './serviceProcesses';
import type { ServiceStatus, StackService } from './stackService';

/** The broker, `kafka-tools` (ProducerPerformance and friends) and the log4j2 binding for Kafka's slf4j 1.x. */
export const KAFKA_LIBRARY: MavenLibrary = {
  id: `kafka-${VERSIONS.kafka}`,
  artifacts: [
    { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: VERSIONS.kafka },
    { groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version: VERSIONS.kafka },
    { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j-impl', version: VERSIONS.log4j },
  ],
};

/** Separate folders per cluster size: a 1-node and a 3-node cluster are formatted differently. */
function kafkaRoot(config: StackConfig): string {
  return join(config.stateDir, `kafka-${config.brokers}b`);
}

function nodeSettings(config: StackConfig, nodeId: number): KafkaNodeSettings {
  const ids = Array.from({ length: config.brokers }, (_, i) => i + 1);
  return {
    nodeId,
    clusterSize: config.brokers,
    host: config.host,
    brokerPort: kafkaBrokerPort(config.ports, nodeId),
    controllerPort: kafkaControllerPort(config.ports, nodeId),
    controllers: ids.map((id) => ({ nodeId: id, port: kafkaControllerPort(config.ports, id) })),
    logDir: join(kafkaRoot(config), `node-${nodeId}`, 'data'),
  };
}

/** One cluster id for all nodes, made once and kept with the data. */
function clusterId(root: string): string {
  const file = join(root, 'cluster.id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  // Kafka's cluster ids are 16 random bytes in URL-safe base64 (what `kafka-storage random-uuid` prints);
  // like Kafka, avoid a leading '-', which command-line parsers take for an option.
  let id = randomBytes(16).toString('base64url');
  while (id.startsWith('-')) id = randomBytes(16).toString('base64url');
  writeFileSync(file, `${id}\n`);
  return id;
}

function javaArgs(config: StackConfig, lib: string, log4j: string, extra: string[]): string[] {
  return [
    '-Xms128m',
    `-Xmx${config.heapMb.kafka}m`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4j}`,
    '-cp',
    `${lib}/*`,
    ...extra,
  ];
}

/** Asks the cluster over the Kafka protocol how many brokers have registered. */
async function describeCluster(brokers: string[]): Promise<{ brokers: number; controller: number | null; clusterId: string }> {
  const kafka = new Kafka({ clientId: 'atrium-stack', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 1_500, retry: { retries: 0 } });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { brokers: cluster.brokers.length, controller: cluster.controller, clusterId: cluster.clusterId };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function format(config: StackConfig, lib: string, log4j: string, node: KafkaNodeSettings, properties: string, id: string): void {
  const args = ['kafka.tools.StorageTool', 'format', `--cluster-id=${id}`, '--config', properties];
  // Only a dynamic (single-node) quorum is bootstrapped with --standalone; a static one has its voters in the file.
  if (node.clusterSize === 1) args.push('--standalone');
  const result = spawnSync('java', javaArgs(config, lib, log4j, args), { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new StackError('START_FAILED', `formatting Kafka node ${node.nodeId} failed:\n${result.stdout}${result.stderr}`);
  }
}

export const kafkaService: StackService = {
  name: 'kafka',
  dependsOn: [],
  stopSignal: 'SIGTERM',
  stopGraceMs: 30_000,

  prerequisites(config: StackConfig): (() => void)[] {
    return isLibraryCached(config.cacheDir, KAFKA_LIBRARY) ? [requireJava] : [requireJava, requireMaven];
  },

  async fetch(config: StackConfig, report: Report): Promise<void> {
    await ensureMavenLibrary(config.cacheDir, KAFKA_LIBRARY, report);
  },

  async start(config: StackConfig, report: Report): Promise<void> {
    requireJava();
    const lib = await ensureMavenLibrary(config.cacheDir, KAFKA_LIBRARY, report);
    const live = liveRecords(config, 'kafka');
    const other = live.find((r) => r.meta.brokers !== config.brokers);
    if (other) {
      throw new StackError(
        'TOPOLOGY_MISMATCH',
        `Kafka of profile ${config.profile} is running with ${other.meta.brokers} broker(s), not ${config.brokers}`,
        `stop it first: npm run stack:down -- --profile ${config.profile} --only kafka`,
      );
    }
    const root = kafkaRoot(config);
    mkdirSync(root, { recursive: true });
    const id = clusterId(root);
    const log4j = join(root, 'log4j2.properties');
    writeFileSync(log4j, renderKafkaLog4j2());

    const records: ProcessRecord[] = [];
    for (let nodeId = 1; nodeId <= config.brokers; nodeId += 1) {
      const name = `kafka-${nodeId}`;
      const running = live.find((r) => r.name === name);
      if (running) {
        report(`${name} already running (pid ${running.pid}), reusing it`);
        records.push(running);
        continue;
      }
      const node = nodeSettings(config, nodeId);
      await assertPortsFree(config.host, [
        { port: node.brokerPort, what: `kafka broker ${nodeId}`, envName: portEnvName(config.profile, 'kafka') },
        { port: node.controllerPort, what: `kafka controller ${nodeId}`, envName: portEnvName(config.profile, 'kafkaController') },
      ]);
      const nodeDir = join(root, `node-${nodeId}`);
      mkdirSync(nodeDir, { recursive: true });
      const properties = join(nodeDir, 'server.properties');
      writeFileSync(properties, renderServerProperties(node));
      if (!existsSync(join(node.logDir, 'meta.properties'))) {
        report(`formatting KRaft storage of node ${nodeId} (first start only)`);
        format(config, lib, log4j, node, properties, id);
      }
      const record = spawnDetached({
        name,
        service: 'kafka',
        version: VERSIONS.kafka,
        command: 'java',
        args: javaArgs(config, lib, log4j, [`-Dkafka.logs.dir=${join(nodeDir, 'logs')}`, 'kafka.Kafka', properties]),
        cwd: nodeDir,
        logFile: join(config.logsDir, `${name}.log`),
        pidsDir: config.pidsDir,
        meta: { brokers: config.brokers, port: node.brokerPort },
      });
      report(`started ${name} (pid ${record.pid}) on ${config.host}:${node.brokerPort}`);
      records.push(record);
    }

    const brokers = endpointsFor(config).kafkaBrokers;
    await waitUntilReady({
      what: `Kafka (${config.brokers} broker${config.brokers > 1 ? 's' : ''})`,
      check: async () => {
        const cluster = await describeCluster(brokers);
        // The cluster id is made per state folder, so this proves we reached our own brokers.
        if (cluster.clusterId !== id) throw new Error(`port answered by another Kafka cluster (${cluster.clusterId})`);
        if (cluster.brokers < config.brokers) throw new Error(`${cluster.brokers} of ${config.brokers} brokers registered`);
        return cluster;
      },
      timeoutMs: config.readyTimeoutMs,
      // The log of the node that died, if one did; else the first node's.
      logFile: () => records.find((r) => !isRecordAlive(r))?.logFile ?? join(config.logsDir, 'kafka-1.log'),
      isAlive: () => records.every(isRecordAlive),
      report,
    });
  },

  async status(config: StackConfig): Promise<ServiceStatus> {
    const live = liveRecords(config, 'kafka');
    const brokers = Number(live[0]?.meta.brokers ?? config.brokers);
    const endpoint = Array.from({ length: brokers }, (_, i) => `${config.host}:${kafkaBrokerPort(config.ports, i + 1)}`).join(',');
    const base = { name: 'kafka' as const, endpoint, pids: live.map((r) => r.pid), version: live[0]?.version };
    try {
      const cluster = await describeCluster(endpoint.split(','));
      return { ...base, up: true, detail: `${cluster.brokers} broker(s), controller ${cluster.controller ?? '?'}` };
    } catch (error) {
      return { ...base, up: false, version: undefined, detail: live.length ? `not answering: ${shortError(error)}` : 'not running' };
    }
  },
};
