import { join } from 'node:path';
import { UPDATE_FEED_PATH } from '@atrium/contracts';
import { DeviceKeyFile, type KioskEdge } from '../edge';
import { appImageInstaller, deviceSignedFetch, KioskUpdater, parseKioskUpdaterConfig } from '../edge/updater';
import type { HealthReport } from '../core/updater/updaterState';
import type { ShellConfig } from './shellConfig';
import type { ShopperActivity } from './shopperActivity';

/** What the kiosk's updater is wired to in the backend. */
export interface KioskUpdatesDeps {
  config: ShellConfig;
  edge: KioskEdge;
  activity: ShopperActivity;
  /** Starts the app again once another AppImage is in place (Electron main does it; see RELAUNCH_EXIT_CODE). */
  relaunch: () => void;
  log: (entry: Record<string, unknown>) => void;
  now?: () => number;
}

/**
 * Creates and starts the kiosk updater in the process that hosts the edge: it polls the gateway's
 * per-device feed (`<gateway>/v1/updates`, requests signed as the device), records every step in
 * the outbox as `kiosk.update.*`, installs only while nobody uses the kiosk and inside the
 * maintenance window, and after a restart checks health (renderer up, sync working) before the
 * deadline. The updater's files live in `<data dir>/updates`.
 */
export async function startKioskUpdates(deps: KioskUpdatesDeps): Promise<KioskUpdater> {
  const { config, edge } = deps;
  const now = deps.now ?? Date.now;
  const { appImagePath, feedUrl, fallbackWindow, checkIntervalMs, tickIntervalMs, healthCheckIntervalMs, healthDeadlineMs, retryDelayMs } = config.updates;
  if (!appImagePath) throw new Error('updates.appImagePath is required for self-update (Electron main passes $APPIMAGE)');
  const dataDir = join(config.edge.store.dataDir, 'updates');
  const updaterConfig = parseKioskUpdaterConfig({
    feedUrl: feedUrl ?? `${config.edge.gateway.url.replace(/\/$/, '')}${UPDATE_FEED_PATH}`,
    dataDir,
    ...(checkIntervalMs ? { checkIntervalMs } : {}),
    ...(tickIntervalMs ? { tickIntervalMs } : {}),
    ...(healthCheckIntervalMs ? { healthCheckIntervalMs } : {}),
    ...(healthDeadlineMs ? { healthDeadlineMs } : {}),
    ...(retryDelayMs ? { retryDelayMs } : {}),
    ...(fallbackWindow ? { fallbackWindow } : {}),
  });
  // The gateway answered a signed request of this process (the feed): the link and the device's
  // credentials work, which is what "sync working" means while there is nothing to upload.
  let gatewayAnswered = false;
  const keyFile = new DeviceKeyFile(config.edge.gateway.deviceKeyPath);
  const fetch = deviceSignedFetch({
    deviceId: config.edge.gateway.deviceId,
    privateKey: () => keyFile.current(),
    nowMs: () => edge.clock.nowMs(),
    onAnswer: (status) => {
      if (status < 500 && status !== 401 && status !== 403) gatewayAnswered = true;
    },
  });
  const health = async (): Promise<HealthReport> => {
    const sync = edge.sync.status();
    // lastSuccessAt belongs to this process's sync client: an upload acknowledged since the start.
    return { rendererUp: deps.activity.rendererSeen(), syncOk: sync.lastSuccessAt !== null || (sync.queue.total === 0 && gatewayAnswered) };
  };
  const updater = await KioskUpdater.open(
    {
      config: updaterConfig,
      fetch,
      append: (event) => void edge.outbox.append(event),
      activity: () => deps.activity.activity(now()),
      health,
      installer: appImageInstaller({ appImagePath, keepDir: join(dataDir, 'installed'), electron: { relaunch: deps.relaunch } }),
      now,
      onError: (error, where) => deps.log({ level: 'warn', msg: 'updater: step failed', where, err: String(error) }),
    },
    config.kiosk.version,
  );
  updater.start();
  deps.log({ level: 'info', msg: 'updater started', version: config.kiosk.version, feedUrl: updaterConfig.feedUrl, state: updater.state().current.step });
  return updater;
}
