import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KioskEnrolmentFile } from '@atrium/contracts';
import type { KioskPaths } from './kioskPaths';
import { writeJsonAtomically, type KioskctlState } from './kioskState';
import { renderWireguardConfig } from './wireguardConfigFile';

/**
 * Writes what an enrolment or rotation leaves in the data folder: kioskctl's state (0600), the
 * shared `enrolment.json` the kiosk app reads, and the WireGuard configuration file.
 */
export function writeEnrolmentFiles(paths: KioskPaths, state: KioskctlState): void {
  const e = state.enrolment;
  writeJsonAtomically(paths.state, state, 0o600);
  const shared: KioskEnrolmentFile = {
    deviceId: e.deviceId,
    kioskId: e.kioskId,
    mallId: e.mallId,
    gatewayUrl: e.gatewayUrl,
    vpnAddress: e.vpnAddress,
    interfaceName: state.interfaceName,
    enrolledAt: state.enrolledAt,
    keyGeneration: e.keyGeneration,
  };
  writeJsonAtomically(paths.enrolment, shared);
  writeWireguardConfig(paths, e);
}

/** Writes the interface's `wg setconf` file (no private key in it) from the enrolment. */
export function writeWireguardConfig(paths: KioskPaths, enrolment: KioskctlState['enrolment']): void {
  mkdirSync(dirname(paths.wireguardConfig), { recursive: true, mode: 0o700 });
  writeFileSync(paths.wireguardConfig, renderWireguardConfig(enrolment, paths.wireguardKey), { mode: 0o600 });
}
