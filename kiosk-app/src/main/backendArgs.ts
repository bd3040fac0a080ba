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

/** The kiosk options a user may give the app that the backend understands; main sets the rest itself. */
const KIOSK_OPTIONS = new Set(['--config', '--data-dir', '--port', '--seed-demo']);

/**
 * The kiosk's own options out of the app's command line. Chromium's and Electron's switches
 * (`--no-sandbox`, `--enable-logging`, …) share that command line, and the backend refuses
 * options it does not know, so only the kiosk's pass; a value must be joined (`--config=/path`).
 */
export function kioskArgsOf(argv: readonly string[]): string[] {
  return argv.filter((a) => KIOSK_OPTIONS.has(a.split('=', 1)[0]!));
}
