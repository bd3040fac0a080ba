import { join } from 'node:path';
import { reporterFor, type Report } from '../progress';
import { findRepoPaths } from '../repoPaths';
import type { StackEndpoints } from '../stackEndpoints';
import type { CassandraReplication } from './cassandraReplication';
import { migrateCassandra } from './cassandraMigrator';
import { ensureKafkaTopics } from './kafkaTopics';
import { migrateMongo } from './mongoMigrator';
import { migratePostgres } from './postgresMigrator';

/** The stores that have migrations. */
export type MigrationStore = 'postgres' | 'cassandra' | 'mongo' | 'kafka';

/** Options of a migration run; every field has a local-stack default. */
export interface MigrationOptions {
  /** Folder with postgres/, cassandra/ and mongo/ subfolders; default infra/migrations. */
  migrationsDir?: string;
  /** Keyspace replication; default SimpleStrategy RF 1, right for a single local node. */
  replication?: CassandraReplication;
  /** Stores to migrate; default all four (Kafka: its topics). */
  stores?: readonly MigrationStore[];
  report?: Report;
}

/** File names applied in this run, per store; all empty when everything was already applied. */
export type MigrationReport = Record<MigrationStore, string[]>;

/** Applies pending migrations to each store, each once and in order, and creates missing Kafka topics; re-running is a no-op. */
export async function runMigrations(endpoints: StackEndpoints, options: MigrationOptions = {}): Promise<MigrationReport> {
  const dir = options.migrationsDir ?? findRepoPaths().migrationsDir;
  const stores = new Set(options.stores ?? ['postgres', 'cassandra', 'mongo', 'kafka']);
  const report = options.report ?? reporterFor('migrate');
  const replication = options.replication ?? { strategy: 'SimpleStrategy', replicationFactor: 1 };
  // Stores are independent, so they migrate side by side.
  const [postgres, cassandra, mongo, kafka] = await Promise.all([
    stores.has('postgres') ? migratePostgres(endpoints.postgresUrl, join(dir, 'postgres'), report) : [],
    stores.has('cassandra') ? migrateCassandra(endpoints, replication, join(dir, 'cassandra'), report) : [],
    stores.has('mongo') ? migrateMongo(endpoints.mongoUrl, join(dir, 'mongo'), report) : [],
    stores.has('kafka') ? ensureKafkaTopics(endpoints.kafkaBrokers, report) : [],
  ]);
  return { postgres, cassandra, mongo, kafka };
}
