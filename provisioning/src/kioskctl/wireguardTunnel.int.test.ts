import { cpSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsClient, type OpsClient } from '../testing/opsClient';
import { setKioskLink } from '../testing/netnsRig';
import { HUB, kioskctl, nodeInNetns, runToEnd, startTunnelRig, type TunnelRig } from '../testing/tunnelRig';
import { runCommand } from '../wireguard/runCommand';
import { parseWgDump } from '../wireguard/wgDump';
import { configureInterfaceAddressing, ensureWireguardInterface, removeWireguardInterface, setInterfaceKey } from '../wireguard/wgInterface';

// Real WireGuard (wireguard-go) between network namespaces. The link cut lasts
// ATRIUM_TUNNEL_CUT_S seconds (the full fault run uses 60; the default keeps this run short).
const CUT_S = Number(process.env.ATRIUM_TUNNEL_CUT_S ?? 5);

let rig: TunnelRig;
let ops: OpsClient;
let kiosk1Token = '';

interface KioskAnswer {
  ok: boolean;
  status: number | null;
  body: unknown;
  error: string | null;
  ms: number;
}

async function fromKiosk(index: number, args: string[]): Promise<KioskAnswer> {
  const [file, argv] = nodeInNetns(rig.names.kiosks[index]!.ns, 'provisioning/src/testing/kioskRequest.ts', args);
  const run = await runToEnd(file, argv, 60_000);
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as KioskAnswer;
  } catch {
    throw new Error(`kioskRequest failed (${run.code}): ${run.stderr || run.stdout}`);
  }
}
const getThroughTunnel = (index: number, timeoutMs = 3_000) => fromKiosk(index, ['get', rig.kioskDataDir(index), '/v1/content', String(timeoutMs)]);
const uploadEvents = (index: number, first: number, count: number) => fromKiosk(index, ['events', rig.kioskDataDir(index), String(first), String(count)]);

function kioskArgs(index: number): string[] {
  const k = rig.names.kiosks[index]!;
  return ['--netns', k.ns, '--data-dir', rig.kioskDataDir(index), '--interface', k.interfaceName, '--hardware-id', `rig-${k.ns}`];
}

