import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Producer } from 'kafkajs';
import { toKafkaRecord, type CatalogueEvent, type ValidEvent } from '@atrium/contracts';
import { testEndpoints } from '../../../../infra/local/src/testEndpoints';
import { kafkaDeadLetterSink } from '../../kafka/deadLetter';
import { createEventConsumer, type EventConsumer } from '../../kafka/eventConsumer';
import { createKafka } from '../../kafka/kafkaClient';
import { createLogger } from '../../log/logger';
import { createServiceMetrics } from '../../metrics/serviceMetrics';
import { eventually } from '../../testing/cloudTestKit';
import { kioskReporter, otaRig, type OtaRig } from '../testing/otaTestRig';
import { rolloutStore } from './rolloutStore';
import { updateReportApplier } from './updateReportApplier';

// The report consumer as the cloud runs it: kiosk.update.* events arrive on a Kafka topic (keyed by
// kiosk, binary mode, as the gateway produces them) and the cloud's consumer applies them.
let rig: OtaRig;
let admin: Admin;
let producer: Producer;
let consumer: EventConsumer;
let topic: string;
let dlq: string;

async function produce(events: readonly ValidEvent[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages: events.map((e) => { const r = toKafkaRecord(e); return { key: r.key, value: r.value, headers: r.headers }; }) });
}

/** True once the consumer group has committed every record on the topic. */
async function caughtUp(): Promise<boolean> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: `otatest.${rig.run}.ota-update-reports`, topics: [topic] })]);
  const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.every((e) => Number(e.high) === 0 || done.get(e.partition) === Number(e.high));
}

beforeAll(async () => {
  const endpoints = testEndpoints();
  rig = await otaRig(endpoints.postgresUrl);
  const log = createLogger('ota-report-test', process.env.ATRIUM_TEST_LOG_LEVEL ?? 'warn');
  const kafka = createKafka(endpoints.kafkaBrokers, `ota-report-test-${rig.run}`, log);
  topic = `otatest.${rig.run}.events`;
  dlq = `otatest.${rig.run}.dlq`;
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }, { topic: dlq, numPartitions: 1 }] });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  consumer = createEventConsumer({
    kafka,
    groupId: `otatest.${rig.run}.ota-update-reports`,
    topic,
    applier: updateReportApplier(rig.pool, { now: rig.clock.now }),
    deadLetters: kafkaDeadLetterSink(producer, dlq),
    log,
    metrics: createServiceMetrics(),
    retry: { initialMs: 100, maxMs: 1_000 },
    fromBeginning: true,
  });
  await consumer.start();
});

afterAll(async () => {
  await consumer?.stop();
  await producer?.disconnect().catch(() => undefined);
  await admin?.deleteTopics({ topics: [topic, dlq] }).catch(() => undefined);
  await admin?.disconnect().catch(() => undefined);
  await rig?.close();
});

describe('update reports through Kafka', () => {
  it('counts each kiosk once however often its reports are redelivered, and halts the rollout when failures cross the threshold', async () => {
    const v = `4.0.0-run.${rig.run}`;
    const release = await rig.release(v);
    const { rollout } = await rig.service.createRollout(
      { releaseId: release.releaseId, target: { malls: [`mall-k-${rig.run}`] }, stages: [{ percent: 100, waitS: 3600 }], thresholds: { maxFailureRate: 0.3, minReports: 10 } },
      'test',
    );
    const data = { version: v, fromVersion: '3.9.0', rolloutId: rollout.rolloutId };
    const kiosks = Array.from({ length: 10 }, (_, i) => kioskReporter(`k-${rig.run}-${i}`, rig.clock.now));
    const installedEvents = kiosks.slice(0, 7).flatMap((report) =>
      (['kiosk.update.available', 'kiosk.update.downloaded', 'kiosk.update.installing', 'kiosk.update.installed'] as const).map((type) => report({ type, data } as CatalogueEvent)),
    );
    // Given 7 kiosks installed, each batch sent twice (a redelivery)
    await produce(installedEvents);
    await produce(installedEvents);
    await eventually(async () => (await rolloutStore.reportTotals(rig.pool, rollout.rolloutId)).installed === 7, 'seven installs');

    // When two fail, the rate (2 of 9) is under the 30% limit and the sample under 10: still active
    const failure = (i: number) => kiosks[i]!({ type: 'kiosk.update.failed', data: { ...data, reason: 'install failed: disk full' } });
    const twoFailures = [failure(7), failure(8)];
    await produce(twoFailures);
    await produce(twoFailures);
    await eventually(async () => (await rolloutStore.reportTotals(rig.pool, rollout.rolloutId)).failed === 2, 'two failures');
    expect((await rig.service.view(rollout.rolloutId)).rollout.status).toBe('active');

    // When a third fails (3 of 10 = 30%), then the consumer halts the rollout
    await produce([failure(9)]);
    await eventually(async () => (await rig.service.view(rollout.rolloutId)).rollout.status === 'halted', 'the halt');
    const view = await rig.service.view(rollout.rolloutId);
    expect(view.progress.reports).toEqual({ installed: 7, failed: 3, total: 10 });
    expect(view.history.at(-1)).toMatchObject({ action: 'halt', actor: 'thresholds', reason: expect.stringMatching(/3 of 10 devices failed/) });
    await eventually(caughtUp, 'the consumer to commit every record');
    const counted = await rig.pool.query(`SELECT failure_reports FROM atrium.ota_device_reports WHERE rollout_id = $1 AND kiosk_id = $2`, [rollout.rolloutId, `k-${rig.run}-7`]);
    expect(counted.rows).toEqual([{ failure_reports: 1 }]);
    expect(consumer.status().lastError).toBeNull();
  });
});
