// Event-store writer throughput (events/s, Kafka → Cassandra, offsets committed after
// acknowledgement) against raw cassandra-driver concurrent inserts of the same rows at the same
// consistency level. Run: npx tsx bench/src/eventStoreWriter.bench.ts [--events N]
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cassandra from 'cassandra-driver';
import { toKafkaRecord, type ValidEvent } from '@atrium/contracts';
import { migrateCassandra } from '../../infra/local/src/migrations/cassandraMigrator';
import { findRepoPaths } from '../../infra/local/src/repoPaths';
import { loadCloudConfig } from '../../cloud-services/src/config/cloudConfig';
import { eventInsertStatements, CassandraEventStore } from '../../cloud-services/src/eventStore/cassandraEventStore';
import { createCassandraClient } from '../../cloud-services/src/eventStore/cassandraSession';
import { eventStoreApplier } from '../../cloud-services/src/eventStore/eventStoreWriter';
import { kafkaDeadLetterSink } from '../../cloud-services/src/kafka/deadLetter';
import { createEventConsumer } from '../../cloud-services/src/kafka/eventConsumer';
import { createKafka } from '../../cloud-services/src/kafka/kafkaClient';
import { createLogger } from '../../cloud-services/src/log/logger';
import { createServiceMetrics } from '../../cloud-services/src/metrics/serviceMetrics';
import { mixedEvents } from '../../cloud-services/src/testing/eventMix';
import { benchEndpoints, writeBenchResult } from './benchSupport';

const { values } = parseArgs({ options: { events: { type: 'string', default: '20000' }, help: { type: 'boolean' } } });
if (values.help) {
  process.stdout.write('Usage: tsx bench/src/eventStoreWriter.bench.ts [--events N]  (needs the test stack: npm run stack:up -- --profile test)\n');
  process.exit(0);
}
const total = Math.min(200_000, Math.max(1_000, Number(values.events)));
const KIOSKS = 50;
const PARTITIONS = 6;
const TIME_LIMIT_MS = 240_000;

const endpoints = benchEndpoints();
const suffix = randomBytes(3).toString('hex');
const keyspace = `bench_writer_${suffix}`;
const topic = `bench.writer.${suffix}`;
await migrateCassandra({ ...endpoints, cassandraKeyspace: keyspace }, { strategy: 'SimpleStrategy', replicationFactor: 1 }, join(findRepoPaths().migrationsDir, 'cassandra'), () => undefined);
const config = loadCloudConfig({ ATRIUM_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), ATRIUM_CASSANDRA_CONTACT_POINTS: endpoints.cassandraContactPoints.join(','), ATRIUM_CASSANDRA_DC: endpoints.cassandraDataCenter, ATRIUM_CASSANDRA_KEYSPACE: keyspace });
const log = createLogger('bench-writer', 'warn');
const client = createCassandraClient(config.cassandra);
await client.connect();

const perKiosk = Math.ceil(total / KIOSKS);
const events = (from: number): ValidEvent[] => Array.from({ length: KIOSKS }, (_, k) => mixedEvents(`bench-k${k}`, from, from + perKiosk - 1, 'offer-bench')).flat();

try {
  // Baseline: the same rows (both event tables), raw concurrent inserts, same consistency and concurrency.
  const baselineEvents = events(1);
  const t0 = performance.now();
  await cassandra.concurrent.executeConcurrent(client, eventInsertStatements(baselineEvents), { concurrencyLevel: config.writer.concurrency, raiseOnFirstError: true });
  const baselineS = (performance.now() - t0) / 1_000;

  // Candidate: the writer consuming a pre-filled topic; timed from its first write to its last commit.
  const kafka = createKafka(config.kafkaBrokers, 'bench-writer', log);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const candidateEvents = events(perKiosk + 1);
  for (let i = 0; i < candidateEvents.length; i += 1_000) {
    await producer.send({ topic, acks: -1, messages: candidateEvents.slice(i, i + 1_000).map((e) => toKafkaRecord(e)) });
  }
  const end = await admin.fetchTopicOffsets(topic);
  const applier = eventStoreApplier(new CassandraEventStore(client, config.writer.concurrency));
  let firstWrite = 0;
  const consumer = createEventConsumer({
    kafka,
    groupId: `bench.writer.${suffix}`,
    topic,
    applier: { ...applier, apply: (batch) => ((firstWrite ||= performance.now()), applier.apply(batch)) },
    deadLetters: kafkaDeadLetterSink(producer, `bench.writer.${suffix}.dlq`),
    log,
    metrics: createServiceMetrics(),
    retry: config.retry,
    partitionsConsumedConcurrently: PARTITIONS,
  });
  await consumer.start();
  const deadline = Date.now() + TIME_LIMIT_MS;
  let done = false;
  while (!done && Date.now() < deadline) {
    const committed = await admin.fetchOffsets({ groupId: `bench.writer.${suffix}`, topics: [topic] });
    const offsets = new Map(committed[0]!.partitions.map((p) => [p.partition, p.offset]));
    done = end.every((p) => offsets.get(p.partition) === p.offset);
    if (!done) await new Promise((r) => setTimeout(r, 20));
  }
  const candidateS = (performance.now() - firstWrite) / 1_000;
  await consumer.stop();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  if (!done) throw new Error('writer did not finish within the time limit');

  const candidate = candidateEvents.length / candidateS;
  const baseline = baselineEvents.length / baselineS;
  writeBenchResult('eventStoreWriter', {
    candidate: { label: 'event-store writer (kafkajs consumer, 6 partitions, rows + summary, commit after LOCAL_QUORUM ack)', eventsPerS: Math.round(candidate), events: candidateEvents.length, seconds: Number(candidateS.toFixed(2)) },
    baseline: { label: `raw cassandra-driver executeConcurrent of the same rows (concurrency ${config.writer.concurrency}, ${config.cassandra.consistency})`, eventsPerS: Math.round(baseline), events: baselineEvents.length, seconds: Number(baselineS.toFixed(2)) },
    ratio: candidate / baseline,
    unit: 'events/s',
    goal: 'ratio >= 0.8',
  });
} finally {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => undefined);
  await client.shutdown();
}
