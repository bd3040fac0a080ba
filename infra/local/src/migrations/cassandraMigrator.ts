import { Client, types } from 'cassandra-driver';
import type { Report } from '../progress';
import type { StackEndpoints } from '../stackEndpoints';
import { replicationToCql, type CassandraReplication } from './cassandraReplication';
import { splitCqlStatements } from './cqlStatements';
import { loadMigrations, pendingMigrations, type AppliedMigration } from './migrationFiles';

/**
 * Creates the keyspace with the configured replication, then applies `dir/NNN_name.cql` in order
 * inside it, recording each in `<keyspace>.schema_migrations`. Cassandra has no transactions, so
 * statements are written to be re-runnable (IF NOT EXISTS) in case a run stops half-way.
 */
export async function migrateCassandra(endpoints: StackEndpoints, replication: CassandraReplication, dir: string, report: Report): Promise<string[]> {
  const keyspace = endpoints.cassandraKeyspace;
  if (!/^[a-z_][a-z0-9_]*$/.test(keyspace)) throw new Error(`cassandra: keyspace name "${keyspace}" is not a plain identifier`);
  const options = {
    contactPoints: endpoints.cassandraContactPoints,
    localDataCenter: endpoints.cassandraDataCenter,
    queryOptions: { consistency: types.consistencies.localQuorum },
  };
  const bootstrap = new Client(options);
  try {
    await bootstrap.execute(`CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = ${replicationToCql(replication)}`);
  } finally {
    await bootstrap.shutdown();
  }

  const client = new Client({ ...options, keyspace });
  try {
    await client.execute(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY,
      name text,
      checksum text,
      applied_at timestamp
    )`);
    const rows = (await client.execute('SELECT version, checksum FROM schema_migrations')).rows;
    const applied: AppliedMigration[] = rows.map((row) => ({ version: Number(row.get('version')), checksum: String(row.get('checksum')) }));
    const applying: string[] = [];
    for (const migration of pendingMigrations(loadMigrations(dir, 'cql'), applied)) {
      report(`cassandra: applying ${migration.fileName}`);
      for (const statement of splitCqlStatements(migration.body)) {
        try {
          await client.execute(statement);
        } catch (error) {
          throw new Error(`cassandra migration ${migration.fileName} failed at "${statement.slice(0, 80)}…": ${(error as Error).message}`, { cause: error });
        }
      }
      await client.execute(
        'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, toTimestamp(now()))',
        [migration.version, migration.name, migration.checksum],
        { prepare: true },
      );
      applying.push(migration.fileName);
    }
    return applying;
  } finally {
    await client.shutdown();
  }
}
