import { kafkaBrokerPort, type StackConfig } from './stackConfig';

/** Where each server of a running stack answers; what tests and app services connect to. */
export interface StackEndpoints {
  /** host:port of every Kafka broker. */
  kafkaBrokers: string[];
  /** host:port of the Cassandra node(s). */
  cassandraContactPoints: string[];
  /** Data centre name for the driver's load balancing and LOCAL_* consistency levels. */
  cassandraDataCenter: string;
  cassandraKeyspace: string;
  /** postgres://user:password@host:port/database */
  postgresUrl: string;
  /** mongodb://host:port/database (FerretDB speaks the MongoDB wire protocol). */
  mongoUrl: string;
}

/** The env var that carries each endpoint to a test worker or an app service. */
export const ENDPOINT_ENV = {
  kafkaBrokers: 'ATRIUM_KAFKA_BROKERS',
  cassandraContactPoints: 'ATRIUM_CASSANDRA_CONTACT_POINTS',
  cassandraDataCenter: 'ATRIUM_CASSANDRA_DC',
  cassandraKeyspace: 'ATRIUM_CASSANDRA_KEYSPACE',
  postgresUrl: 'ATRIUM_PG_URL',
  mongoUrl: 'ATRIUM_MONGO_URL',
} as const satisfies Record<keyof StackEndpoints, string>;

/** Endpoints of the stack that `config` describes. */
export function endpointsFor(config: StackConfig): StackEndpoints {
  const { host, ports, postgres } = config;
  const brokers = Array.from({ length: config.brokers }, (_, i) => `${host}:${kafkaBrokerPort(ports, i + 1)}`);
  return {
    kafkaBrokers: brokers,
    cassandraContactPoints: [`${host}:${ports.cassandraCql}`],
    cassandraDataCenter: config.cassandra.dataCenter,
    cassandraKeyspace: config.cassandra.keyspace,
    postgresUrl: `postgres://${postgres.user}:${postgres.password}@${host}:${ports.postgres}/${postgres.database}`,
    mongoUrl: `mongodb://${host}:${ports.ferretdb}/${config.mongoDatabase}`,
  };
}

/** Renders endpoints as env vars (lists comma-separated). */
export function endpointsToEnv(endpoints: StackEndpoints): Record<string, string> {
  return {
    [ENDPOINT_ENV.kafkaBrokers]: endpoints.kafkaBrokers.join(','),
    [ENDPOINT_ENV.cassandraContactPoints]: endpoints.cassandraContactPoints.join(','),
    [ENDPOINT_ENV.cassandraDataCenter]: endpoints.cassandraDataCenter,
    [ENDPOINT_ENV.cassandraKeyspace]: endpoints.cassandraKeyspace,
    [ENDPOINT_ENV.postgresUrl]: endpoints.postgresUrl,
    [ENDPOINT_ENV.mongoUrl]: endpoints.mongoUrl,
  };
}

/** Reads endpoints back from env vars; names every missing variable at once. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv): StackEndpoints {
  const missing = Object.values(ENDPOINT_ENV).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `stack endpoints are not set (${missing.join(', ')}); run the test through the vitest "int" project, ` +
        'whose global setup (infra/local/src/testStack.globalSetup.ts) starts the test stack and sets them',
    );
  }
  const list = (name: string): string[] => (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    kafkaBrokers: list(ENDPOINT_ENV.kafkaBrokers),
    cassandraContactPoints: list(ENDPOINT_ENV.cassandraContactPoints),
    cassandraDataCenter: env[ENDPOINT_ENV.cassandraDataCenter] as string,
    cassandraKeyspace: env[ENDPOINT_ENV.cassandraKeyspace] as string,
    postgresUrl: env[ENDPOINT_ENV.postgresUrl] as string,
    mongoUrl: env[ENDPOINT_ENV.mongoUrl] as string,
  };
}
