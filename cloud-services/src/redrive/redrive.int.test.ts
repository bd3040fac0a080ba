import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleData, toKafkaRecord, type ValidEvent } from '@atrium/contracts';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import { runGapAudit } from '../audit/gapAuditService';
import { EVENT_STORE_STAGE } from '../eventStore/eventStoreWriter';
import { kafkaDeadLetterSink } from '../kafka/deadLetter';
import { createServiceMetrics } from '../metrics/serviceMetrics';
import { storePopularityProjection, mongoProjectionApplier } from '../projections/mongo/mongoProjections';
import { readKioskDayTotals } from '../projections/mongo/viewReaders';
import { readMemberPii } from '../pii/memberPii';
import { piiServices } from '../pii/piiServices';
import { addPiiTables, sealedEnrolment, testPiiKeys } from '../pii/piiTesting';
import { startConsumers } from '../runtime/cloudConsumers';
import { createCloudTestKit, eventually, kioskEvent, type CloudTestKit } from '../testing/cloudTestKit';

const run = promisify(execFile);
const KIOSK = 'mall-41-k001';

describe('redrive: dead-lettered events back into their stage', () => {
  let kit: CloudTestKit;
  const configured = testPiiKeys();
  // Kiosks already seal to a newer cloud key that this deployment does not have yet.
  const newer = testPiiKeys();
  newer.config.cloudKeyId = 'cloud-next';
  const rotated = { ...newer.config, memberKeyWrapKey: configured.config.memberKeyWrapKey };
  const enrolment = sealedEnrolment(KIOSK, 2, { name: 'Rae Moss', email: 'rae@example.org' }, newer);
  const viewed = (seq: number) => kioskEvent(KIOSK, seq, { type: 'mall.store.viewed', data: { ...exampleData['mall.store.viewed'], storeId: 'store-redrive' } });
  const memberRef = (enrolment.data as { memberRef: string }).memberRef;

  const cli = async (args: string[], pii: typeof rotated = rotated) => {
    const root = findRepoPaths().root;
    const env = { ...process.env, ...kit.env, ATRIUM_PII_CLOUD_KEY_ID: pii.cloudKeyId, ATRIUM_PII_CLOUD_PRIVATE_KEY: pii.cloudPrivateKey, ATRIUM_PII_MEMBER_KEK: pii.memberKeyWrapKey };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(root, 'cloud-services/src/redrive/redriveCli.ts'), ...args], { cwd: root, env });
    return stdout;
  };
  const summary = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;

  beforeAll(async () => {
    kit = await createCloudTestKit('redrive', 2);
    await addPiiTables(kit);
  });
  afterAll(async () => {
    await kit?.cleanup();
  });

  it('given an enrolment sealed to a key the cloud lacked, when redriven after the key is configured, then the event store and the loyalty view take it once', async () => {
    // Given: the writer and the loyalty projection dead-letter the enrolment they cannot open.
    const heartbeat = kioskEvent(KIOSK, 1, { type: 'kiosk.heartbeat', data: exampleData['kiosk.heartbeat'] });
    await kit.produce([heartbeat, enrolment, viewed(3)]);
    const pii = piiServices(kit.config, configured.config, kit.connections.pg());
    const consumers = await startConsumers(kit.config, kit.connections, kit.log, createServiceMetrics(), { stages: [EVENT_STORE_STAGE, 'loyalty-members', 'store-popularity'], sessionTimeoutMs: 10_000, wrapApplier: pii.wrapApplier });
    const store = await kit.connections.eventStore();
    const pool = kit.connections.pg();
    const s = kit.config.postgresSchema;
    await eventually(async () => (await runGapAudit(store, { kioskIds: [KIOSK] }))[0]?.deadLetteredCount === 1, 'the writer to dead-letter the enrolment');
    await eventually(async () => Number((await pool.query(`SELECT count(*) AS n FROM ${s}.projection_dead_letters`)).rows[0].n) === 1, 'the loyalty projection to dead-letter it');
    await eventually(async () => (await readKioskDayTotals(await kit.connections.mongo(), 'store_popularity', 'stores', '2026-11-01'))['store-redrive']?.['views'] === 1, 'store popularity');
    await consumers.stop();

    // A dry run lists it and applies nothing.
    expect(summary(await cli(['--stage', 'loyalty-members', '--dry-run', '--json']))).toMatchObject({ 'would-redrive': 1, applied: 0 });
    expect(await readMemberPii(pool, s, pii.keys, { memberRef })).toEqual({ status: 'not-found' });

    // When: redriven with the newer key configured.
    expect(summary(await cli(['--stage', 'loyalty-members', '--json']))).toMatchObject({ applied: 1, failed: 0 });
    expect(summary(await cli(['--stage', EVENT_STORE_STAGE, '--kiosk', KIOSK, '--json']))).toMatchObject({ applied: 1, failed: 0 });

    // Then: the member opens in the view, the store holds the event (resealed), the audit counts it stored.
    expect(await readMemberPii(pool, s, pii.keys, { memberRef })).toMatchObject({ status: 'open', fields: { name: 'Rae Moss', email: 'rae@example.org' } });
    const stored: ValidEvent[] = [];
    for await (const e of store.readKiosk(KIOSK, 2, 2)) stored.push(e);
    expect((stored[0]!.data as { sealedPii: { keyId: string } }).sealedPii.keyId).toBe(`member:${memberRef}`);
    expect((await runGapAudit(store, { kioskIds: [KIOSK] }))[0]).toMatchObject({ storedCount: 3, deadLetteredCount: 0, missingCount: 0 });

    // And a second redrive changes nothing.
    expect(summary(await cli(['--stage', 'loyalty-members', '--json']))).toMatchObject({ applied: 0, 'not-dead-lettered': 1 });
    expect(Number((await pool.query(`SELECT enrolments FROM ${s}.loyalty_members WHERE member_ref = $1`, [memberRef])).rows[0].enrolments)).toBe(1);
  }, 300_000);

  it('given a store view dead-lettered from a Mongo view, when redriven twice, then its counter moves once', async () => {
    // Given: the projection's consumer gave up on this event (its mark on the document, its record on the topic).
    const event = viewed(4);
    const db = await kit.connections.mongo();
    await mongoProjectionApplier(db, storePopularityProjection).deadLettered!([{ kioskId: KIOSK, sequence: 4, event, why: { code: 'EVENT_INVALID', reason: 'test: gave up', stage: 'store-popularity' } }]);
    const record = toKafkaRecord(event);
    await kafkaDeadLetterSink(kit.producer, kit.config.topics.processingDeadLetter).send(
      [{ message: { key: Buffer.from(record.key), value: Buffer.from(record.value), headers: record.headers, offset: '0', timestamp: '0', attributes: 0 }, why: { code: 'EVENT_INVALID', reason: 'test: gave up', stage: 'store-popularity' } }],
      new Date(),
    );
    const views = async () => (await readKioskDayTotals(db, 'store_popularity', 'stores', '2026-11-01'))['store-redrive']?.['views'];
    expect(await views()).toBe(1);

    expect(summary(await cli(['--stage', 'store-popularity', '--json']))).toMatchObject({ applied: 1 });
    expect(summary(await cli(['--stage', 'store-popularity', '--json']))).toMatchObject({ applied: 0, 'not-dead-lettered': 1 });
    expect(await views()).toBe(2);
    expect(await cli(['--help'])).toContain('--stage');
  }, 300_000);
});
