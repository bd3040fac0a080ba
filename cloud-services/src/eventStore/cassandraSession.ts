import cassandra from 'cassandra-driver';
import type { CloudConfig } from '../config/cloudConfig';

const { Client, ExecutionProfile, policies, types } = cassandra;

// The driver's default reconnection backs off exponentially up to ten minutes, so a node that was
// down for a minute is noticed a minute or more after it is back. The writer pauses the whole
// event stream while Cassandra is away; a short ceiling keeps that pause close to the outage itself.
const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 5_000;
export type CassandraClient = InstanceType<typeof Client>;

/** The driver's code for a consistency level name. */
export function consistencyCode(name: CloudConfig['cassandra']['consistency']): number {
  const key = name.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof typeof types.consistencies;
  return types.consistencies[key];
}

/** A driver session on the keyspace whose default profile writes and reads at the configured level. */
export function createCassandraClient(config: CloudConfig['cassandra']): CassandraClient {
  return new Client({
    contactPoints: [...config.contactPoints],
    localDataCenter: config.dataCenter,
    keyspace: config.keyspace,
    profiles: [new ExecutionProfile('default', { consistency: consistencyCode(config.consistency), readTimeout: config.requestTimeoutMs })],
    socketOptions: { readTimeout: config.requestTimeoutMs, connectTimeout: 5_000 },
    pooling: { heartBeatInterval: 5_000 },
    policies: { reconnection: new policies.reconnection.ExponentialReconnectionPolicy(RECONNECT_BASE_MS, RECONNECT_MAX_MS, false) },
  });
}
