import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidEvent } from '@atrium/contracts';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import { ALL_PROJECTIONS } from '../config/cloudConfig';
import { EVENT_STORE_STAGE } from '../eventStore/eventStoreWriter';
import { buildOpsApp } from '../http/opsApp';
import { createServiceMetrics } from '../metrics/serviceMetrics';
import { memberRoutes } from '../ops/memberRoutes';
import { rebuildView } from '../replay/rebuildView';
import { startConsumers } from '../runtime/cloudConsumers';
import { createCloudTestKit, eventually, type CloudTestKit } from '../testing/cloudTestKit';
import { expectedTypeCounts, mixedEvents } from '../testing/eventMix';
import { viewContents } from '../testing/viewContents';
import { expectedCounts, viewCounts } from '../testing/viewSnapshot';
import { eraseMemberPii, openMemberBox, readMemberPii } from './memberPii';
import { piiServices, type PiiServices } from './piiServices';
import { addPiiTables, sealedEnrolment, testPiiKeys } from './piiTesting';
import { openSealedBox, x25519PrivateKey, type SealedBoxValue } from './sealedBoxCrypto';

const run = promisify(execFile);
const KIOSKS = ['mall-21-k001', 'mall-21-k002'];
const piiOf = (kioskId: string, seq: number) => ({ name: `Shopper ${kioskId} ${seq}`, email: `s${seq}.${kioskId}@example.org` });
const memberRefOf = (e: ValidEvent) => (e.data as { memberRef: string }).memberRef;
const boxOf = (e: ValidEvent) => (e.data as { sealedPii: SealedBoxValue }).sealedPii;

