/**
 * What the kiosk updater needs from Electron main. The edge downloads, verifies and stages the
 * update itself (so it can refuse a bad digest and report why); main only has to restart the app
 * once the installer has put the new AppImage in place. The updater runs in the kiosk backend, so
 * the backend fills this in: `appVersion` from main's `--app-version`, and `relaunch` by exiting
 * with RELAUNCH_EXIT_CODE, which main answers with `app.relaunch()` and `app.exit(0)`
 * (main/updaterWiring.ts).
 */
export interface ElectronUpdaterPort {
  /** The version of the running app (`app.getVersion()`). */
  appVersion(): string;
  /** Quits and starts the app again; the call may not return. */
  relaunch(): void;
}
