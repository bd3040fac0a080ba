import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Client as CassandraClient, types } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import rdkafka from 'node-rdkafka';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { atriumTopics } from './migrations/kafkaTopics';
import { runMigrations } from './migrations/runMigrations';
import { testEndpoints } from './testEndpoints';

const endpoints = testEndpoints();

/** A CloudEvent in the Kafka binary binding: attributes as ce_* headers, data as the value. */
function cloudEventRecord(kioskId: string, sequence: number) {
  const id = randomUUID();
  return {
    key: kioskId,
    value: JSON.stringify({ query: 'shoes', results: sequence }),
    headers: {
      ce_specversion: '1.0',
      ce_id: id,
      ce_source: `kiosk/${kioskId}`,
      ce_type: 'mall.directory.searched',
      ce_time: new Date(Date.UTC(2026, 0, 1, 12, 0, sequence)).toISOString(),
      ce_kioskid: kioskId,
      ce_sequence: String(sequence),
      'content-type': 'application/json',
    },
  };
}

function headerMap(headers: rdkafka.MessageHeader[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const header of headers ?? []) for (const [key, value] of Object.entries(header)) map[key] = value.toString();
  return map;
}

/** Reads `count` messages from the start of `topic` with librdkafka, polling a bounded number of times. */
async function consumeWithRdkafka(topic: string, count: number): Promise<rdkafka.Message[]> {
  const consumer = new rdkafka.KafkaConsumer(
    { 'group.id': `stack-int-${randomUUID()}`, 'metadata.broker.list': endpoints.kafkaBrokers.join(','), 'enable.auto.commit': false },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30_000 }, (error) => (error ? reject(error) : resolve())));
  const messages: rdkafka.Message[] = [];
  try {
    consumer.subscribe([topic]);
    for (let poll = 0; poll < 100 && messages.length < count; poll += 1) {
      const batch = await new Promise<rdkafka.Message[]>((resolve, reject) => consumer.consume(count, (error, got) => (error ? reject(error) : resolve(got))));
      messages.push(...batch);
    }
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
  return messages;
}

