import { join } from 'node:path';
import { kioskDataFiles } from '@atrium/contracts';

/** Where kioskctl keeps each file in the kiosk's data folder. */
export interface KioskPaths {
  dataDir: string;
  signingKey: string;
  wireguardKey: string;
  /** Keys made for a rotation that has not finished yet. */
  nextSigningKey: string;
  nextWireguardKey: string;
  enrolment: string;
  state: string;
  wireguardConfig: string;
  runDir: string;
  kioskDb: string;
}

/** kioskctl's own state file in a data folder (the enrolment, as kioskctl remembers it). */
export function kioskctlStatePath(dataDir: string): string {
  return join(dataDir, 'kioskctl/state.json');
}

/** The data folder layout (shared file names come from contracts, the rest are kioskctl's own). */
export function kioskPaths(dataDir: string, interfaceName: string): KioskPaths {
  return {
    dataDir,
    signingKey: join(dataDir, kioskDataFiles.signingKey),
    wireguardKey: join(dataDir, kioskDataFiles.wireguardKey),
    nextSigningKey: join(dataDir, 'keys/device-ed25519.next.pem'),
    nextWireguardKey: join(dataDir, 'keys/wireguard.next.key'),
    enrolment: join(dataDir, kioskDataFiles.enrolment),
    state: kioskctlStatePath(dataDir),
    wireguardConfig: join(dataDir, 'wireguard', `${interfaceName}.conf`),
    runDir: join(dataDir, 'run'),
    kioskDb: join(dataDir, 'kiosk.db'),
  };
}
