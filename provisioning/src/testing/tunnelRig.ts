import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { startChild, type TestChild } from './childProcess';
import { createRig, destroyRig, rigNames, UNDERLAY, type RigNames } from './netnsRig';
import { startLoopbackRelay } from './portRelay';
import { cleanupRun, runSuffix, startProvisioning, type RunningProvisioning } from './provisioningFixture';
import { randomTestPool } from './testNetworks';
import { runCommand } from '../wireguard/runCommand';
import { parseWgDump } from '../wireguard/wgDump';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = `file://${join(repo, 'node_modules/tsx/dist/loader.mjs')}`;
const src = (path: string): string => join(repo, path);

/** The hub's tunnel address and what the gateway binds there. */
export const HUB = { tunnelAddress: '100.64.0.1', tunnelPrefix: 10, listenPort: 51820, gatewayPort: 8443, provisioningPort: 8470 };

/** A whole tunnel rig: hub namespace with provisioning, hub agent and sync gateway; kiosk namespaces. */
export interface TunnelRig {
  names: RigNames;
  dir: string;
  hubId: string;
  mallId: string;
  ops: RunningProvisioning;
  /** Provisioning as the kiosks reach it over the underlay. */
  serverUrl: string;
  hubAgent: TestChild;
  kioskDataDir(index: number): string;
  /** kioskctl's options for kiosk `index`: its namespace, data folder, interface and hardware id. */
  kioskArgs(index: number): string[];
  /** A request as kiosk `index` makes it (`kioskRequest.ts`), from its namespace or from `options.ns`. */
  kioskRequest(index: number, mode: 'get' | 'events' | 'probe', args: readonly string[], options?: { ns?: string }): Promise<KioskAnswer>;
  /** The public keys of the hub interface's peers now. */
  hubPeers(): Promise<string[]>;
  /** Kiosk `index`'s WireGuard public key, as its interface has it. */
  kioskWgKey(index: number): Promise<string>;
  destroy(): Promise<void>;
}

/** What `kioskRequest.ts` printed: the answer, or why there was none. */
export interface KioskAnswer {
  ok: boolean;
  status: number | null;
  body: unknown;
  error: string | null;
  ms: number;
}

/** Runs a command in a namespace with node + tsx. */
export function nodeInNetns(ns: string, script: string, args: readonly string[]): [string, string[]] {
  return ['ip', ['netns', 'exec', ns, process.execPath, '--import', TSX, src(script), ...args]];
}

