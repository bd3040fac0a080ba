import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appServices, OTA_ARTEFACT_DIR } from './appServices';
import { endpointsFor } from './stackEndpoints';
import { resolveStackConfig } from './stackConfig';
import { findRepoPaths } from './repoPaths';

describe('the app services npm start runs', () => {
  it('tells the cloud services and the gateway the same OTA artefact folder (under the state folder)', () => {
    const endpoints = endpointsFor(resolveStackConfig({ profile: 'dev', brokers: 1 }, {}, findRepoPaths()));
    const envOf = (name: string) => appServices({ simulate: 0 }).find((s) => s.name === name)?.env?.(endpoints) ?? {};
    expect(envOf('cloud-services')['ATRIUM_OTA_ARTEFACT_DIR']).toBe(OTA_ARTEFACT_DIR);
    expect(envOf('sync-gateway')['ATRIUM_GATEWAY_OTA_ARTEFACT_DIR']).toBe(OTA_ARTEFACT_DIR);
    expect(isAbsolute(OTA_ARTEFACT_DIR)).toBe(true);
  });

  it('given --simulate N, then the fleet simulator runs N kiosks beside the dev kiosk; without it, no simulator', () => {
    expect(appServices({ simulate: 0 }).map((s) => s.name)).toEqual(['sync-gateway', 'cloud-services', 'kiosk']);
    const simulator = appServices({ simulate: 12 }).find((s) => s.name === 'simulator');
    expect(simulator?.args.slice(simulator.args.indexOf('--kiosks'), simulator.args.indexOf('--kiosks') + 2)).toEqual(['--kiosks', '12']);
  });
});
