// The kiosk updater's Node adapter: feed client, resumable verified download, AppImage installer
// and the orchestrating KioskUpdater. The kiosk backend (shell/kioskUpdates.ts) wires it with the
// device-signed fetch and the outbox append; Electron main restarts the app when the backend exits
// with RELAUNCH_EXIT_CODE.
export { KioskUpdater, type KioskUpdaterDeps } from './kioskUpdater';
export { KioskUpdaterConfig, parseKioskUpdaterConfig } from './kioskUpdaterConfig';
export { appImageInstaller, type UpdateInstaller, type AppImageInstallerOptions } from './appImageInstaller';
export type { ElectronUpdaterPort } from './electronUpdaterPort';
export { checkUpdateFeed, type UpdaterFetch, type FeedCheck } from './updateFeedClient';
export { downloadArtefact, DownloadInterrupted } from './artefactDownloader';
export { deviceSignedFetch, type DeviceSignedFetchOptions } from './deviceSignedFetch';
export { RELAUNCH_EXIT_CODE } from './relaunchExitCode';
