import { sign } from 'node:crypto';
import { existsSync } from 'node:fs';
import { keyRotationProofPayload, type EnrolmentResult } from '../api/schemas';
import { ensureDeviceKeys, loadDeviceKeys, promoteKeys } from './deviceKeyFiles';
import { hardwareFingerprint } from './hardwareFingerprint';
import { kioskPaths } from './kioskPaths';
import { writeEnrolmentFiles } from './enrolmentFiles';
import { readKioskctlState } from './kioskState';
import { nextStepForEnrolment } from './nextSteps';
import { progress } from './progress';
import { provisioningClient } from './provisioningClient';
import { tunnelAndGatewaySteps } from './upCommand';

/** Options of `kioskctl rotate-keys`. */
export interface RotateOptions {
  dataDir: string;
  interfaceName: string;
  hardwareId?: string;
  gatewayTimeoutS: number;
  json: boolean;
}

/**
 * `kioskctl rotate-keys`: new keys made here, the rotation signed with the old Ed25519 key, the
 * new keys put in place, the interface switched. The device keeps its id. If it stops half-way,
 * running it again finishes the same rotation (the pending keys are kept until it succeeds).
 */
export async function rotateCommand(options: RotateOptions): Promise<EnrolmentResult> {
  const paths = kioskPaths(options.dataDir, options.interfaceName);
  const steps = progress(5, options.json ? 'json' : 'human');
  const state = readKioskctlState(paths.state);
  if (!state) throw new Error('this kiosk is not enrolled from this data folder; run kioskctl enrol first');
  const client = provisioningClient(state.server);

  const { current, next } = await steps.step(
    existsSync(paths.nextWireguardKey) ? 'Reusing the new keys of an unfinished rotation' : 'Making new device keys',
    async () => ({ current: loadDeviceKeys(paths.wireguardKey, paths.signingKey), next: ensureDeviceKeys(paths.nextWireguardKey, paths.nextSigningKey) }),
    () => `check that ${options.dataDir} is writable`,
  );

  const enrolment = await steps.step(
    `Asking ${state.server} to rotate (signed with the current key)`,
    async () => {
      const deviceId = state.enrolment.deviceId;
      const proof = sign(null, keyRotationProofPayload(deviceId, next.wireguardPublicKey, next.signingPublicKey), next.signingKey).toString('base64url');
      return client.rotateKeys(
        deviceId,
        { wireguardPublicKey: next.wireguardPublicKey, signingPublicKey: next.signingPublicKey, hardwareFingerprint: hardwareFingerprint(options.hardwareId), newKeyProof: proof },
        current.signingKey,
        new Date(),
      );
    },
    (error) => nextStepForEnrolment(error, state.server),
  );

  await steps.step(
    'Putting the new keys in place',
    async () => {
      promoteKeys({ wireguard: paths.nextWireguardKey, signing: paths.nextSigningKey }, { wireguard: paths.wireguardKey, signing: paths.signingKey });
      writeEnrolmentFiles(paths, { ...state, enrolment });
    },
    () => `the server switched already; run kioskctl rotate-keys again to finish (the new keys are kept in ${paths.dataDir}/keys)`,
  );

  // The interface takes the new private key; the gateway must accept the new signing key.
  await tunnelAndGatewaySteps(steps, paths, options.interfaceName, enrolment, { deviceId: enrolment.deviceId, signingKey: next.signingKey }, options.gatewayTimeoutS);
  return enrolment;
}
