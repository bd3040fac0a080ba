import { updaterBackendArgs, type UpdaterLaunch } from './updaterWiring';

/** What main knows when it forks the backend. */
export interface BackendLaunch {
  /** The built renderer the backend serves (inside the package when packaged). */
  rendererDir: string;
  /** The kiosk's own options, as given to the app (`--config=…`, `--data-dir=…`). */
  kioskArgs: readonly string[];
  updater: UpdaterLaunch;
}

/**
 * The backend's command line as main forks it: no browser of its own (main shows the page),
 * its endpoint and secret announced on stdout for `startBackend`, the renderer it serves, then
 * the kiosk's options and the updater's.
 */
export function backendArgs(launch: BackendLaunch): string[] {
  return ['--no-browser', '--announce', '--renderer-dir', launch.rendererDir, ...launch.kioskArgs, ...updaterBackendArgs(launch.updater)];
}
