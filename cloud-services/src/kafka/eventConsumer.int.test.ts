import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Producer } from 'kafkajs';
import { toKafkaRecord, type ValidEvent } from '@atrium/contracts';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { createLogger } from '../log/logger';
import { createServiceMetrics } from '../metrics/serviceMetrics';
import { eventually, kioskEvent } from '../testing/cloudTestKit';
import { mixedEventData } from '../testing/eventMix';
import { kafkaDeadLetterSink } from './deadLetter';
import { createEventConsumer, type EventApplier, type EventConsumer } from './eventConsumer';
import { createKafka } from './kafkaClient';

// A consumer stage waiting out a database outage must not mistake the group's own housekeeping (a
// member joining, a heartbeat refused while the group rebalances) for a bad event: nothing may go to
// the dead-letter topic, and every event must take effect once the database is back.
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const topic = `consumertest.${run}.events`;
const dlq = `consumertest.${run}.dlq`;
const groupId = `consumertest.${run}.stage`;
const log = createLogger('consumer-test', process.env.ATRIUM_TEST_LOG_LEVEL ?? 'warn');
const kafka = createKafka(testEndpoints().kafkaBrokers, `consumer-test-${run}`, log);
let admin: Admin;
let producer: Producer;
const members: EventConsumer[] = [];

/** A view in memory that refuses every write while `down` is set, as an unreachable database would. */
class FlakyView implements EventApplier {
  readonly stage = 'flaky-view';
  down = false;
  readonly applied = new Map<string, number>();
  attemptsWhileDown = 0;
  async apply(events: readonly ValidEvent[]): Promise<void> {
    if (this.down) {
      this.attemptsWhileDown += 1;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    }
    for (const e of events) this.applied.set(`${e.kioskid}#${e.sequence}`, (this.applied.get(`${e.kioskid}#${e.sequence}`) ?? 0) + 1);
  }
}

function member(view: FlakyView): EventConsumer {
  const consumer = createEventConsumer({
    kafka,
    groupId,
    topic,
    applier: view,
    deadLetters: kafkaDeadLetterSink(producer, dlq),
    log,
    metrics: createServiceMetrics(),
    retry: { initialMs: 100, maxMs: 1_000 },
    sessionTimeoutMs: 10_000,
  });
  members.push(consumer);
  return consumer;
}

async function produce(events: readonly ValidEvent[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages: events.map((e) => toKafkaRecord(e)).map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 4 }, { topic: dlq, numPartitions: 1 }] });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});

afterAll(async () => {
  for (const m of members) await m.stop().catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
  await admin?.deleteTopics({ topics: [topic, dlq] }).catch(() => undefined);
  await admin?.disconnect().catch(() => undefined);
});

describe('event consumer during an outage', () => {
  it('given a stage paused by an unreachable database, when members join and leave the group, then nothing is dead-lettered and every event takes effect once the database is back', async () => {
    const kiosks = ['mall-01-k001', 'mall-01-k002', 'mall-02-k003', 'mall-02-k004'];
    const events = kiosks.flatMap((k) => Array.from({ length: 30 }, (_, i) => kioskEvent(k, i + 1, mixedEventData(k, i + 1, 'offer-1'))));
    const viewA = new FlakyView();
    const viewB = new FlakyView();
    viewA.down = true;
    viewB.down = true;

    // Given: the database is down and the first member is retrying its batches.
    await member(viewA).start();
    await produce(events);
    await eventually(async () => viewA.attemptsWhileDown >= 3, 'the first member to retry against the outage', 60_000);

    // When: a second member joins (the group rebalances under the paused member), then the first leaves.
    const memberB = member(viewB);
    await memberB.start();
    await eventually(async () => viewB.attemptsWhileDown >= 1, 'the second member to own partitions', 60_000);
    await members[0]!.stop();
    viewB.down = false;

    // Then: every event took effect, and the dead-letter topic is empty.
    await eventually(async () => events.every((e) => viewB.applied.has(`${e.kioskid}#${e.sequence}`)), 'every event applied', 90_000);
    const dead = await admin.fetchTopicOffsets(dlq);
    expect(dead.map((p) => Number(p.high))).toEqual([0]);
    expect(viewA.applied.size).toBe(0);
    expect(memberB.status()).toMatchObject({ stage: 'flaky-view', pausedSince: null });
  }, 240_000);
});
