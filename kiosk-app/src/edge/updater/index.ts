// The kiosk updater's Node adapter: feed client, resumable verified download, AppImage installer
// and the orchestrating KioskUpdater. Main wires it with an ElectronUpdaterPort and the edge's
// signing fetch and outbox append.
export { KioskUpdater, type KioskUpdaterDeps } from './kioskUpdater';
export { KioskUpdaterConfig, parseKioskUpdaterConfig } from './kioskUpdaterConfig';
export { appImageInstaller, type UpdateInstaller, type AppImageInstallerOptions } from './appImageInstaller';
export type { ElectronUpdaterPort } from './electronUpdaterPort';
export { checkUpdateFeed, type UpdaterFetch, type FeedCheck } from './updateFeedClient';
export { downloadArtefact, DownloadInterrupted } from './artefactDownloader';
