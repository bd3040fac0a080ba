import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { provisioningClient } from '../kioskctl/provisioningClient';
import { opsClient } from '../testing/opsClient';
import { cleanupRun, registerTestHub, runSuffix, startProvisioning, testKioskIdentity, type RunningProvisioning } from '../testing/provisioningFixture';
import { randomTestPool } from '../testing/testNetworks';
import { runCommand } from '../wireguard/runCommand';
import { ensureWireguardInterface, readInterface, readWireguardGoPid, setInterfaceKey } from '../wireguard/wgInterface';
import { writeNewPrivateFile } from '../wireguard/keyFiles';
import { generateWireguardKeyPair } from '../enrolment/deviceKeys';
import { reconcileOnce, reconcilerMetrics, type ReconcilerDeps } from './hubReconciler';

// The reconciler against a real wireguard-go interface in its own network namespace.
const run = runSuffix();
const netns = `atr-rc-${run}`;
const interfaceName = `arc${run}`;
const hubId = `hub-rc-${run}`;
const mall = `mall-rc-${run}`;
const dir = mkdtempSync(join(tmpdir(), `atr-rc-${run}-`));
let service: RunningProvisioning;
let deps: ReconcilerDeps;
let registry: Registry;

const peers = async () => (await readInterface({ netns }, interfaceName)).peers.map((p) => ({ key: p.publicKey, ips: p.allowedIps }));
const metric = async (name: string, kind?: string): Promise<number> => {
  const found = (await registry.getSingleMetric(name)?.get())?.values.find((v) => kind === undefined || v.labels['kind'] === kind);
  return found?.value ?? 0;
};

beforeAll(async () => {
  await runCommand({}, 'ip', ['netns', 'add', netns]);
  await ensureWireguardInterface({ netns }, interfaceName, join(dir, 'run'));
  writeNewPrivateFile(join(dir, 'hub.key'), generateWireguardKeyPair().privateKey);
  await setInterfaceKey({ netns }, interfaceName, join(dir, 'hub.key'));
  await runCommand({ netns }, 'ip', ['link', 'set', interfaceName, 'up']);
  service = await startProvisioning(testEndpoints().postgresUrl);
  await registerTestHub(service.pool, hubId, '100.64.0.1');
  await opsClient(service.baseUrl, service.adminToken).setPool(mall, hubId, randomTestPool(24));
  registry = new Registry();
  deps = { pool: service.pool, hubId, interfaceName, scope: { netns }, log: pino({ level: 'silent' }), metrics: reconcilerMetrics(registry), roaming: { history: new Map(), windowS: 600, threshold: 3 } };
}, 120_000);

afterAll(async () => {
  const pid = readWireguardGoPid(join(dir, 'run'), interfaceName);
  if (pid) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone with its namespace.
    }
  }
  await runCommand({}, 'ip', ['netns', 'del', netns]).catch(() => undefined);
  rmSync(`/var/run/wireguard/${interfaceName}.sock`, { force: true });
  if (service) {
    await cleanupRun(service.pool, [mall], [hubId]);
    await service.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('hub reconciler on a real interface', () => {
  it('given two enrolled kiosks and an empty hub, when reconciled twice, then both peers are added once and the second pass changes nothing', async () => {
    const ops = opsClient(service.baseUrl, service.adminToken);
    const kiosk = provisioningClient(service.baseUrl);
    const enrolled = [];
    for (const kioskId of ['kiosk-a', 'kiosk-b']) {
      const { token } = await ops.createToken({ mallId: mall, kioskId, ttlS: 600 });
      const id = testKioskIdentity();
      enrolled.push(await kiosk.enrol({ token, wireguardPublicKey: id.wireguardPublicKey, signingPublicKey: id.signingPublicKey, hardwareFingerprint: id.hardwareFingerprint }));
    }
    const first = await reconcileOnce(deps);
    expect(first).toMatchObject({ desired: 2, actual: 0, drift: { missing: 2, unknown: 0, allowedIpsChanged: 0 }, applied: 2, failed: 0 });
    expect((await peers()).map((p) => p.ips[0]).sort()).toEqual(enrolled.map((e) => `${e.vpnAddress}/32`).sort());
    const second = await reconcileOnce(deps);
    expect(second).toMatchObject({ desired: 2, actual: 2, drift: { missing: 0, unknown: 0, allowedIpsChanged: 0 }, applied: 0 });
    expect(await metric('atrium_hub_peer_drift_total', 'missing')).toBe(2);
    expect(await metric('atrium_hub_peers')).toBe(2);
  });

  it('given an unknown peer and a peer with the wrong address, when reconciled, then the stranger goes and the address is corrected', async () => {
    const [one] = await peers();
    const stranger = generateWireguardKeyPair().publicKey;
    await runCommand({ netns }, 'wg', ['set', interfaceName, 'peer', stranger, 'allowed-ips', '100.64.200.1/32']);
    await runCommand({ netns }, 'wg', ['set', interfaceName, 'peer', one!.key, 'allowed-ips', '100.64.200.2/32']);
    const report = await reconcileOnce(deps);
    expect(report.drift).toEqual({ missing: 0, unknown: 1, allowedIpsChanged: 1 });
    const after = await peers();
    expect(after.map((p) => p.key)).not.toContain(stranger);
    expect(after.find((p) => p.key === one!.key)?.ips).toEqual(one!.ips);
    expect(await metric('atrium_hub_peer_drift', 'unknown')).toBe(1);
    expect((await reconcileOnce(deps)).applied).toBe(0);
  });
});
