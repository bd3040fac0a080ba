import { join, resolve } from 'node:path';
import { findRepoPaths } from './repoPaths';
import type { StackEndpoints } from './stackEndpoints';

/** A process of ours (gateway, writer, …) that `npm start` runs in the foreground next to the stack. */
export interface AppService {
  name: string;
  command: string;
  args: string[];
  /** Relative to the repo root; default the repo root. */
  cwd?: string;
  /** Extra env on top of the ATRIUM_* endpoint variables every app service receives. */
  env?: (endpoints: StackEndpoints) => Record<string, string>;
}

const tsx = (script: string, ...args: string[]): Pick<AppService, 'command' | 'args'> => ({ command: process.execPath, args: ['--import', 'tsx', script, ...args] });

const GATEWAY_URL = 'http://127.0.0.1:8443';
/**
 * OTA release artefacts: the cloud services store uploads here and the gateway's update feed
 * serves them from here, so both are told the same absolute folder.
 */
export const OTA_ARTEFACT_DIR = join(process.env.ATRIUM_STATE_DIR ? resolve(process.env.ATRIUM_STATE_DIR) : join(findRepoPaths().root, '.state'), 'ota-artefacts');
// The dev kiosk seals loyalty PII to a stand-in key, so the dev cloud services run without re-sealing.
const cloudArgs = ['--no-pii-resealing'];

/** What `npm start` was asked for beyond the defaults. */
export interface AppServiceOptions {
  /** Simulated kiosks to run beside the dev kiosk (`--simulate N`); 0 for none. */
  simulate: number;
}

/** The app services `npm start` runs, in order: gateway, cloud services, a kiosk in the browser shell, and on request the simulator. */
export function appServices(options: AppServiceOptions): AppService[] {
  return [
    { name: 'sync-gateway', ...tsx('sync-gateway/src/main.ts'), env: () => ({ ATRIUM_GATEWAY_OTA_ARTEFACT_DIR: OTA_ARTEFACT_DIR }) },
    { name: 'cloud-services', ...tsx('cloud-services/src/main.ts', ...cloudArgs), env: () => ({ ATRIUM_OTA_ARTEFACT_DIR: OTA_ARTEFACT_DIR }) },
    { name: 'kiosk', ...tsx('e2e/src/pipeline/devKiosk.ts'), env: () => ({ ATRIUM_GATEWAY_URL: GATEWAY_URL }) },
    ...(options.simulate > 0
      ? [{ name: 'simulator', ...tsx('e2e/src/pipeline/fleetSimulator.ts', '--kiosks', String(options.simulate), '--rate', '1', '--events', '1000000', '--duration', '86400', '--mall', 'sim-dev'), env: () => ({ ATRIUM_GATEWAY_URL: GATEWAY_URL }) }]
      : []),
  ];
}