/** Runs a process to completion and returns its exit code and output. */
export function runToEnd(file: string, args: readonly string[], timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** kioskctl, run from the root namespace with `--netns` (it re-runs itself inside). */
export function kioskctl(args: readonly string[], timeoutMs = 120_000): ReturnType<typeof runToEnd> {
  return runToEnd(src('provisioning/bin/kioskctl'), args, timeoutMs);
}

/**
 * Builds the rig. Services in the hub namespace reach the shared test stack through a relay
 * (unix sockets cross namespaces), so every packet stays on loopback or inside the namespaces.
 */
export async function startTunnelRig(kioskCount: number): Promise<TunnelRig> {
  const suffix = runSuffix();
  const names = rigNames(suffix, kioskCount);
  const dir = mkdtempSync(join(tmpdir(), `atr-${suffix}-`));
  const hubId = `hub-${suffix}`;
  const mallId = `mall-${suffix}`;
  const endpoints = testEndpoints();
  const pgPort = Number(new URL(endpoints.postgresUrl).port);
  const kafkaPort = Number(endpoints.kafkaBrokers[0]!.split(':')[1]);
  const children: TestChild[] = [];
  let relay: { close(): Promise<void> } | undefined;
  let ops: RunningProvisioning | undefined;

  const destroy = async (): Promise<void> => {
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
    await relay?.close().catch(() => undefined);
    // Every wireguard-go the rig or a test started keeps its pid in <rig dir>/<machine>/run.
    const runDirs = existsSync(dir) ? readdirSync(dir).map((entry) => join(dir, entry, 'run')) : [];
    await destroyRig(names, runDirs);
    if (ops) {
      await cleanupRun(ops.pool, [mallId], [hubId]).catch(() => undefined);
      await ops.close().catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    ops = await startProvisioning(endpoints.postgresUrl);
    await createRig(names);
    relay = await startLoopbackRelay(dir, [pgPort, kafkaPort]);
    const inHub = (script: string, args: readonly string[] = []) => nodeInNetns(names.hubNs, script, args);
    const [relayFile, relayArgs] = inHub('provisioning/src/testing/relayInNetns.ts', [dir, String(pgPort), String(kafkaPort)]);
    children.push(await startChild('relay', relayFile, relayArgs, { ready: /relay ready/, timeoutMs: 60_000 }));

    mkdirSync(join(dir, 'hub'), { recursive: true, mode: 0o700 });
    const [hubFile, hubArgs] = inHub('provisioning/src/hub/hubAgentMain.ts');
    const hubAgent = await startChild('hub-agent', hubFile, hubArgs, {
      ready: /"event":"hub.ready"/,
      timeoutMs: 90_000,
      env: {
        ATRIUM_PG_URL: endpoints.postgresUrl,
        HUB_ID: hubId,
        HUB_INTERFACE: names.hubInterface,
        HUB_LISTEN_PORT: String(HUB.listenPort),
        HUB_ENDPOINT: `${UNDERLAY.hubAddress}:${HUB.listenPort}`,
        HUB_TUNNEL_ADDRESS: HUB.tunnelAddress,
        HUB_TUNNEL_PREFIX: String(HUB.tunnelPrefix),
        HUB_GATEWAY_URL: `http://${HUB.tunnelAddress}:${HUB.gatewayPort}`,
        HUB_PRIVATE_KEY_FILE: join(dir, 'hub/hub.key'),
        HUB_RUN_DIR: join(dir, 'hub/run'),
        HUB_RECONCILE_INTERVAL_MS: '2000',
        HUB_METRICS_PORT: '9470',
        HUB_LOG_LEVEL: 'info',
      },
    });
    children.push(hubAgent);

    const [provFile, provArgs] = inHub('provisioning/src/main.ts');
    children.push(
      await startChild('provisioning', provFile, provArgs, {
        ready: /Server listening/,
        timeoutMs: 90_000,
        env: { ATRIUM_PG_URL: endpoints.postgresUrl, PROVISIONING_HOST: UNDERLAY.hubAddress, PROVISIONING_PORT: String(HUB.provisioningPort), PROVISIONING_ADMIN_TOKEN: randomBytes(24).toString('hex') },
      }),
    );

    const [gwFile, gwArgs] = inHub('sync-gateway/src/main.ts');
    children.push(
      await startChild('sync-gateway', gwFile, gwArgs, {
        ready: /sync gateway listening/,
        timeoutMs: 120_000,
        env: {
          ATRIUM_GATEWAY_KIOSK_HOST: HUB.tunnelAddress,
          ATRIUM_GATEWAY_KIOSK_PORT: String(HUB.gatewayPort),
          ATRIUM_GATEWAY_ADMIN_HOST: '127.0.0.1',
          ATRIUM_GATEWAY_ADMIN_PORT: '8444',
          ATRIUM_KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
          ATRIUM_PG_URL: endpoints.postgresUrl,
          ATRIUM_GATEWAY_PRODUCER: 'kafkajs',
          ATRIUM_GATEWAY_LOG_LEVEL: 'info',
        },
      }),
    );

    await fetch(new URL(`/v1/admin/malls/${mallId}/vpn-pool`, ops.baseUrl), {
      method: 'PUT',
      headers: { authorization: `Bearer ${ops.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ hubId, cidr: randomTestPool(24) }),
    }).then(async (r) => {
      if (!r.ok) throw new Error(`setting the pool failed: ${r.status} ${await r.text()}`);
    });

    const kioskDataDir = (index: number): string => join(dir, `kiosk${index + 1}`);
    return {
      names,
      dir,
      hubId,
      mallId,
      ops,
      serverUrl: `http://${UNDERLAY.hubAddress}:${HUB.provisioningPort}`,
      hubAgent,
      kioskDataDir,
      kioskArgs: (index) => {
        const k = names.kiosks[index]!;
        return ['--netns', k.ns, '--data-dir', kioskDataDir(index), '--interface', k.interfaceName, '--hardware-id', `rig-${k.ns}`];
      },
      kioskRequest: async (index, mode, args, options = {}) => {
        const [file, argv] = nodeInNetns(options.ns ?? names.kiosks[index]!.ns, 'provisioning/src/testing/kioskRequest.ts', [mode, kioskDataDir(index), ...args]);
        const run = await runToEnd(file, argv, 60_000);
        try {
          return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as KioskAnswer;
        } catch {
          throw new Error(`kioskRequest failed (${run.code}): ${run.stderr || run.stdout}`);
        }
      },
      hubPeers: async () => parseWgDump(await runCommand({ netns: names.hubNs }, 'wg', ['show', names.hubInterface, 'dump'])).peers.map((p) => p.publicKey),
      kioskWgKey: async (index) => (await runCommand({ netns: names.kiosks[index]!.ns }, 'wg', ['show', names.kiosks[index]!.interfaceName, 'public-key'])).trim(),
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}
