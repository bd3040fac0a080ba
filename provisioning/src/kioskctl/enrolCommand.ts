import { setTimeout as sleep } from 'node:timers/promises';
import type { EnrolmentResult } from '../api/schemas';
import { hashEnrolmentToken } from '../tokens/enrolmentToken';
import { ensureDeviceKeys } from './deviceKeyFiles';
import { kioskPaths } from './kioskPaths';
import { writeEnrolmentFiles } from './enrolmentFiles';
import { readKioskctlState } from './kioskState';
import { nextStepForEnrolment } from './nextSteps';
import { progress } from './progress';
import { isProvisioningRefusal, provisioningClient } from './provisioningClient';
import { checkThisKiosk, nextStepForKioskCheck, tunnelAndGatewaySteps, tunnelSummary, type TunnelSummary } from './upCommand';

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
export interface EnrolSummary extends TunnelSummary {
  reusedEnrolment: boolean;
  /** From the start of the command to the gateway accepting the first probe through the tunnel. */
  secondsToFirstAnswer: number;
}

/**
 * `kioskctl enrol`: keys made here, enrolment, configuration written, tunnel up, gateway checked.
 * Safe to re-run: the keys are reused, a token already used by this kiosk is not sent again,
 * and the last two steps are `kioskctl up`'s, so a re-run on an enrolled kiosk brings its tunnel
 * back as `up` does.
 */
export async function enrolCommand(options: EnrolOptions): Promise<EnrolSummary> {
  const started = Date.now();
  const paths = kioskPaths(options.dataDir, options.interfaceName);
  const steps = progress(6, options.json ? 'json' : 'human');
  const server = provisioningClient(options.server);

  const fingerprint = await steps.step('Checking this kiosk', async () => checkThisKiosk(paths, options.hardwareId), nextStepForKioskCheck);

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

  const tunnel = await tunnelAndGatewaySteps(steps, paths, options.interfaceName, enrolment, { deviceId: enrolment.deviceId, signingKey: keys.signingKey }, options.gatewayTimeoutS);
  return { ...tunnelSummary(enrolment, options.interfaceName, tunnel), reusedEnrolment: reused, secondsToFirstAnswer: (Date.now() - started) / 1000 };
}
