import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterHeaders, type ValidEvent } from '@atrium/contracts';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import { ALL_PROJECTIONS } from '../config/cloudConfig';
import { EVENT_STORE_STAGE } from '../eventStore/eventStoreWriter';
import { headersAsStrings } from '../kafka/decodeRecord';
import { createServiceMetrics } from '../metrics/serviceMetrics';
import { pgMemberKeyStore } from '../pii/memberKeyStore';
import { eraseMemberPii } from '../pii/memberPii';
import { piiServices } from '../pii/piiServices';
import { addPiiTables, sealedEnrolment, testPiiKeys } from '../pii/piiTesting';
import { startConsumers } from '../runtime/cloudConsumers';
import { createCloudTestKit, eventually, type CloudTestKit } from '../testing/cloudTestKit';
import { expectedTypeCounts, mixedEvents } from '../testing/eventMix';
import { expectedCounts, viewCounts } from '../testing/viewSnapshot';
import { CRM_STAGE } from './crmApplier';
import { startCrmTestServer, type CrmTestServer } from './crmTestServer';

const KIOSKS = ['mall-31-k001', 'mall-31-k002'];
const piiOf = (kioskId: string, seq: number) => ({ name: `Member ${kioskId} ${seq}`, email: `m${seq}.${kioskId}@example.org` });
const memberRefOf = (e: ValidEvent) => (e.data as { memberRef: string }).memberRef;
const total = (requests: Map<string, number>) => [...requests.values()].reduce((a, b) => a + b, 0);

