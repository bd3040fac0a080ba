// Int-test support: an isolated set of stores per test file on the shared test stack (its own
// Cassandra keyspace, PostgreSQL schema, Mongo database and Kafka topics), so tests never see
// each other's rows and a view rebuild can swap whole tables safely.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Admin, Producer } from 'kafkajs';
import { makeEvent, newEventId, toKafkaRecord, type CatalogueEvent, type ValidEvent } from '@atrium/contracts';
import { migrateCassandra } from '../../../infra/local/src/migrations/cassandraMigrator';
import { migrateMongo } from '../../../infra/local/src/migrations/mongoMigrator';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { loadCloudConfig, type CloudConfig } from '../config/cloudConfig';
import { createLogger, type Logger } from '../log/logger';
import { cloudConnections, type CloudConnections } from '../runtime/cloudConnections';

/** Tables of the PostgreSQL views, copied into a test schema. */
export const PG_VIEW_TABLES = ['projection_watermarks', 'projection_dead_letters', 'loyalty_members', 'offer_inventory', 'offer_claim_totals', 'offer_claims', 'daily_analytics'];

/** One test file's isolated stores and clients. */
export interface CloudTestKit {
  suffix: string;
  config: CloudConfig;
  /** Env vars that point a child process at the same isolated stores. */
  env: Record<string, string>;
  log: Logger;
  connections: CloudConnections;
  admin: Admin;
  producer: Producer;
  /** Produces events as the gateway does: binary mode, keyed by kiosk id. */
  produce(events: readonly ValidEvent[]): Promise<void>;
  cleanup(): Promise<void>;
}

/** Builds one kiosk event with a fresh id at a given time. */
export function kioskEvent(kioskId: string, sequence: number, event: CatalogueEvent, time = new Date(Date.UTC(2026, 10, 1, 10, 0, sequence % 3600))): ValidEvent {
  return makeEvent(event, { id: newEventId(), kioskId, sequence, time: time.toISOString() });
}

/** Creates the isolated stores (migrated with the project's own migrations) and topics. */
export async function createCloudTestKit(name: string, partitions = 3): Promise<CloudTestKit> {
  const endpoints = testEndpoints();
  const suffix = `${name.replace(/[^a-z0-9]/g, '')}_${randomBytes(3).toString('hex')}`;
  const keyspace = `cloudtest_${suffix}`;
  const schema = `cloudtest_${suffix}`;
  const mongoUrl = endpoints.mongoUrl.replace(/\/[^/]*$/, `/cloudtest_${suffix}`);
  const migrations = findRepoPaths().migrationsDir;
  const quiet = () => undefined;
  await migrateCassandra({ ...endpoints, cassandraKeyspace: keyspace }, { strategy: 'SimpleStrategy', replicationFactor: 1 }, join(migrations, 'cassandra'), quiet);
  await migrateMongo(mongoUrl, join(migrations, 'mongo'), quiet);
  const topicEvents = `cloudtest.${suffix}.events`;
  const topicDlq = `cloudtest.${suffix}.dlq`;
  const env: Record<string, string> = {
    ATRIUM_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    ATRIUM_CASSANDRA_CONTACT_POINTS: endpoints.cassandraContactPoints.join(','),
    ATRIUM_CASSANDRA_DC: endpoints.cassandraDataCenter,
    ATRIUM_CASSANDRA_KEYSPACE: keyspace,
    ATRIUM_PG_URL: endpoints.postgresUrl,
    ATRIUM_MONGO_URL: mongoUrl,
    ATRIUM_CLOUD_GROUP_PREFIX: `cloudtest.${suffix}`,
    ATRIUM_CLOUD_PG_SCHEMA: schema,
    ATRIUM_CLOUD_TOPIC_EVENTS: topicEvents,
    ATRIUM_CLOUD_TOPIC_DLQ: topicDlq,
    ATRIUM_CLOUD_LOG_LEVEL: process.env.ATRIUM_TEST_LOG_LEVEL ?? 'warn',
  };
  const config = loadCloudConfig(env, { retry: { initialMs: 100, maxMs: 1_000 } });
  const log = createLogger(`cloudtest-${name}`, config.logLevel);
  const connections = cloudConnections(config, log);
  const pool = connections.pg();
  await pool.query(`CREATE SCHEMA ${schema}`);
  for (const table of PG_VIEW_TABLES) await pool.query(`CREATE TABLE ${schema}.${table} (LIKE atrium.${table} INCLUDING ALL)`);
  const admin = connections.kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topicEvents, numPartitions: partitions }, { topic: topicDlq, numPartitions: 1 }] });
  const producer = connections.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    suffix,
    config,
    env,
    log,
    connections,
    admin,
    producer,
    async produce(events) {
      for (let i = 0; i < events.length; i += 500) {
        await producer.send({
          topic: topicEvents,
          acks: -1,
          messages: events.slice(i, i + 500).map((e) => {
            const record = toKafkaRecord(e);
            return { key: record.key, value: record.value, headers: record.headers };
          }),
        });
      }
    },
    async cleanup() {
      await producer.disconnect().catch(() => undefined);
      await admin.deleteTopics({ topics: [topicEvents, topicDlq] }).catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await pool.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await (await connections.mongo()).dropDatabase().catch(() => undefined);
      await (await connections.cassandra()).execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => undefined);
      await connections.close();
    },
  };
}

/** Polls `check` until it returns true (bounded), for waiting on consumers to catch up. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
