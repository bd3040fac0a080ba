import { setTimeout as sleep } from 'node:timers/promises';
import type { EnrolmentResult } from '../api/schemas';
import { hashEnrolmentToken } from '../tokens/enrolmentToken';
import { readInterface } from '../wireguard/wgInterface';
import { ensureDeviceKeys } from './deviceKeyFiles';
import { waitForGateway, type GatewayProbe } from './gatewayProbe';
import { hardwareFingerprint } from './hardwareFingerprint';
import { kioskPaths } from './kioskPaths';
import { writeEnrolmentFiles } from './enrolmentFiles';
import { readKioskctlState } from './kioskState';
import { nextStepForEnrolment, nextStepForGateway, nextStepForTunnel } from './nextSteps';
import { progress } from './progress';
import { isProvisioningRefusal, provisioningClient } from './provisioningClient';
import { bringTunnelUp } from './tunnel';

/** Options of `kioskctl enrol`. */
export interface EnrolOptions {
  token: string;
  server: string;
  dataDir: string;
  interfaceName: string;
  mall?: string;
  kiosk?: string;
  hardwareId?: string;
  waitApprovalS: number;
  gatewayTimeoutS: number;
  json: boolean;
}

/** What `kioskctl enrol` reports at the end. */
export interface EnrolSummary {
  deviceId: string;
  kioskId: string;
  mallId: string;
  vpnAddress: string;
  interfaceName: string;
  gatewayUrl: string;
  reusedEnrolment: boolean;
  implementation: string;
  gateway: GatewayProbe & { attempts: number };
  /** From the start of the command to the first answer through the tunnel. */
  secondsToFirstAnswer: number;
}

/**
 * `kioskctl enrol`: keys made here, enrolment, configuration written, tunnel up, gateway checked.
 * Safe to re-run: the keys are reused, a token already used by this kiosk is not sent again,
 * and every later step repairs what it finds.
 */
export async function enrolCommand(options: EnrolOptions): Promise<EnrolSummary> {
  const started = Date.now();
  const paths = kioskPaths(options.dataDir, options.interfaceName);
  const steps = progress(6, options.json ? 'json' : 'human');
  const server = provisioningClient(options.server);

  const fingerprint = await steps.step(
    'Checking this kiosk',
    async () => {
      if (process.getuid?.() !== 0) throw new Error('kioskctl must run as root to create the tunnel interface');
      const fp = hardwareFingerprint(options.hardwareId);
      const previous = readKioskctlState(paths.state);
      if (previous && previous.hardwareFingerprint !== fp) {
        throw new Error(`this data folder was enrolled on other hardware (fingerprint ${previous.hardwareFingerprint.slice(0, 12)}…, here ${fp.slice(0, 12)}…): a copied disk cannot pass as the original`);
      }
      return fp;
    },
    (error) => (/other hardware/.test(String(error)) ? 'ask ops for a new token and enrol with a fresh data folder (move the old one aside)' : 'run kioskctl as root with --data-dir on a writable disk'),
  );

  const keys = await steps.step('Making device keys (they never leave this kiosk)', async () => ensureDeviceKeys(paths.wireguardKey, paths.signingKey), () => `check that ${options.dataDir} is writable and its key files are mode 0600`);
  steps.note(keys.created ? 'new WireGuard and Ed25519 keys made' : 'reusing the keys already in the data folder');

  const tokenSha256 = hashEnrolmentToken(options.token).toString('hex');
  const saved = readKioskctlState(paths.state);
  const reused = saved !== undefined && saved.tokenSha256 === tokenSha256 && saved.server === options.server;
  const enrolment: EnrolmentResult = await steps.step(
    reused ? 'Enrolment already done with this token (not sent again)' : `Enrolling with ${options.server}`,
    async () => {
      if (reused) return saved.enrolment;
      const deadline = Date.now() + options.waitApprovalS * 1000;
      for (;;) {
        try {
          return await server.enrol({
            token: options.token,
            wireguardPublicKey: keys.wireguardPublicKey,
            signingPublicKey: keys.signingPublicKey,
            hardwareFingerprint: fingerprint,
            ...(options.mall ? { mallId: options.mall } : {}),
            ...(options.kiosk ? { kioskId: options.kiosk } : {}),
          });
        } catch (error) {
          if (!(isProvisioningRefusal(error) && error.problem.code === 'APPROVAL_REQUIRED' && Date.now() < deadline)) throw error;
          await sleep(Math.min(5_000, Math.max(0, deadline - Date.now())));
        }
      }
    },
    (error) => nextStepForEnrolment(error, options.server),
  );
  steps.note(`device ${enrolment.deviceId}, kiosk ${enrolment.kioskId} in ${enrolment.mallId}, tunnel address ${enrolment.vpnAddress}`);

  await steps.step(
    'Writing the WireGuard configuration',
    async () =>
      writeEnrolmentFiles(paths, {
        server: options.server,
        tokenSha256,
        hardwareFingerprint: fingerprint,
        interfaceName: options.interfaceName,
        enrolledAt: reused ? saved.enrolledAt : new Date().toISOString(),
        enrolment,
      }),
    () => `check that ${options.dataDir} is writable`,
  );

  const implementation = await steps.step(
    `Bringing the tunnel up on ${options.interfaceName}`,
    () => bringTunnelUp(options.interfaceName, { config: paths.wireguardConfig, privateKey: paths.wireguardKey, runDir: paths.runDir }, enrolment),
    nextStepForTunnel,
  );

  const gateway = await steps.step(
    `Checking the gateway through the tunnel (${enrolment.gatewayUrl})`,
    async () => {
      const probe = await waitForGateway(enrolment.gatewayUrl, Date.now() + options.gatewayTimeoutS * 1000);
      if (probe.reachable) return probe;
      const handshakeSeen = await readInterface({}, options.interfaceName).then((i) => i.peers.some((p) => p.latestHandshakeS > 0), () => false);
      throw Object.assign(new Error(`no answer from ${enrolment.gatewayUrl} after ${probe.attempts} tries (${probe.error ?? 'unknown error'}; handshake ${handshakeSeen ? 'done' : 'never'})`), { handshakeSeen });
    },
    (error) => nextStepForGateway((error as { handshakeSeen?: boolean }).handshakeSeen === true),
  );
  const secondsToFirstAnswer = (Date.now() - started) / 1000;
  return {
    deviceId: enrolment.deviceId,
    kioskId: enrolment.kioskId,
    mallId: enrolment.mallId,
    vpnAddress: enrolment.vpnAddress,
    interfaceName: options.interfaceName,
    gatewayUrl: enrolment.gatewayUrl,
    reusedEnrolment: reused,
    implementation,
    gateway,
    secondsToFirstAnswer,
  };
}
