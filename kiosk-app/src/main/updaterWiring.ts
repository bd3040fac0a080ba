// What Electron main does for self-update, kept as plain functions so Node can test them: the
// updater itself runs in the backend (shell/kioskUpdates.ts), which hosts the edge and its outbox.
import { RELAUNCH_EXIT_CODE } from '../edge/updater/relaunchExitCode';

/** How main starts the kiosk. */
export interface UpdaterLaunch {
  /** `app.getVersion()`. */
  appVersion: string;
  /** `app.isPackaged`. */
  packaged: boolean;
  /** `$APPIMAGE`, set by the AppImage runtime to the file the kiosk runs from. */
  appImagePath: string | undefined;
}

/**
 * The backend's arguments for the updater: always the running version; `--self-update` only for a
 * packaged AppImage (a development run or a deb install has no file to replace).
 */
export function updaterBackendArgs(launch: UpdaterLaunch): string[] {
  const selfUpdate = launch.packaged && launch.appImagePath ? ['--self-update', launch.appImagePath] : [];
  return ['--app-version', launch.appVersion, ...selfUpdate];
}

/**
 * `app.relaunch()` options when the backend exits asking for it (null for any other exit): the
 * AppImage file is started again, now holding the new (or the previous) version.
 */
export function relaunchOnBackendExit(code: number | null, launch: UpdaterLaunch, argv: readonly string[]): { execPath?: string; args?: string[] } | null {
  if (code !== RELAUNCH_EXIT_CODE) return null;
  return launch.appImagePath ? { execPath: launch.appImagePath, args: argv.slice(1) } : {};
}
