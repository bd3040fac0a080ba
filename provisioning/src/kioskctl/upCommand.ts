import { existsSync } from 'node:fs';
import type { EnrolmentResult } from '../api/schemas';
import { readInterface, type WireguardImplementation } from '../wireguard/wgInterface';
import { loadDeviceKeys } from './deviceKeyFiles';
import { waitForGateway, type GatewayProbe, type ProbeSigner } from './gatewayProbe';
import { hardwareFingerprint } from './hardwareFingerprint';
import { kioskctlStatePath, kioskPaths, type KioskPaths } from './kioskPaths';
import { writeWireguardConfig } from './enrolmentFiles';
import { readKioskctlState } from './kioskState';
import { nextStepForGateway, nextStepForTunnel } from './nextSteps';
import { progress, type Progress } from './progress';
import { bringTunnelUp } from './tunnel';

/** Options of `kioskctl up`. */
export interface UpOptions {
  dataDir: string;
  /** The interface to bring up; by default the one named at enrolment. */
  interfaceName?: string;
  hardwareId?: string;
  gatewayTimeoutS: number;
  json: boolean;
}

/** The tunnel as `kioskctl up` (and the end of `enrol` and `rotate-keys`) left it. */
export interface TunnelUp {
  /** `existing` when the interface was already there (its settings are re-applied all the same). */
  implementation: WireguardImplementation | 'existing';
  gateway: GatewayProbe & { attempts: number };
}

/** Which kiosk's tunnel, and how it came up: the common part of the `enrol` and `up` summaries. */
export interface TunnelSummary extends TunnelUp {
  deviceId: string;
  kioskId: string;
  mallId: string;
  vpnAddress: string;
  interfaceName: string;
  gatewayUrl: string;
}

/** The summary fields that follow from the enrolment and the tunnel. */
export function tunnelSummary(enrolment: EnrolmentResult, interfaceName: string, tunnel: TunnelUp): TunnelSummary {
  const { deviceId, kioskId, mallId, vpnAddress, gatewayUrl } = enrolment;
  return { deviceId, kioskId, mallId, vpnAddress, interfaceName, gatewayUrl, ...tunnel };
}

/** What `kioskctl up` reports at the end. */
export interface UpSummary extends TunnelSummary {
  /** From the start of the command to the gateway accepting the probe. */
  secondsToGateway: number;
}

/** What to do when the kiosk check failed (not root, a copied disk, no enrolment). */
export function nextStepForKioskCheck(error: unknown): string {
  const message = String(error);
  if (/other hardware/.test(message)) return 'ask ops for a new token and enrol with a fresh data folder (move the old one aside)';
  if (/not enrolled/.test(message)) return 'enrol first: kioskctl enrol --token <token from ops> --server <provisioning URL>';
  return 'run kioskctl as root with --data-dir on a writable disk';
}

/**
 * The checks every tunnel command starts with: root (it makes a network interface) and the same
 * hardware the data folder was enrolled on, so a copied disk never brings a tunnel up.
 * Returns this machine's fingerprint.
 */
export function checkThisKiosk(paths: KioskPaths, hardwareId: string | undefined): string {
  if (process.getuid?.() !== 0) throw new Error('kioskctl must run as root to create the tunnel interface');
  const fingerprint = hardwareFingerprint(hardwareId);
  const previous = readKioskctlState(paths.state);
  if (previous && previous.hardwareFingerprint !== fingerprint) {
    throw new Error(
      `this data folder was enrolled on other hardware (fingerprint ${previous.hardwareFingerprint.slice(0, 12)}…, here ${fingerprint.slice(0, 12)}…): a copied disk cannot pass as the original`,
    );
  }
  return fingerprint;
}

/**
 * Brings the tunnel up from the files enrolment wrote, then waits until the gateway accepts a
 * signed probe through it: two progress steps, shared by `enrol`, `rotate-keys` and `up`.
 */
export async function tunnelAndGatewaySteps(
  steps: Progress,
  paths: KioskPaths,
  interfaceName: string,
  enrolment: EnrolmentResult,
  signer: ProbeSigner,
  gatewayTimeoutS: number,
): Promise<TunnelUp> {
  const implementation = await steps.step(
    `Bringing the tunnel up on ${interfaceName}`,
    () => bringTunnelUp(interfaceName, { config: paths.wireguardConfig, privateKey: paths.wireguardKey, runDir: paths.runDir }, enrolment),
    nextStepForTunnel,
  );
  steps.note(implementation === 'existing' ? `${interfaceName} was already there; its settings were applied again` : `${interfaceName} created (${implementation})`);
  const gateway = await steps.step(
    `Checking the gateway through the tunnel (${enrolment.gatewayUrl})`,
    async () => {
      const probe = await waitForGateway(enrolment.gatewayUrl, signer, Date.now() + gatewayTimeoutS * 1000);
      if (probe.reachable) return probe;
      const handshakeSeen = await readInterface({}, interfaceName).then((i) => i.peers.some((p) => p.latestHandshakeS > 0), () => false);
      throw Object.assign(new Error(`the gateway ${enrolment.gatewayUrl} did not accept this kiosk after ${probe.attempts} tries (${probe.error ?? 'unknown error'}; handshake ${handshakeSeen ? 'done' : 'never'})`), {
        handshakeSeen,
        refusal: probe.refusal,
      });
    },
    (error) => nextStepForGateway((error as { handshakeSeen?: boolean }).handshakeSeen === true, (error as { refusal?: string | null }).refusal ?? null),
  );
  return { implementation, gateway };
}

/**
 * `kioskctl up`: brings the tunnel back from what enrolment left in the data folder (after a
 * reboot, a crashed wireguard-go, a deleted interface) and checks the gateway. Talks to no
 * provisioning service and changes no key. Idempotent: on a working tunnel it re-applies the
 * same settings and checks again.
 */
export async function upCommand(options: UpOptions): Promise<UpSummary> {
  const started = Date.now();
  const steps = progress(3, options.json ? 'json' : 'human');

  const { paths, interfaceName, enrolment, signer } = await steps.step(
    'Reading the enrolment of this kiosk',
    async () => {
      const state = readKioskctlState(kioskctlStatePath(options.dataDir));
      if (!state) throw new Error(`this kiosk is not enrolled from ${options.dataDir}`);
      const name = options.interfaceName ?? state.interfaceName;
      const here = kioskPaths(options.dataDir, name);
      checkThisKiosk(here, options.hardwareId);
      const keys = loadDeviceKeys(here.wireguardKey, here.signingKey);
      // The configuration file holds nothing secret and follows from the state: write it again
      // rather than fail when it is missing.
      if (!existsSync(here.wireguardConfig)) writeWireguardConfig(here, state.enrolment);
      return { paths: here, interfaceName: name, enrolment: state.enrolment, signer: { deviceId: state.enrolment.deviceId, signingKey: keys.signingKey } };
    },
    nextStepForKioskCheck,
  );
  steps.note(`device ${enrolment.deviceId}, kiosk ${enrolment.kioskId} in ${enrolment.mallId}, tunnel address ${enrolment.vpnAddress}`);
  if (existsSync(paths.nextWireguardKey)) steps.note('a key rotation was left unfinished: run kioskctl rotate-keys to finish it');

  const tunnel = await tunnelAndGatewaySteps(steps, paths, interfaceName, enrolment, signer, options.gatewayTimeoutS);
  return { ...tunnelSummary(enrolment, interfaceName, tunnel), secondsToGateway: (Date.now() - started) / 1000 };
}
