import type { KeyObject } from 'node:crypto';
import { statfsSync, statSync } from 'node:fs';
import type { WgPeerStatus } from '../wireguard/wgDump';
import { interfaceExists, readInterface } from '../wireguard/wgInterface';
import { runCommand } from '../wireguard/runCommand';
import { loadDeviceKeys } from './deviceKeyFiles';
import { probeGateway, type GatewayProbe } from './gatewayProbe';
import { hardwareFingerprint } from './hardwareFingerprint';
import type { KioskPaths } from './kioskPaths';
import { readKioskctlState, type KioskctlState } from './kioskState';
import { readQueue, type QueueSnapshot } from './queueReader';

/** Everything `kioskctl status` and `diag` report, as one snapshot. */
export interface KioskStatus {
  checkedAt: string;
  enrolled: boolean;
  deviceId: string | null;
  kioskId: string | null;
  mallId: string | null;
  keyGeneration: number | null;
  interfaceName: string;
  vpnAddress: string | null;
  gatewayUrl: string | null;
  tunnel: {
    interfaceUp: boolean;
    handshakeAgeS: number | null;
    rxBytes: number | null;
    txBytes: number | null;
    hubEndpoint: string | null;
    /** True when the route to the gateway goes through the tunnel interface. */
    routedThroughTunnel: boolean | null;
  };
  gateway: GatewayProbe | null;
  clockOffsetMs: number | null;
  queue: QueueSnapshot;
  disk: { path: string; freeBytes: number; totalBytes: number; usedPercent: number } | null;
  /** Whether this hardware is the hardware the data folder was enrolled on. */
  hardwareMatches: boolean | null;
  /** Whether each private key file is readable by its owner only. */
  keyFilesPrivate: boolean | null;
}

function privateMode(path: string): boolean | null {
  try {
    return (statSync(path).mode & 0o077) === 0;
  } catch {
    return null;
  }
}

function hubPeer(state: KioskctlState | undefined, peers: readonly WgPeerStatus[]): WgPeerStatus | undefined {
  return peers.find((p) => p.publicKey === state?.enrolment.wireguard.hubPublicKey) ?? peers[0];
}

/** Probes the gateway as this device; without a usable signing key there is nothing to probe with. */
async function probeAsDevice(paths: KioskPaths, state: KioskctlState, timeoutMs: number): Promise<GatewayProbe> {
  let signingKey: KeyObject;
  try {
    signingKey = loadDeviceKeys(paths.wireguardKey, paths.signingKey).signingKey;
  } catch (error) {
    return { reachable: false, status: null, rttMs: null, clockOffsetMs: null, refusal: null, error: `cannot sign the probe: ${error instanceof Error ? error.message : String(error)}` };
  }
  return probeGateway(state.enrolment.gatewayUrl, { deviceId: state.enrolment.deviceId, signingKey }, timeoutMs);
}

/** Collects the kiosk's status; nothing here changes the kiosk. */
export async function collectStatus(paths: KioskPaths, interfaceName: string, options: { hardwareId?: string; probeTimeoutMs: number }, now = new Date()): Promise<KioskStatus> {
  const state = readKioskctlState(paths.state);
  const up = await interfaceExists({}, interfaceName);
  const peer = up ? await readInterface({}, interfaceName).then((i) => hubPeer(state, i.peers), () => undefined) : undefined;
  const gatewayUrl = state?.enrolment.gatewayUrl ?? null;
  let routed: boolean | null = null;
  if (gatewayUrl) {
    routed = await runCommand({}, 'ip', ['route', 'get', new URL(gatewayUrl).hostname]).then((out) => new RegExp(`\\bdev ${interfaceName}\\b`).test(out), () => false);
  }
  const gateway = state ? await probeAsDevice(paths, state, options.probeTimeoutMs) : null;
  let disk: KioskStatus['disk'] = null;
  try {
    const fs = statfsSync(paths.dataDir);
    const total = fs.blocks * fs.bsize;
    const free = fs.bavail * fs.bsize;
    disk = { path: paths.dataDir, freeBytes: free, totalBytes: total, usedPercent: total > 0 ? Math.round(((total - free) / total) * 1000) / 10 : 0 };
  } catch {
    disk = null;
  }
  let hardwareMatches: boolean | null = null;
  try {
    hardwareMatches = state ? state.hardwareFingerprint === hardwareFingerprint(options.hardwareId) : null;
  } catch {
    hardwareMatches = null;
  }
  const modes = [privateMode(paths.wireguardKey), privateMode(paths.signingKey)];
  return {
    checkedAt: now.toISOString(),
    enrolled: state !== undefined,
    deviceId: state?.enrolment.deviceId ?? null,
    kioskId: state?.enrolment.kioskId ?? null,
    mallId: state?.enrolment.mallId ?? null,
    keyGeneration: state?.enrolment.keyGeneration ?? null,
    interfaceName,
    vpnAddress: state?.enrolment.vpnAddress ?? null,
    gatewayUrl,
    tunnel: {
      interfaceUp: up,
      handshakeAgeS: peer && peer.latestHandshakeS > 0 ? Math.max(0, Math.round(now.getTime() / 1000 - peer.latestHandshakeS)) : null,
      rxBytes: peer?.rxBytes ?? null,
      txBytes: peer?.txBytes ?? null,
      hubEndpoint: peer?.endpoint ?? null,
      routedThroughTunnel: routed,
    },
    gateway,
    clockOffsetMs: gateway?.clockOffsetMs ?? null,
    queue: readQueue(paths.kioskDb),
    disk,
    hardwareMatches,
    keyFilesPrivate: modes.includes(null) ? null : modes.every(Boolean),
  };
}
