import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { eventually } from '../../../provisioning/src/testing/eventually';
import { opsClient, type OpsClient } from '../../../provisioning/src/testing/opsClient';
import { kioskctl, startTunnelRig, type TunnelRig } from '../../../provisioning/src/testing/tunnelRig';
import { interfaceExists, readWireguardGoPid } from '../../../provisioning/src/wireguard/wgInterface';
import { tallyTopic, topicEnds } from '../pipeline/faultFigures';
import { startTunnelKiosk, type TunnelKiosk } from './tunnelKioskProcess';

// Real WireGuard (wireguard-go) between network namespaces made and removed by the provisioning
// tunnel rig, the real sync gateway on the hub's tunnel address, and a kiosk running its real
// edge (outbox + signed sync client) inside its namespace. Kafka is the shared test stack's.

let rig: TunnelRig;
let ops: OpsClient;
let kiosk: TunnelKiosk | undefined;
let kioskId = '';
let deviceId = '';
const brokers = testEndpoints().kafkaBrokers;

const lastLine = (text: string): string => text.trim().split('\n').pop() ?? '';
const startKiosk = async (): Promise<TunnelKiosk> => (kiosk = await startTunnelKiosk(rig.names.kiosks[0]!.ns, rig.kioskDataDir(0)));

/** Waits until the kiosk's sync client has acknowledged everything it recorded. */
async function drained(limitMs: number): Promise<{ lastSequence: number; ackedThrough: number }> {
  return eventually(
    'the queue to drain',
    async () => {
      const s = await kiosk!.status();
      return s.ackedThrough === s.lastSequence && s.queue.total === 0 ? { lastSequence: s.lastSequence, ackedThrough: s.ackedThrough } : undefined;
    },
    limitMs,
  );
}

/** Waits for two failed upload attempts after `sinceMs` (the kiosk tried and could not deliver). */
async function failedTwiceSince(sinceMs: number): Promise<void> {
  const firstAt = await eventually(
    'a failed upload',
    async () => {
      const error = (await kiosk!.status()).lastError;
      return error && error.at > sinceMs ? error.at : undefined;
    },
    60_000,
  );
  await eventually('a second failed upload', async () => (((await kiosk!.status()).lastError?.at ?? 0) > firstAt ? true : undefined), 60_000);
}

/** Records made on the topic for this kiosk between two snapshots: all of them, and distinct sequences. */
async function producedSince(before: Map<number, bigint>): Promise<{ records: number; distinct: number }> {
  return tallyTopic(brokers, before, await topicEnds(brokers), [kioskId]);
}

beforeAll(async () => {
  rig = await startTunnelRig(1);
  ops = opsClient(rig.ops.baseUrl, rig.ops.adminToken);
  kioskId = `kiosk-${rig.mallId.replace(/^mall-/, '')}`; // unique per run: the topic is shared
  const { token } = await ops.createToken({ mallId: rig.mallId, kioskId, ttlS: 600 });
  const enrol = await kioskctl(['enrol', '--token', token, '--server', rig.serverUrl, '--json', ...rig.kioskArgs(0)]);
  if (enrol.code !== 0) throw new Error(`enrolment failed: ${enrol.stdout}${enrol.stderr}`);
  deviceId = JSON.parse(lastLine(enrol.stdout)).deviceId;
  await startKiosk();
}, 300_000);

afterAll(async () => {
  await kiosk?.stop('SIGTERM');
  await rig?.destroy();
}, 120_000);