describe('CRM forwarder: a separate process behind a timeout, retries and a circuit breaker', () => {
  let kit: CloudTestKit;
  let crm: CrmTestServer;
  let forwarder: ChildProcess;
  let forwarderLog = '';
  let consumers: Awaited<ReturnType<typeof startConsumers>>;
  const keys = testPiiKeys();
  // Kiosk events with every enrolment sealed to the test cloud key.
  const eventsOf = (from: number, to: number) =>
    KIOSKS.flatMap((k) => mixedEvents(k, from, to, 'offer-crm').map((e) => (e.type === 'mall.loyalty.enrolled' ? sealedEnrolment(k, e.sequence, piiOf(k, e.sequence), keys, { time: new Date(e.time) }) : e)));
  const settled = (n: number) => eventually(async () => isDeepStrictEqual(await viewCounts(kit, KIOSKS), expectedCounts(KIOSKS.length, n, expectedTypeCounts(n))), `every view through sequence ${n}`, 240_000);

  beforeAll(async () => {
    kit = await createCloudTestKit('crm', 2);
    await addPiiTables(kit);
    crm = await startCrmTestServer();
    consumers = await startConsumers(kit.config, kit.connections, kit.log, createServiceMetrics(), {
      stages: [EVENT_STORE_STAGE, ...ALL_PROJECTIONS],
      sessionTimeoutMs: 10_000,
      wrapApplier: piiServices(kit.config, keys.config, kit.connections.pg()).wrapApplier,
    });
    const root = findRepoPaths().root;
    forwarder = spawn(process.execPath, ['--import', 'tsx', join(root, 'cloud-services/src/integrations/crmForwarder.ts'), '--session-timeout-ms', '10000'], {
      cwd: root,
      env: {
        ...process.env,
        ...kit.env,
        ATRIUM_PII_MEMBER_KEK: keys.config.memberKeyWrapKey,
        ATRIUM_CRM_URL: crm.url,
        ATRIUM_CRM_TIMEOUT_MS: '300',
        ATRIUM_CRM_RETRIES: '2',
        ATRIUM_CRM_BACKOFF_INITIAL_MS: '50',
        ATRIUM_CRM_BACKOFF_MAX_MS: '200',
        ATRIUM_CRM_BREAKER_AFTER: '3',
        ATRIUM_CRM_BREAKER_HALF_OPEN_MS: '1000',
        ATRIUM_CRM_ERASURE_POLL_MS: '500',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => void (forwarderLog = (forwarderLog + chunk.toString()).slice(-20_000));
    forwarder.stdout!.on('data', keep);
    forwarder.stderr!.on('data', keep);
  });
  afterAll(async () => {
    if (forwarder && forwarder.exitCode === null) {
      const exited = new Promise((resolve) => forwarder.once('exit', resolve));
      forwarder.kill('SIGTERM');
      await exited;
    }
    await consumers?.stop();
    await crm?.stop().catch(() => undefined);
    await kit?.cleanup();
  });

  it('given a slow and then a dead CRM, when kiosks keep sending, then the event store and every view keep up, and once the CRM is back every enrolment reaches it once per member ref', async () => {
    const first = eventsOf(1, 16);
    const second = eventsOf(17, 32);
    const members = [...first, ...second].filter((e) => e.type === 'mall.loyalty.enrolled');

    // Given a CRM that takes requests and never answers.
    crm.mode = 'hang';
    await kit.produce(first);
    // Then the store and the views take every event, while the forwarder is stuck on the CRM.
    await settled(16);
    await eventually(async () => total(crm.requests) > 0, 'the forwarder to try the slow CRM', 120_000);
    expect(crm.members.size).toBe(0);

    // Given a CRM that refuses connections.
    await crm.stop();
    await kit.produce(second);
    await settled(32);
    expect(crm.members.size).toBe(0);

    // When the CRM is back, then every enrolment reaches it, under its member ref.
    crm.mode = 'up';
    await crm.start();
    await eventually(async () => crm.members.size === members.length, 'every member at the CRM', 180_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}: ${crm.members.size}/${members.length}\n${forwarderLog}`);
    });
    expect(new Set(crm.members.keys())).toEqual(new Set(members.map(memberRefOf)));
    for (const e of members) {
      expect(crm.members.get(memberRefOf(e))).toMatchObject({ memberRef: memberRefOf(e), ...piiOf(e.kioskid, e.sequence), kioskId: e.kioskid, mallId: 'mall-31' });
    }
  }, 600_000);

  it('given a forwarded member, when erased, then the forwarder deletes them at the CRM and marks the erasure told', async () => {
    const [member] = [...crm.members.values()];
    const memberKeys = pgMemberKeyStore(kit.connections.pg(), kit.config.postgresSchema, Buffer.from(keys.config.memberKeyWrapKey, 'base64'));
    await eraseMemberPii(kit.connections.pg(), kit.config.postgresSchema, memberKeys, member!.memberRef, new Date());
    await eventually(async () => crm.deleted.has(member!.memberRef), 'the erasure at the CRM', 120_000);
    expect(crm.members.has(member!.memberRef)).toBe(false);
    await eventually(async () => (await kit.connections.pg().query(`SELECT crm_erased_at FROM ${kit.config.postgresSchema}.member_erasures`)).rows[0]?.crm_erased_at != null, 'the erasure stamped');
  });

  it('given a CRM that refuses one record, when forwarded, then that record goes to the dead-letter topic and the next one still arrives', async () => {
    const refused = sealedEnrolment('mall-31-k003', 1, piiOf('mall-31-k003', 1), keys);
    const next = sealedEnrolment('mall-31-k003', 2, piiOf('mall-31-k003', 2), keys);
    crm.refuse.add(memberRefOf(refused));
    await kit.produce([refused, next]);
    await eventually(async () => crm.members.has(memberRefOf(next)), 'the record after the refused one', 180_000);
    expect(crm.members.has(memberRefOf(refused))).toBe(false);

    const dlq = kit.connections.kafka.consumer({ groupId: `${kit.config.groupPrefix}.crm-dlq-reader` });
    await dlq.connect();
    await dlq.subscribe({ topic: kit.config.topics.processingDeadLetter, fromBeginning: true });
    const seen: Record<string, string>[] = [];
    await dlq.run({ eachMessage: async ({ message }) => void seen.push(headersAsStrings(message.headers)) });
    await eventually(async () => seen.some((h) => h['ce_id'] === refused.id), 'the refused record on the dead-letter topic').finally(() => dlq.disconnect());
    const record = seen.find((h) => h['ce_id'] === refused.id)!;
    expect(record[deadLetterHeaders.stage]).toBe(CRM_STAGE);
    expect(record[deadLetterHeaders.reason]).toMatch(/CRM refused member .* 422/);
  }, 300_000);
});
