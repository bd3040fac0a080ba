import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { topics } from '@atrium/contracts';
import { migrateCassandra } from '../../../infra/local/src/migrations/cassandraMigrator';
import { migrateMongo } from '../../../infra/local/src/migrations/mongoMigrator';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import type { StackEndpoints } from '../../../infra/local/src/stackEndpoints';
import { ALL_PROJECTION_STAGES } from '../../../cloud-services/src/config/cloudConfig';
import { EVENT_STORE_STAGE } from '../../../cloud-services/src/eventStore/eventStoreWriter';
import { groupIdOf } from '../../../cloud-services/src/runtime/cloudConsumers';
import { PG_VIEW_TABLES } from '../../../cloud-services/src/testing/cloudTestKit';
import type { AuditTargets } from './pipelineAudit';

/**
 * A pipeline's own event store and views on a stack that others may share: its own Cassandra
 * keyspace, PostgreSQL schema (copies of the view tables), Mongo database and consumer group
 * prefix, so its audit sees only its own rows. The gateway's topic and device registry are the
 * stack's (the gateway names no other), so kiosk ids must be unique.
 */
export interface IsolatedStores {
  suffix: string;
  endpoints: StackEndpoints;
  groupPrefix: string;
  /** Env of the cloud services (and the audit) pointing at these stores. */
  cloudEnv: Record<string, string>;
  targets: AuditTargets;
  cleanup(): Promise<void>;
}

/** Retries `fn` while it fails (a fresh topic's leaders, a cluster still electing), up to `timeoutMs`. */
export async function retrying<T>(fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** Creates the gateway's and the consumers' topics when missing (3 partitions, the cluster's replication). */
export async function ensurePipelineTopics(brokers: string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'atrium-e2e-topics', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [topics.kioskEvents, topics.ingestDeadLetter, topics.processingDeadLetter].filter((t) => !existing.has(t));
    if (missing.length > 0) await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: 3 })) });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Commits the end of the kiosk-events topic as the start of every consumer group of `prefix`,
 * so a fresh pipeline on a shared broker skips what others produced before it started.
 */
export async function startGroupsAtEnd(brokers: string[], prefix: string): Promise<void> {
  const admin = new Kafka({ clientId: 'atrium-e2e-offsets', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topics.kioskEvents);
    const partitions = ends.map((o) => ({ partition: o.partition, offset: o.high }));
    for (const stage of [EVENT_STORE_STAGE, ...ALL_PROJECTION_STAGES]) {
      await admin.setOffsets({ groupId: groupIdOf({ groupPrefix: prefix }, stage), topic: topics.kioskEvents, partitions });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Creates isolated stores for `name` on the stack at `endpoints` (its migrations already applied). */
export async function createIsolatedStores(endpoints: StackEndpoints, name: string): Promise<IsolatedStores> {
  const suffix = `${name.replace(/[^a-z0-9]/g, '')}_${randomBytes(3).toString('hex')}`;
  const keyspace = `pipe_${suffix}`;
  const schema = `pipe_${suffix}`;
  const mongoUrl = endpoints.mongoUrl.replace(/\/[^/]*$/, `/pipe_${suffix}`);
  const migrations = findRepoPaths().migrationsDir;
  const quiet = () => undefined;
  await migrateCassandra({ ...endpoints, cassandraKeyspace: keyspace }, { strategy: 'SimpleStrategy', replicationFactor: 1 }, join(migrations, 'cassandra'), quiet);
  await migrateMongo(mongoUrl, join(migrations, 'mongo'), quiet);
  const pool = new pg.Pool({ connectionString: endpoints.postgresUrl, max: 2 });
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
    for (const table of PG_VIEW_TABLES) await pool.query(`CREATE TABLE ${schema}.${table} (LIKE atrium.${table} INCLUDING ALL)`);
  } finally {
    await pool.end();
  }
  const groupPrefix = `pipe.${suffix}`;
  await retrying(() => ensurePipelineTopics(endpoints.kafkaBrokers));
  await retrying(() => startGroupsAtEnd(endpoints.kafkaBrokers, groupPrefix));
  const cloudEnv: Record<string, string> = {
    ATRIUM_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    ATRIUM_CASSANDRA_CONTACT_POINTS: endpoints.cassandraContactPoints.join(','),
    ATRIUM_CASSANDRA_DC: endpoints.cassandraDataCenter,
    ATRIUM_CASSANDRA_KEYSPACE: keyspace,
    ATRIUM_PG_URL: endpoints.postgresUrl,
    ATRIUM_CLOUD_PG_SCHEMA: schema,
    ATRIUM_MONGO_URL: mongoUrl,
    ATRIUM_CLOUD_GROUP_PREFIX: groupPrefix,
  };
  return {
    suffix,
    endpoints,
    groupPrefix,
    cloudEnv,
    targets: {
      cassandra: { contactPoints: endpoints.cassandraContactPoints, dataCenter: endpoints.cassandraDataCenter, keyspace },
      pgUrl: endpoints.postgresUrl,
      pgSchema: schema,
      mongoUrl,
    },
    async cleanup() {
      const cleanupPool = new pg.Pool({ connectionString: endpoints.postgresUrl, max: 1 });
      await cleanupPool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await cleanupPool.end().catch(() => undefined);
      const { MongoClient } = await import('mongodb');
      const mongo = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5_000 });
      await mongo.connect().then(() => mongo.db(`pipe_${suffix}`).dropDatabase()).catch(() => undefined);
      await mongo.close().catch(() => undefined);
      const cassandra = (await import('cassandra-driver')).default;
      const client = new cassandra.Client({ contactPoints: endpoints.cassandraContactPoints, localDataCenter: endpoints.cassandraDataCenter });
      await client.connect().then(() => client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`)).catch(() => undefined);
      await client.shutdown().catch(() => undefined);
    },
  };
}
