import { join, resolve } from 'node:path';
import { StackError } from './stackError';
import { parseCassandraReplication, type CassandraReplication } from './migrations/cassandraReplication';

export const PROFILES = ['dev', 'test'] as const;
/** dev for people, test for test runs: separate ports and state so the two never collide. */
export type Profile = (typeof PROFILES)[number];

/** In start order: FerretDB stores its data in PostgreSQL. */
export const SERVICE_NAMES = ['postgres', 'ferretdb', 'kafka', 'cassandra'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Services that must answer before another starts; `--only ferretdb` brings PostgreSQL along. */
export const SERVICE_DEPENDENCIES: Record<ServiceName, readonly ServiceName[]> = {
  postgres: [],
  ferretdb: ['postgres'],
  kafka: [],
  cassandra: [],
};

/** The given services plus everything that depends on them: stopping PostgreSQL stops FerretDB too. */
export function withDependants(only: readonly ServiceName[]): ServiceName[] {
  const wanted = new Set<ServiceName>(only);
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of SERVICE_NAMES) {
      if (!wanted.has(name) && SERVICE_DEPENDENCIES[name].some((dep) => wanted.has(dep))) {
        wanted.add(name);
        grew = true;
      }
    }
  }
  return SERVICE_NAMES.filter((name) => wanted.has(name));
}

/** The requested services plus everything they depend on, in start order. */
export function withDependencies(only: readonly ServiceName[] | undefined): ServiceName[] {
  if (!only || only.length === 0) return [...SERVICE_NAMES];
  const wanted = new Set<ServiceName>();
  const add = (name: ServiceName): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    SERVICE_DEPENDENCIES[name].forEach(add);
  };
  only.forEach(add);
  return SERVICE_NAMES.filter((name) => wanted.has(name));
}

/** Pinned versions: a new version is a reviewed change, not a surprise on the next cold start. */
export const VERSIONS = {
  kafka: '4.4.0',
  /** Matches the log4j-core that kafka-server 4.4.0 depends on. */
  log4j: '2.25.5',
  cassandra: '5.0.9',
  ferretdb: 'v1.24.2',
} as const;

/** What the CLI (or a test setup) asks for. */
export interface StackOptions {
  profile: Profile;
  /** 1 broker (combined KRaft mode) or 3 (each a broker and a voter; RF 3, min ISR 2). */
  brokers: 1 | 3;
  /** A subset of services; all when absent. */
  only?: readonly ServiceName[];
}

/** Every port the stack binds, all on 127.0.0.1. */
export interface StackPorts {
  /** Client port of broker 1; broker n listens on kafka + 2(n-1). */
  kafka: number;
  /** Controller port of node 1; node n uses kafkaController + 2(n-1). */
  kafkaController: number;
  cassandraCql: number;
  cassandraStorage: number;
  cassandraJmx: number;
  postgres: number;
  ferretdb: number;
}

/** The validated configuration every other module receives (STYLE.md, point 5). */
export interface StackConfig {
  profile: Profile;
  brokers: 1 | 3;
  services: readonly ServiceName[];
  host: '127.0.0.1';
  ports: StackPorts;
  repoRoot: string;
  cacheDir: string;
  migrationsDir: string;
  stateDir: string;
  logsDir: string;
  pidsDir: string;
  heapMb: { kafka: number; cassandra: number };
  readyTimeoutMs: number;
  cassandra: { dataCenter: string; keyspace: string; replication: CassandraReplication; clusterName: string };
  postgres: { user: string; password: string; database: string; ferretdbDatabase: string };
  mongoDatabase: string;
}

const DEV_PORTS: StackPorts = {
  kafka: 9092,
  kafkaController: 9093,
  cassandraCql: 9042,
  // Not Cassandra's own 7000/7199, so a Cassandra installed on the machine does not clash.
  cassandraStorage: 7010,
  cassandraJmx: 7209,
  postgres: 5433,
  ferretdb: 27017,
};

/** The test profile sits 10000 above dev, so a test run never touches a developer's stack. */
const TEST_PORT_OFFSET = 10_000;

const PORT_ENV: Record<keyof StackPorts, string> = {
  kafka: 'KAFKA_PORT',
  kafkaController: 'KAFKA_CONTROLLER_PORT',
  cassandraCql: 'CASSANDRA_PORT',
  cassandraStorage: 'CASSANDRA_STORAGE_PORT',
  cassandraJmx: 'CASSANDRA_JMX_PORT',
  postgres: 'PG_PORT',
  ferretdb: 'FERRETDB_PORT',
};

