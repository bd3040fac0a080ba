import { describe, expect, it } from 'vitest';
import { EVENT_STORE_STAGE } from '../eventStore/eventStoreWriter';
import { groupIdOf } from '../runtime/cloudConsumers';
import { ALL_PROJECTIONS, ConfigError, loadCloudConfig, OTA_UPDATE_REPORTS_STAGE } from './cloudConfig';

describe('cloud services configuration', () => {
  it('given no settings, runs every projection and the OTA report stage, and the rollout scheduler with its artefacts under .state', () => {
    const config = loadCloudConfig({});
    expect(config.projections).toEqual([...ALL_PROJECTIONS, OTA_UPDATE_REPORTS_STAGE]);
    expect(config.ota).toEqual({ artefactDir: '.state/ota-artefacts', scheduler: true, schedulerIntervalMs: 15_000 });
  });

  it('given OTA settings in the environment, when loaded, then they are converted and checked', () => {
    const config = loadCloudConfig({ ATRIUM_OTA_ARTEFACT_DIR: '/srv/ota', ATRIUM_OTA_SCHEDULER: 'false', ATRIUM_OTA_SCHEDULER_INTERVAL_MS: '500', ATRIUM_CLOUD_PROJECTIONS: 'fleet-status,ota-update-reports' });
    expect(config.ota).toEqual({ artefactDir: '/srv/ota', scheduler: false, schedulerIntervalMs: 500 });
    expect(config.projections).toEqual(['fleet-status', 'ota-update-reports']);
    expect(() => loadCloudConfig({ ATRIUM_OTA_SCHEDULER_INTERVAL_MS: '0' })).toThrow(ConfigError);
    expect(() => loadCloudConfig({ ATRIUM_CLOUD_PROJECTIONS: 'ota-reports' })).toThrow(/projections/);
  });

  it('names one consumer group per stage', () => {
    const config = loadCloudConfig({ ATRIUM_CLOUD_GROUP_PREFIX: 'p' });
    expect([EVENT_STORE_STAGE, OTA_UPDATE_REPORTS_STAGE, 'fleet-status'].map((stage) => groupIdOf(config, stage))).toEqual(['p.event-store', 'p.ota-update-reports', 'p.projection.fleet-status']);
  });
});
