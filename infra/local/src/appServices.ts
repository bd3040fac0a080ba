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

/**
 * `npm start -- --simulate N` also runs the fleet simulator with N kiosks (or ATRIUM_SIMULATE=N).
 * The option is taken out of argv here, before the stack CLI's strict parser reads it.
 */
function simulatedKiosks(argv: string[], env: NodeJS.ProcessEnv): number {
  const at = argv.findIndex((a) => a === '--simulate' || a.startsWith('--simulate='));
  if (at < 0) return Number(env.ATRIUM_SIMULATE ?? 0) || 0;
  const inline = argv[at]!.startsWith('--simulate=');
  const removed = argv.splice(at, inline ? 1 : 2);
  return Number(inline ? removed[0]!.slice('--simulate='.length) : removed[1]) || 0;
}

const GATEWAY_URL = 'http://127.0.0.1:8443';
/**
 * OTA release artefacts: the cloud services store uploads here and the gateway's update feed
 * serves them from here, so both are told the same absolute folder.
 */
export const OTA_ARTEFACT_DIR = join(process.env.ATRIUM_STATE_DIR ? resolve(process.env.ATRIUM_STATE_DIR) : join(findRepoPaths().root, '.state'), 'ota-artefacts');
const simulate = simulatedKiosks(process.argv, process.env);
// The dev kiosk seals loyalty PII to a stand-in key, so the dev cloud services run without re-sealing.
const cloudArgs = ['--no-pii-resealing'];

/** The app services `npm start` runs, in order: gateway, cloud services, a kiosk in the browser shell, and on request the simulator. */
export const APP_SERVICES: readonly AppService[] = [
  { name: 'sync-gateway', ...tsx('sync-gateway/src/main.ts'), env: () => ({ ATRIUM_GATEWAY_OTA_ARTEFACT_DIR: OTA_ARTEFACT_DIR }) },
  { name: 'cloud-services', ...tsx('cloud-services/src/main.ts', ...cloudArgs), env: () => ({ ATRIUM_OTA_ARTEFACT_DIR: OTA_ARTEFACT_DIR }) },
  { name: 'kiosk', ...tsx('e2e/src/pipeline/devKiosk.ts'), env: () => ({ ATRIUM_GATEWAY_URL: GATEWAY_URL }) },
  ...(simulate > 0
    ? [{ name: 'simulator', ...tsx('e2e/src/pipeline/fleetSimulator.ts', '--kiosks', String(simulate), '--rate', '1', '--events', '1000000', '--duration', '86400', '--mall', 'sim-dev'), env: () => ({ ATRIUM_GATEWAY_URL: GATEWAY_URL }) }]
    : []),
];
