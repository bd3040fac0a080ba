/**
 * What the kiosk updater needs from Electron main. The edge downloads, verifies and stages the
 * update itself (so it can refuse a bad digest and report why); main only has to restart the app
 * once the installer has put the new AppImage in place. Main fills this in with `app.relaunch()`
 * and `app.exit(0)`, or, where electron-updater does the swap, with its autoUpdater:
 * `autoUpdater.autoDownload = false; autoUpdater.autoInstallOnAppQuit = false;` and
 * `autoUpdater.quitAndInstall(true, true)` in `relaunch`.
 */
export interface ElectronUpdaterPort {
  /** The version of the running app (`app.getVersion()`). */
  appVersion(): string;
  /** Quits and starts the app again; the call may not return. */
  relaunch(): void;
}