describe('a kiosk keeps its events through a reboot and a revocation, and drains them through its tunnel', () => {
  it('given a kiosk recording events, when it reboots (kiosk app and wireguard-go killed), then kioskctl up restores the tunnel from the enrolment files and everything recorded meanwhile is acknowledged once', { timeout: 240_000 }, async () => {
    await kiosk!.record(5);
    const before = await drained(60_000);
    const offsets = await topicEnds(brokers);

    // The reboot: the kiosk app and wireguard-go die; the interface goes with its process.
    const k = rig.names.kiosks[0]!;
    await kiosk!.stop('SIGKILL');
    process.kill(readWireguardGoPid(join(rig.kioskDataDir(0), 'run'), k.interfaceName)!, 'SIGKILL'); // started by kioskctl for this test
    await eventually('the interface to vanish', async () => (!(await interfaceExists({ netns: k.ns }, k.interfaceName)) ? true : undefined), 15_000);

    // Boot: the kiosk app starts before the tunnel is back and records into its outbox.
    const bootedAt = Date.now();
    await startKiosk();
    const { last } = await kiosk!.record(12);
    await failedTwiceSince(bootedAt);
    expect(await kiosk!.status()).toMatchObject({ ackedThrough: before.ackedThrough, lastSequence: last });

    const upArgs = rig.kioskArgs(0).filter((_, i, all) => all[i] !== '--interface' && all[i - 1] !== '--interface');
    const up = await kioskctl(['up', '--json', ...upArgs]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(JSON.parse(lastLine(up.stdout))).toMatchObject({ deviceId, implementation: 'wireguard-go', gateway: { reachable: true, status: 200 } });
    const upAt = Date.now();

    const after = await drained(120_000);
    const queuedDuringReboot = after.ackedThrough - before.ackedThrough;
    console.log(`[figure] reboot: ${queuedDuringReboot} events queued while the tunnel was down, all acknowledged ${((Date.now() - upAt) / 1000).toFixed(1)} s after kioskctl up returned`);
    expect(after.ackedThrough).toBe(last);
    expect(queuedDuringReboot).toBeGreaterThanOrEqual(12);
    expect(await producedSince(offsets)).toEqual({ records: queuedDuringReboot, distinct: queuedDuringReboot });
  });

  it('given a revoked kiosk, when it keeps recording, then the hub drops it, the gateway refuses it and its events stay queued; after re-enrolment with ops approval they drain, each acknowledged once', { timeout: 300_000 }, async () => {
    const before = await drained(60_000);
    const offsets = await topicEnds(brokers);
    const oldKey = await rig.kioskWgKey(0);

    const revokedAt = Date.now();
    await ops.revokeDevice(deviceId, 'tunnel test: revoked kiosk');
    await eventually('the hub to drop the revoked peer', async () => (!(await rig.hubPeers()).includes(oldKey) ? true : undefined), 30_000);
    // Past the hub too: the kiosk's own key, signing from inside the hub, is refused by the gateway.
    expect((await rig.kioskRequest(0, 'probe', [], { ns: rig.names.hubNs })).body).toMatchObject({ reachable: false, status: 403, refusal: 'DEVICE_REVOKED' });

    const { last } = await kiosk!.record(20);
    await failedTwiceSince(revokedAt);
    expect(await kiosk!.status()).toMatchObject({ ackedThrough: before.ackedThrough, lastSequence: last, queue: { total: last - before.ackedThrough } });
    const status = JSON.parse((await kioskctl(['status', '--json', ...rig.kioskArgs(0)])).stdout);
    expect(status).toMatchObject({ deviceId, gateway: { reachable: false }, queue: { depth: last - before.ackedThrough } });

    // Re-enrolment: a new token; the known keys make it wait for ops; ops approve; the same command again.
    const { token } = await ops.createToken({ mallId: rig.mallId, kioskId, ttlS: 600 });
    const flagged = await kioskctl(['enrol', '--token', token, '--server', rig.serverUrl, ...rig.kioskArgs(0)]);
    expect(flagged.code).toBe(1);
    expect(flagged.stdout).toContain('APPROVAL_REQUIRED');
    expect(flagged.stdout).toMatch(/→ .*ask ops to approve/);
    const pending = (await ops.approvals(rig.mallId)).approvals.find((a) => a.kioskId === kioskId && a.status === 'pending');
    expect(pending).toMatchObject({ reasons: expect.arrayContaining(['keys-registered']), matchedDeviceIds: [deviceId] });
    await ops.approve(pending!.approvalId);

    const reEnrolled = await kioskctl(['enrol', '--token', token, '--server', rig.serverUrl, '--gateway-timeout', '90', '--json', ...rig.kioskArgs(0)]);
    expect(reEnrolled.code, reEnrolled.stdout + reEnrolled.stderr).toBe(0);
    expect(JSON.parse(lastLine(reEnrolled.stdout))).toMatchObject({ deviceId, reusedEnrolment: false, gateway: { reachable: true, status: 200 } });
    const reEnrolledAt = Date.now();

    const after = await drained(120_000);
    const queuedWhileRevoked = after.ackedThrough - before.ackedThrough;
    console.log(`[figure] revocation: ${queuedWhileRevoked} events queued while revoked, all acknowledged ${((Date.now() - reEnrolledAt) / 1000).toFixed(1)} s after the approved re-enrolment returned`);
    expect(after.ackedThrough).toBe(last);
    expect(queuedWhileRevoked).toBe(20);
    expect(await producedSince(offsets)).toEqual({ records: 20, distinct: 20 });
    expect(JSON.parse((await kioskctl(['status', '--json', ...rig.kioskArgs(0)])).stdout)).toMatchObject({ gateway: { reachable: true }, queue: { depth: 0 } });
  });
});