describe('local stack (test profile)', () => {
  it('carries CloudEvents from kafkajs to node-rdkafka with key, ce_* headers and payload intact', async () => {
    const kafka = new Kafka({ clientId: 'stack-int', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
    const topic = `stack-int.events.${randomUUID()}`;
    const kioskId = `kiosk-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: endpoints.kafkaBrokers.length }], waitForLeaders: true });
    await admin.disconnect();

    const sent = [1, 2, 3].map((sequence) => cloudEventRecord(kioskId, sequence));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const received = await consumeWithRdkafka(topic, sent.length);
    expect(received).toHaveLength(3);
    // One key, so one partition, so the kiosk's order is kept.
    expect(new Set(received.map((m) => m.partition)).size).toBe(1);
    received.sort((a, b) => a.offset - b.offset);
    received.forEach((message, i) => {
      const expected = sent[i]!;
      expect(message.key?.toString()).toBe(kioskId);
      expect(headerMap(message.headers)).toEqual(expected.headers);
      expect(JSON.parse(message.value!.toString())).toEqual(JSON.parse(expected.value));
    });
  });

  it('writes and reads Cassandra events at LOCAL_QUORUM with the migrated schema', async () => {
    const client = new CassandraClient({
      contactPoints: endpoints.cassandraContactPoints,
      localDataCenter: endpoints.cassandraDataCenter,
      keyspace: endpoints.cassandraKeyspace,
      queryOptions: { consistency: types.consistencies.localQuorum },
    });
    try {
      const kioskId = `kiosk-${randomUUID()}`;
      const id = types.Uuid.random();
      const insert =
        'INSERT INTO events_by_kiosk (kiosk_id, bucket, sequence, id, type, source, time, data, headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
      const row = [kioskId, 0, types.Long.fromNumber(7), id, 'mall.offer.claimed', `kiosk/${kioskId}`, new Date('2026-01-01T00:00:00Z'), Buffer.from('{"offer":"o-1"}'), { ce_specversion: '1.0' }];
      await client.execute(insert, row, { prepare: true });
      // A redelivery rewrites the same row: the key is deterministic.
      await client.execute(insert, row, { prepare: true });

      const result = await client.execute('SELECT * FROM events_by_kiosk WHERE kiosk_id = ? AND bucket = ?', [kioskId, 0], { prepare: true });
      expect(result.rowLength).toBe(1);
      const stored = result.first();
      expect(stored.get('id').toString()).toBe(id.toString());
      expect(stored.get('sequence').toNumber()).toBe(7);
      expect(stored.get('data').toString()).toBe('{"offer":"o-1"}');
      expect(stored.get('headers')).toEqual({ ce_specversion: '1.0' });
      expect(result.info.achievedConsistency).toBe(types.consistencies.localQuorum);

      await client.execute(
        'INSERT INTO events_by_type_day (type, day, kiosk_id, sequence, id, time) VALUES (?, ?, ?, ?, ?, ?)',
        ['mall.offer.claimed', types.LocalDate.fromString('2026-01-01'), kioskId, types.Long.fromNumber(7), id, new Date('2026-01-01T00:00:00Z')],
        { prepare: true },
      );
      const byType = await client.execute('SELECT kiosk_id FROM events_by_type_day WHERE type = ? AND day = ? AND kiosk_id = ?', ['mall.offer.claimed', types.LocalDate.fromString('2026-01-01'), kioskId], { prepare: true });
      expect(byType.rowLength).toBe(1);
    } finally {
      await client.shutdown();
    }
  });

  it('stores and finds documents in FerretDB with the official MongoDB driver, unique index enforced', async () => {
    const client = new MongoClient(endpoints.mongoUrl);
    try {
      const fleet = client.db().collection<{ kioskId: string; state: string }>('fleet_status');
      const kioskId = `kiosk-${randomUUID()}`;
      await fleet.insertOne({ kioskId, state: 'online' });
      expect(await fleet.findOne({ kioskId }, { projection: { _id: 0 } })).toEqual({ kioskId, state: 'online' });
      await expect(fleet.insertOne({ kioskId, state: 'offline' })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await client.close();
    }
  });

  it('registers and reads a device in PostgreSQL, refusing an unknown status', async () => {
    const client = new pg.Client({ connectionString: endpoints.postgresUrl });
    await client.connect();
    try {
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
      const deviceId = `device-${randomUUID()}`;
      await client.query('INSERT INTO atrium.devices (device_id, kiosk_id, mall_id, public_key_ed25519) VALUES ($1, $2, $3, $4)', [deviceId, 'kiosk-1', 'mall-1', publicKey]);
      const { rows } = await client.query('SELECT status, public_key_ed25519 FROM atrium.devices WHERE device_id = $1', [deviceId]);
      expect(rows[0].status).toBe('active');
      expect(Buffer.compare(rows[0].public_key_ed25519, publicKey)).toBe(0);
      await expect(
        client.query("INSERT INTO atrium.devices (device_id, kiosk_id, mall_id, public_key_ed25519, status) VALUES ($1, 'k', 'm', $2, 'lost')", [`${deviceId}-x`, publicKey]),
      ).rejects.toMatchObject({ code: '23514' });
    } finally {
      await client.end();
    }
  });

  it('re-running the migrations applies nothing, creates no topic again, and keeps one record per migration', async () => {
    const again = await runMigrations(endpoints, { report: () => undefined });
    expect(again).toEqual({ postgres: [], cassandra: [], mongo: [], kafka: [] });
    const admin = new Kafka({ clientId: 'stack-test-topics', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const wanted = atriumTopics(endpoints.kafkaBrokers.length);
      const described = await admin.fetchTopicMetadata({ topics: wanted.map((t) => t.topic) });
      expect(described.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(wanted.map((t) => [t.topic, t.numPartitions]).sort());
    } finally {
      await admin.disconnect();
    }

    const client = new pg.Client({ connectionString: endpoints.postgresUrl });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT version, count(*)::int AS n FROM public.schema_migrations GROUP BY version ORDER BY version');
      expect(rows[0]).toEqual({ version: 1, n: 1 });
      expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    } finally {
      await client.end();
    }
  });
});
