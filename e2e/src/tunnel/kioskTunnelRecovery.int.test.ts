import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { eventually } from '../../../provisioning/src/testing/eventually';
import { setKioskLink } from '../../../provisioning/src/testing/netnsRig';
import { opsClient, type OpsClient } from '../../../provisioning/src/testing/opsClient';
import { kioskctl, startTunnelRig, type TunnelRig } from '../../../provisioning/src/testing/tunnelRig';
import { interfaceExists, readWireguardGoPid } from '../../../provisioning/src/wireguard/wgInterface';
import { tallyTopic, topicEnds } from '../pipeline/faultFigures';
import { startTunnelKiosk, type TunnelKiosk } from './tunnelKioskProcess';

// Real WireGuard (wireguard-go) between network namespaces made and removed by the provisioning
// tunnel rig, the real sync gateway on the hub's tunnel address, and a kiosk running its real
// edge (outbox + signed sync client) inside its namespace. Kafka is the shared test stack's.
// The link cut lasts ATRIUM_TUNNEL_CUT_S seconds (default 5; the full fault run uses 60).
const CUT_S = Number(process.env.ATRIUM_TUNNEL_CUT_S ?? 5);

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

/**
 * Runs `fault` on a kiosk whose queue is empty, waits for the queue to drain, and checks on Kafka
 * that every event recorded meanwhile was produced exactly once (records = distinct sequences =
 * the events acknowledged since), and that the kiosk acknowledged up to its last event. `fault`
 * returns the last sequence it recorded and when the fault ended. Returns the events queued.
 */
async function eachQueuedEventOnce(name: string, fault: () => Promise<{ last: number; endedAt: number; what: string }>): Promise<number> {
  const before = await drained(60_000);
  const offsets = await topicEnds(brokers);
  const { last, endedAt, what } = await fault();
  const after = await drained(120_000);
  const queued = after.ackedThrough - before.ackedThrough;
  console.log(`[figure] ${name}: ${queued} events queued, all acknowledged ${((Date.now() - endedAt) / 1000).toFixed(1)} s after ${what}`);
  expect(after.ackedThrough).toBe(last);
  expect(await tallyTopic(brokers, offsets, await topicEnds(brokers), [kioskId])).toEqual({ records: queued, distinct: queued });
  return queued;
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

describe('a kiosk keeps its events through a reboot, a link cut, a key rotation and a revocation, and drains them through its tunnel', () => {
  it('given a kiosk recording events, when it reboots (kiosk app and wireguard-go killed), then kioskctl up restores the tunnel from the enrolment files and everything recorded meanwhile is acknowledged once', { timeout: 240_000 }, async () => {
    await kiosk!.record(5);
    const queued = await eachQueuedEventOnce('reboot', async () => {
      const ackedBefore = (await kiosk!.status()).ackedThrough;
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
      expect(await kiosk!.status()).toMatchObject({ ackedThrough: ackedBefore, lastSequence: last });

      const upArgs = rig.kioskArgs(0).filter((_, i, all) => all[i] !== '--interface' && all[i - 1] !== '--interface');
      const up = await kioskctl(['up', '--json', ...upArgs]);
      expect(up.code, up.stdout + up.stderr).toBe(0);
      expect(JSON.parse(lastLine(up.stdout))).toMatchObject({ deviceId, implementation: 'wireguard-go', gateway: { reachable: true, status: 200 } });
      return { last, endedAt: Date.now(), what: 'kioskctl up returned' };
    });
    expect(queued).toBeGreaterThanOrEqual(12);
  });

  it(`given a kiosk recording events, when its link is cut for ${CUT_S} s, then they queue and all drain once the link is back`, { timeout: (CUT_S + 200) * 1000 }, async () => {
    const queued = await eachQueuedEventOnce(`link cut ${CUT_S} s`, async () => {
      const ackedBefore = (await kiosk!.status()).ackedThrough;
      await setKioskLink(rig.names, 0, 'down');
      const cutAt = Date.now();
      let last = 0;
      // A shopper keeps using the kiosk: a few events each second of the cut.
      while (Date.now() - cutAt < CUT_S * 1000) {
        ({ last } = await kiosk!.record(3));
        await sleep(1_000);
      }
      expect(await kiosk!.status()).toMatchObject({ ackedThrough: ackedBefore, lastSequence: last });
      await setKioskLink(rig.names, 0, 'up');
      return { last, endedAt: Date.now(), what: 'the link came back' };
    });
    expect(queued).toBeGreaterThanOrEqual(3 * CUT_S);
  });

  it('given events queued on the kiosk, when it rotates its keys with kioskctl, then the device keeps its id and the queue drains under the new key', { timeout: 240_000 }, async () => {
    const oldKey = await rig.kioskWgKey(0);
    const queued = await eachQueuedEventOnce('key rotation', async () => {
      await kiosk!.sync('pause');
      const { last } = await kiosk!.record(15);
      const rotated = await kioskctl(['rotate-keys', '--json', ...rig.kioskArgs(0)]);
      expect(rotated.code, rotated.stdout + rotated.stderr).toBe(0);
      expect(JSON.parse(lastLine(rotated.stdout))).toMatchObject({ deviceId, keyGeneration: 2 });
      const newKey = await rig.kioskWgKey(0);
      expect(newKey).not.toBe(oldKey);
      await eventually('the hub to switch peers', async () => {
        const peers = await rig.hubPeers();
        return peers.includes(newKey) && !peers.includes(oldKey) ? true : undefined;
      }, 30_000);
      await kiosk!.sync('resume');
      return { last, endedAt: Date.now(), what: 'the upload loop resumed' };
    });
    expect(queued).toBe(15);
  });

  it('given a revoked kiosk, when it keeps recording, then the hub drops it, the gateway refuses it and its events stay queued; after re-enrolment with ops approval they drain, each acknowledged once', { timeout: 300_000 }, async () => {
    const queued = await eachQueuedEventOnce('revocation', async () => {
      const ackedBefore = (await kiosk!.status()).ackedThrough;
      const key = await rig.kioskWgKey(0);
      const revokedAt = Date.now();
      await ops.revokeDevice(deviceId, 'tunnel test: revoked kiosk');
      await eventually('the hub to drop the revoked peer', async () => (!(await rig.hubPeers()).includes(key) ? true : undefined), 30_000);
      // Past the hub too: the kiosk's own key, signing from inside the hub, is refused by the gateway.
      expect((await rig.kioskRequest(0, 'probe', [], { ns: rig.names.hubNs })).body).toMatchObject({ reachable: false, status: 403, refusal: 'DEVICE_REVOKED' });

      const { last } = await kiosk!.record(20);
      await failedTwiceSince(revokedAt);
      expect(await kiosk!.status()).toMatchObject({ ackedThrough: ackedBefore, lastSequence: last, queue: { total: last - ackedBefore } });
      const status = JSON.parse((await kioskctl(['status', '--json', ...rig.kioskArgs(0)])).stdout);
      expect(status).toMatchObject({ deviceId, gateway: { reachable: false }, queue: { depth: last - ackedBefore } });

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
      return { last, endedAt: Date.now(), what: 'the approved re-enrolment returned' };
    });
    expect(queued).toBe(20);
    const status = JSON.parse((await kioskctl(['status', '--json', ...rig.kioskArgs(0)])).stdout);
    expect(status).toMatchObject({ gateway: { reachable: true }, queue: { depth: 0, lastSyncAt: expect.any(String) } });
  });
});