/**
 * Env var that overrides one port: ATRIUM_KAFKA_PORT for dev, ATRIUM_TEST_KAFKA_PORT for test.
 * The profile is in the name so that moving a dev port never moves the test stack onto it.
 */
export function portEnvName(profile: Profile, port: keyof StackPorts): string {
  return `ATRIUM_${profile === 'test' ? 'TEST_' : ''}${PORT_ENV[port]}`;
}

function parseIntEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StackError('BAD_ARGUMENT', `${name}=${raw} is not an integer between ${min} and ${max}`);
  }
  return value;
}

/** Resolves the ports of a profile: defaults, then env overrides; rejects any two that coincide. */
export function resolvePorts(profile: Profile, brokers: 1 | 3, env: NodeJS.ProcessEnv): StackPorts {
  const offset = profile === 'test' ? TEST_PORT_OFFSET : 0;
  const ports = {} as StackPorts;
  for (const key of Object.keys(DEV_PORTS) as (keyof StackPorts)[]) {
    ports[key] = parseIntEnv(env, portEnvName(profile, key), DEV_PORTS[key] + offset, 1, 65_535);
  }
  const taken = new Map<number, string>();
  const claim = (port: number, what: string): void => {
    const other = taken.get(port);
    if (other) throw new StackError('BAD_ARGUMENT', `port ${port} is configured for both ${other} and ${what}`);
    if (port > 65_535) throw new StackError('BAD_ARGUMENT', `${what} would be on port ${port}, above 65535`);
    taken.set(port, what);
  };
  for (let node = 1; node <= brokers; node += 1) {
    claim(kafkaBrokerPort(ports, node), `kafka broker ${node}`);
    claim(kafkaControllerPort(ports, node), `kafka controller ${node}`);
  }
  claim(ports.cassandraCql, 'cassandra CQL');
  claim(ports.cassandraStorage, 'cassandra storage');
  claim(ports.cassandraJmx, 'cassandra JMX');
  claim(ports.postgres, 'postgres');
  claim(ports.ferretdb, 'ferretdb');
  return ports;
}

/** Client port of Kafka node `node` (1-based). */
export function kafkaBrokerPort(ports: StackPorts, node: number): number {
  return ports.kafka + 2 * (node - 1);
}

/** Controller port of Kafka node `node` (1-based). */
export function kafkaControllerPort(ports: StackPorts, node: number): number {
  return ports.kafkaController + 2 * (node - 1);
}

/** Builds the one StackConfig from options, env and repo folders. */
export function resolveStackConfig(
  options: StackOptions,
  env: NodeJS.ProcessEnv,
  paths: { root: string; cacheDir: string; migrationsDir: string },
): StackConfig {
  const stateRoot = env.ATRIUM_STATE_DIR ? resolve(env.ATRIUM_STATE_DIR) : join(paths.root, '.state');
  const stateDir = join(stateRoot, options.profile);
  let replication: CassandraReplication;
  try {
    replication = parseCassandraReplication(env.ATRIUM_CASSANDRA_REPLICATION ?? 'SimpleStrategy:1');
  } catch (error) {
    throw new StackError('BAD_ARGUMENT', `ATRIUM_CASSANDRA_REPLICATION: ${(error as Error).message}`);
  }
  return {
    profile: options.profile,
    brokers: options.brokers,
    services: withDependencies(options.only),
    host: '127.0.0.1',
    ports: resolvePorts(options.profile, options.brokers, env),
    repoRoot: paths.root,
    cacheDir: paths.cacheDir,
    migrationsDir: paths.migrationsDir,
    stateDir,
    logsDir: join(stateDir, 'logs'),
    pidsDir: join(stateDir, 'pids'),
    heapMb: {
      kafka: parseIntEnv(env, 'ATRIUM_KAFKA_HEAP_MB', 512, 128, 16_384),
      cassandra: parseIntEnv(env, 'ATRIUM_CASSANDRA_HEAP_MB', 768, 512, 16_384),
    },
    readyTimeoutMs: parseIntEnv(env, 'ATRIUM_STACK_READY_TIMEOUT_S', 240, 5, 3_600) * 1000,
    cassandra: {
      // SimpleSnitch names its only data centre this; the driver must be told it for LOCAL_* levels.
      dataCenter: 'datacenter1',
      keyspace: 'atrium',
      replication,
      clusterName: `atrium-${options.profile}`,
    },
    postgres: { user: 'atrium', password: 'atrium', database: 'atrium', ferretdbDatabase: 'ferretdb' },
    mongoDatabase: 'atrium',
  };
}
