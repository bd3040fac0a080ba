import cassandra from 'cassandra-driver';
import type { CloudConfig } from '../config/cloudConfig';

const { Client, ExecutionProfile, types } = cassandra;
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
  });
}