describe('loyalty PII: resealed to member keys, erased by crypto-shredding', () => {
  let kit: CloudTestKit;
  let pii: PiiServices;
  const keys = testPiiKeys();
  const cloudKey = x25519PrivateKey(Buffer.from(keys.config.cloudPrivateKey, 'base64'));
  // Every kiosk's mixed events, with each enrolment sealed on the "kiosk" to the test cloud key.
  const events = KIOSKS.flatMap((k) => mixedEvents(k, 1, 16, 'offer-pii').map((e) => (e.type === 'mall.loyalty.enrolled' ? sealedEnrolment(k, e.sequence, piiOf(k, e.sequence), keys, { time: new Date(e.time) }) : e)));
  const enrolments = events.filter((e) => e.type === 'mall.loyalty.enrolled');
  const [ana, ben] = enrolments as [ValidEvent, ValidEvent];
  const stored = async (e: ValidEvent) => {
    for await (const row of (await kit.connections.eventStore()).readKiosk(e.kioskid, e.sequence, e.sequence)) return row;
    throw new Error(`${e.kioskid} #${e.sequence} is not in the event store`);
  };

  beforeAll(async () => {
    kit = await createCloudTestKit('pii', 2);
    await addPiiTables(kit);
    pii = piiServices(kit.config, keys.config, kit.connections.pg());
  });
  afterAll(async () => {
    await kit?.cleanup();
  });

  it('given enrolments sealed on kiosks to the cloud key, when the writer and the projections run, then the store and the loyalty view hold the PII only under member keys, and a rebuild equals the live view', async () => {
    await kit.produce(events);
    const consumers = await startConsumers(kit.config, kit.connections, kit.log, createServiceMetrics(), { stages: [EVENT_STORE_STAGE, ...ALL_PROJECTIONS], sessionTimeoutMs: 10_000, wrapApplier: pii.wrapApplier });
    const expected = expectedCounts(KIOSKS.length, 16, expectedTypeCounts(16));
    await eventually(async () => isDeepStrictEqual(await viewCounts(kit, KIOSKS), expected), 'every view', 240_000)
      .catch(async (error: unknown) => {
        throw new Error(`${(error as Error).message}: ${JSON.stringify(await viewCounts(kit, KIOSKS))} != ${JSON.stringify(expected)}`);
      })
      .finally(() => consumers.stop());

    for (const enrolment of enrolments) {
      const memberRef = memberRefOf(enrolment);
      expect(await readMemberPii(kit.connections.pg(), kit.config.postgresSchema, pii.keys, { memberRef })).toEqual({ status: 'open', memberRef, fields: piiOf(enrolment.kioskid, enrolment.sequence) });
      const row = await stored(enrolment);
      expect(boxOf(row).keyId).toBe(`member:${memberRef}`);
      expect(await openMemberBox(pii.keys, memberRef, boxOf(row))).toMatchObject({ status: 'open', fields: piiOf(enrolment.kioskid, enrolment.sequence) });
      expect(() => openSealedBox(boxOf(row), cloudKey)).toThrow();
      // The writer and the projection sealed the same bytes (deterministic resealing).
      const view = await kit.connections.pg().query(`SELECT sealed_pii FROM ${kit.config.postgresSchema}.loyalty_members WHERE member_ref = $1`, [memberRef]);
      expect(view.rows[0].sealed_pii).toEqual(boxOf(row));
    }
    // A rebuild from the event store (which holds the member-sealed boxes) equals the live view.
    await rebuildView('loyalty-members', kit.config, kit.connections, { swap: false });
    expect(await viewContents(kit, 'loyalty-members', '_rebuild')).toEqual(await viewContents(kit, 'loyalty-members'));
    const raw = await (await kit.connections.cassandra()).execute('SELECT data FROM events_by_kiosk WHERE kiosk_id = ? AND bucket = 0', [ana.kioskid], { prepare: true });
    expect(raw.rows.map((r) => String(r.get('data'))).join('\n')).not.toContain('example.org');
  }, 300_000);

  it('given a member, when ops erases their PII, then it opens neither in the view nor in the event store, while every event and view stays as it was', async () => {
    const before = await viewCounts(kit, KIOSKS);
    const app = await buildOpsApp({
      log: kit.log,
      metrics: createServiceMetrics(),
      audit: async () => [],
      fleetStatus: async () => [],
      consumers: () => [],
      routes: [memberRoutes({ erase: (ref, now) => eraseMemberPii(kit.connections.pg(), kit.config.postgresSchema, pii.keys, ref, now) })],
    });

    const erased = await app.inject({ method: 'DELETE', url: `/members/${memberRefOf(ana)}/pii` });
    expect(erased.statusCode).toBe(200);
    expect(erased.json()).toMatchObject({ memberRef: memberRefOf(ana), keysShredded: 1 });
    expect((await app.inject({ method: 'DELETE', url: `/members/${memberRefOf(ana)}/pii` })).json()).toMatchObject({ keysShredded: 0 });
    const unknown = await app.inject({ method: 'DELETE', url: '/members/0194f000-0000-7000-8000-000000000000/pii' });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'NOT_FOUND']);

    const memberRef = memberRefOf(ana);
    expect(await readMemberPii(kit.connections.pg(), kit.config.postgresSchema, pii.keys, { memberRef })).toEqual({ status: 'erased', memberRef });
    const row = await stored(ana);
    expect(await openMemberBox(pii.keys, memberRef, boxOf(row))).toEqual({ status: 'erased', memberRef });
    expect(() => openSealedBox(boxOf(row), cloudKey)).toThrow();
    // Everyone else, every event and every view: unchanged.
    expect(await readMemberPii(kit.connections.pg(), kit.config.postgresSchema, pii.keys, { memberRef: memberRefOf(ben) })).toMatchObject({ status: 'open' });
    expect(await viewCounts(kit, KIOSKS)).toEqual(before);
    expect(row).toMatchObject({ id: ana.id, type: ana.type, kioskid: ana.kioskid, sequence: ana.sequence });
  });

  it('given an erased shopper, when an older enrolment of theirs arrives late, then it is stored without PII; a later re-enrolment gets a new key', async () => {
    const email = piiOf(ana.kioskid, ana.sequence);
    const late = sealedEnrolment('mall-21-k003', 1, email, keys, { time: new Date(Date.parse(ana.time) + 1_000) });
    const again = sealedEnrolment('mall-21-k003', 2, email, keys, { time: new Date(Date.now() + 86_400_000) });
    await kit.produce([late, again]);
    const consumers = await startConsumers(kit.config, kit.connections, kit.log, createServiceMetrics(), { stages: [EVENT_STORE_STAGE], sessionTimeoutMs: 10_000, wrapApplier: pii.wrapApplier });
    await eventually(async () => (await viewCounts(kit, ['mall-21-k003'])).storedEvents === 2, 'late enrolments stored').finally(() => consumers.stop());

    expect(boxOf(await stored(late)).keyId).toBe('erased');
    expect(await pii.keys.keyOf(memberRefOf(late))).toBeUndefined();
    expect(await openMemberBox(pii.keys, memberRefOf(again), boxOf(await stored(again)))).toMatchObject({ status: 'open', fields: email });
  });

  it('given a member, when erased with the CLI, then their PII no longer opens', async () => {
    const cli = join(findRepoPaths().root, 'cloud-services/src/pii/erasureCli.ts');
    const env = { ...process.env, ...kit.env, ...keys.env };
    const root = findRepoPaths().root;
    expect((await run(process.execPath, ['--import', 'tsx', cli, '--help'], { cwd: root, env })).stdout).toContain('--member');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, '--member', memberRefOf(ben), '--json'], { cwd: root, env });
    expect(JSON.parse(stdout)).toMatchObject({ memberRef: memberRefOf(ben), keysShredded: 1 });
    expect(await readMemberPii(kit.connections.pg(), kit.config.postgresSchema, pii.keys, { memberRef: memberRefOf(ben) })).toMatchObject({ status: 'erased' });
  });
});
