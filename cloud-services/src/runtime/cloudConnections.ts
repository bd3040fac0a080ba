import type { Kafka } from 'kafkajs';
import { MongoClient, type Db } from 'mongodb';
import pg from 'pg';
import { mongoDatabaseName, type CloudConfig } from '../config/cloudConfig';
import { CassandraEventStore } from '../eventStore/cassandraEventStore';
import { createCassandraClient, type CassandraClient } from '../eventStore/cassandraSession';
import { createKafka } from '../kafka/kafkaClient';
import type { Logger } from '../log/logger';

/** The clients every part of the cloud services shares, opened lazily and closed together. */
export interface CloudConnections {
  kafka: Kafka;
  cassandra(): Promise<CassandraClient>;
  eventStore(): Promise<CassandraEventStore>;
  pg(): pg.Pool;
  mongo(): Promise<Db>;
  close(): Promise<void>;
}

/** Opens connections on demand; the drivers reconnect by themselves after an outage. */
export function cloudConnections(config: CloudConfig, log: Logger): CloudConnections {
  const kafka = createKafka(config.kafkaBrokers, config.kafkaClientId, log);
  let cassandra: CassandraClient | undefined;
  let pool: pg.Pool | undefined;
  let mongo: MongoClient | undefined;
  let db: Db | undefined;
  return {
    kafka,
    async cassandra() {
      if (!cassandra) {
        const client = createCassandraClient(config.cassandra);
        await client.connect();
        cassandra = client;
      }
      return cassandra;
    },
    async eventStore() {
      return new CassandraEventStore(await this.cassandra(), config.writer.concurrency);
    },
    pg() {
      if (!pool) {
        pool = new pg.Pool({ connectionString: config.postgresUrl, max: 10, connectionTimeoutMillis: 5_000 });
        // An idle client losing its server must not crash the process; the next query reconnects.
        pool.on('error', (err) => log.warn({ err }, 'postgres: idle client error'));
      }
      return pool;
    },
    async mongo() {
      if (!db) {
        mongo = new MongoClient(config.mongoUrl, { serverSelectionTimeoutMS: 5_000 });
        await mongo.connect();
        db = mongo.db(mongoDatabaseName(config.mongoUrl));
      }
      return db;
    },
    async close() {
      await Promise.allSettled([cassandra?.shutdown(), pool?.end(), mongo?.close()]);
    },
  };
}