async function hubPeers(): Promise<string[]> {
  return parseWgDump(await runCommand({ netns: rig.names.hubNs }, 'wg', ['show', rig.names.hubInterface, 'dump'])).peers.map((p) => p.publicKey);
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, limitMs: number): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${limitMs} ms`);
    await sleep(250);
  }
}


const wgKey = async (index: number): Promise<string> =>
  (await runCommand({ netns: rig.names.kiosks[index]!.ns }, 'wg', ['show', rig.names.kiosks[index]!.interfaceName, 'public-key'])).trim();

beforeAll(async () => {
  rig = await startTunnelRig(3);
  ops = opsClient(rig.ops.baseUrl, rig.ops.adminToken);
}, 300_000);

afterAll(async () => {
  await rig?.destroy();
}, 120_000);

describe('kiosks enrol with kioskctl and talk to the sync gateway through their own WireGuard tunnel', () => {
  it('given a fresh token, when the technician runs kioskctl enrol, then the kiosk is in the fleet and its signed events reach the gateway through the tunnel', async () => {
    const { token } = await ops.createToken({ mallId: rig.mallId, kioskId: 'kiosk-1', ttlS: 600 });
    kiosk1Token = token;
    const run = await kioskctl(['enrol', '--token', token, '--server', rig.serverUrl, '--mall', rig.mallId, '--json', ...kioskArgs(0)]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ kioskId: 'kiosk-1', mallId: rig.mallId, implementation: 'wireguard-go', gateway: { reachable: true } });
    console.log(`[figure] kioskctl enrol → first answer through the tunnel: ${summary.secondsToFirstAnswer.toFixed(2)} s inside kioskctl, ${(run.ms / 1000).toFixed(2)} s wall clock including process start (goal ≤ 10 s)`);

    const upload = await uploadEvents(0, 1, 3);
    expect(upload).toMatchObject({ ok: true, status: 200, body: { ackedThrough: 3, accepted: 3 } });
    expect(await hubPeers()).toContain(await wgKey(0));
  });

  it('given a used, expired or wrong-mall token, when kioskctl enrols with it, then it fails saying what to do next; with a good token it joins', async () => {
    const reuse = await kioskctl(['enrol', '--token', kiosk1Token, '--server', rig.serverUrl, ...kioskArgs(1)]);
    expect(reuse.code).toBe(1);
    expect(reuse.stdout).toContain('TOKEN_USED');
    expect(reuse.stdout).toMatch(/→ .*ask ops for a new token/);

    const expired = await ops.createToken({ mallId: rig.mallId, kioskId: 'kiosk-2', ttlS: 600 });
    await rig.ops.pool.query(`UPDATE atrium.enrolment_tokens SET expires_at = now() - interval '1 minute' WHERE token_id = $1`, [expired.tokenId]);
    const late = await kioskctl(['enrol', '--token', expired.token, '--server', rig.serverUrl, ...kioskArgs(1)]);
    expect(late.code).toBe(1);
    expect(late.stdout).toContain('TOKEN_EXPIRED');

    const good = await ops.createToken({ mallId: rig.mallId, kioskId: 'kiosk-2', ttlS: 600 });
    const wrongMall = await kioskctl(['enrol', '--token', good.token, '--server', rig.serverUrl, '--mall', 'some-other-mall', ...kioskArgs(1)]);
    expect(wrongMall.code).toBe(1);
    expect(wrongMall.stdout).toContain('TOKEN_SCOPE_MISMATCH');

    const joined = await kioskctl(['enrol', '--token', good.token, '--server', rig.serverUrl, '--mall', rig.mallId, ...kioskArgs(1)]);
    expect(joined.code, joined.stdout + joined.stderr).toBe(0);
    expect(joined.stdout).toContain('Enrolled: kiosk kiosk-2');
    expect((await uploadEvents(1, 1, 2)).body).toMatchObject({ ackedThrough: 2 });
    expect((await getThroughTunnel(0)).ok).toBe(true);
  });

  it('given an enrolled kiosk, when kioskctl enrol runs again with the same token, then the enrolment is reused and status and diag report a healthy tunnel', async () => {
    const before = await wgKey(0);
    const again = await kioskctl(['enrol', '--token', kiosk1Token, '--server', rig.serverUrl, '--json', ...kioskArgs(0)]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').pop()!)).toMatchObject({ reusedEnrolment: true, kioskId: 'kiosk-1', gateway: { reachable: true } });
    expect(await wgKey(0)).toBe(before);

    const status = await kioskctl(['status', '--json', ...kioskArgs(0)]);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed).toMatchObject({ enrolled: true, kioskId: 'kiosk-1', tunnel: { interfaceUp: true, routedThroughTunnel: true }, gateway: { reachable: true }, hardwareMatches: true, keyFilesPrivate: true });
    expect(parsed.tunnel.handshakeAgeS).toBeGreaterThanOrEqual(0);
    expect(typeof parsed.clockOffsetMs).toBe('number');
    expect(parsed.disk.freeBytes).toBeGreaterThan(0);

    const diag = await kioskctl(['diag', '--json', ...kioskArgs(0)]);
    expect(diag.code, diag.stdout).toBe(0);
    expect(JSON.parse(diag.stdout).checks.filter((c: { verdict: string }) => c.verdict === 'fail')).toEqual([]);
  });

  it(
    `given a working tunnel, when the link is cut for ${CUT_S} s and restored, then the tunnel recovers by itself`,
    async () => {
      expect((await getThroughTunnel(0)).ok).toBe(true);
      await setKioskLink(rig.names, 0, 'down');
      const during = await getThroughTunnel(0, 2_000);
      expect(during.ok).toBe(false);
      await sleep(Math.max(0, CUT_S * 1000 - during.ms));
      await setKioskLink(rig.names, 0, 'up');
      const restored = Date.now();
      await eventually('a request through the restored tunnel', async () => ((await getThroughTunnel(0, 2_000)).ok ? true : undefined), 90_000);
      console.log(`[figure] tunnel recovery after a ${CUT_S} s link cut: ${((Date.now() - restored) / 1000).toFixed(2)} s from link up to the first answer`);
      expect((await uploadEvents(0, 4, 2)).body).toMatchObject({ ackedThrough: 5 });
    },
    (CUT_S + 150) * 1000,
  );

  it('given an enrolled kiosk, when it rotates its keys with kioskctl, then the hub switches peers and the device keeps its id', async () => {
    const oldKey = await wgKey(0);
    const before = JSON.parse((await kioskctl(['status', '--json', ...kioskArgs(0)])).stdout);
    const rotated = await kioskctl(['rotate-keys', '--json', ...kioskArgs(0)]);
    expect(rotated.code, rotated.stdout + rotated.stderr).toBe(0);
    const result = JSON.parse(rotated.stdout.trim().split('\n').pop()!);
    expect(result).toMatchObject({ deviceId: before.deviceId, keyGeneration: 2 });
    const newKey = await wgKey(0);
    expect(newKey).not.toBe(oldKey);
    await eventually('the hub to switch peers', async () => {
      const peers = await hubPeers();
      return peers.includes(newKey) && !peers.includes(oldKey) ? true : undefined;
    }, 30_000);
    expect((await uploadEvents(0, 6, 1)).body).toMatchObject({ ackedThrough: 6 });
  });

  it('given a copy of an enrolled kiosk\'s disk on other hardware, when it tries to pass as the original, then kioskctl refuses and the hub flags the shared key', { timeout: 150_000 }, async () => {
    // Kiosk 3's namespace plays the other machine; the copied data folder holds kiosk 1's keys.
    const cloneDir = join(rig.dir, 'clone');
    cpSync(rig.kioskDataDir(0), cloneDir, { recursive: true, filter: (path) => !path.includes(`${sep}run`) });
    const clone = rig.names.kiosks[2]!;
    const cloneArgs = ['--netns', clone.ns, '--data-dir', cloneDir, '--interface', clone.interfaceName, '--hardware-id', `rig-${clone.ns}`];
    const refused = await kioskctl(['enrol', '--token', kiosk1Token, '--server', rig.serverUrl, ...cloneArgs]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/enrolled on other hardware/);
    const rotation = await kioskctl(['rotate-keys', ...cloneArgs]);
    expect(rotation.code).toBe(1);
    expect(rotation.stdout).toContain('FORBIDDEN');

    // Bringing the copied tunnel up by hand still does not pass unnoticed: the hub sees one key
    // arriving from two hosts.
    const scope = { netns: clone.ns };
    await ensureWireguardInterface(scope, clone.interfaceName, join(cloneDir, 'run'));
    await runCommand(scope, 'wg', ['setconf', clone.interfaceName, join(cloneDir, 'wireguard', `${rig.names.kiosks[0]!.interfaceName}.conf`)]);
    await setInterfaceKey(scope, clone.interfaceName, join(cloneDir, 'keys/wireguard.key'));
    await configureInterfaceAddressing(scope, clone.interfaceName, `${JSON.parse(readFileSync(join(cloneDir, 'enrolment.json'), 'utf8')).vpnAddress}/32`, [`${HUB.tunnelAddress}/32`]);
    await eventually(
      'the hub to flag the shared key',
      async () => {
        await fromKiosk(0, ['get', rig.kioskDataDir(0), '/v1/content', '1500']);
        await sleep(2_200);
        const [file, argv] = nodeInNetns(clone.ns, 'provisioning/src/testing/kioskRequest.ts', ['get', cloneDir, '/v1/content', '1500']);
        await runToEnd(file, argv, 30_000);
        await sleep(2_200);
        return /"event":"hub.peer-roaming"/.test(rig.hubAgent.output()) ? true : undefined;
      },
      120_000,
    );
    await removeWireguardInterface(scope, clone.interfaceName, join(cloneDir, 'run'));
    await eventually('kiosk 1 to work again', async () => ((await getThroughTunnel(0, 2_000)).ok ? true : undefined), 60_000);
  });

  it('given two kiosks, when ops revoke one, then the hub drops its peer and its traffic stops while the other keeps working', async () => {
    const revokedKey = await wgKey(1);
    const deviceId = JSON.parse((await kioskctl(['status', '--json', ...kioskArgs(1)])).stdout).deviceId as string;
    await ops.revokeDevice(deviceId, 'tunnel test');
    await eventually('the hub to drop the revoked peer', async () => (!(await hubPeers()).includes(revokedKey) ? true : undefined), 30_000);
    expect(await getThroughTunnel(1, 3_000)).toMatchObject({ ok: false });
    expect((await getThroughTunnel(0)).ok).toBe(true);
  });

  it('given peers changed behind its back, when the reconciler runs, then the hub converges both ways and reports the drift', { timeout: 150_000 }, async () => {
    const kiosk1 = await wgKey(0);
    const stranger = 'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=';
    await runCommand({ netns: rig.names.hubNs }, 'wg', ['set', rig.names.hubInterface, 'peer', stranger, 'allowed-ips', '100.64.9.9/32']);
    await runCommand({ netns: rig.names.hubNs }, 'wg', ['set', rig.names.hubInterface, 'peer', kiosk1, 'remove']);
    await eventually('the reconciler to converge', async () => {
      const peers = await hubPeers();
      return peers.includes(kiosk1) && !peers.includes(stranger) ? true : undefined;
    }, 30_000);
    expect(rig.hubAgent.output()).toMatch(/"event":"hub.drift".*"missing":1.*"unknown":1/);
    // The re-added peer has no session: the kiosk notices within WireGuard's rekey timeout
    // (about 15 s without an answer) and handshakes again.
    const readded = Date.now();
    await eventually('traffic through the re-added peer', async () => ((await getThroughTunnel(0, 2_000)).ok ? true : undefined), 60_000);
    console.log(`[figure] traffic back ${((Date.now() - readded) / 1000).toFixed(1)} s after the reconciler re-added a removed peer`);
  });
});
