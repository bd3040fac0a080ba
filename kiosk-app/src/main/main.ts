// Electron entry: one kiosk window over the backend that hosts the edge core. Kept thin on
// purpose; everything that can run under plain Node lives elsewhere and is tested there.
import { app, type BrowserWindow } from 'electron';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { backendArgs, kioskArgsOf } from './backendArgs';
import { relayBridge } from './bridgeRelay';
import { kioskBundlePaths } from './kioskBundleLayout';
import { createKioskWindow } from './kioskWindow';
import { decideOnCrash, initialCrashPolicyState } from './rendererCrashPolicy';
import { startBackend } from './startBackend';
import { relaunchOnBackendExit, type UpdaterLaunch } from './updaterWiring';

/** Electron main's configuration, validated once at start. */
const MainConfig = Type.Object({
  production: Type.Boolean(),
  backendEntry: Type.String({ minLength: 1 }),
  preloadPath: Type.String({ minLength: 1 }),
  rendererDir: Type.String({ minLength: 1 }),
  kioskArgs: Type.Array(Type.String()),
  appVersion: Type.String({ minLength: 1 }),
  appImagePath: Type.Optional(Type.String({ minLength: 1 })),
});
type MainConfig = Static<typeof MainConfig>;

function readConfig(): MainConfig {
  // Main runs only as its CommonJS bundle (kiosk-app/scripts/build.ts), so __dirname is that
  // bundle's folder, in the package (app.asar) as in kiosk-app/dist.
  const bundled = kioskBundlePaths(__dirname);
  const config = {
    production: app.isPackaged,
    backendEntry: process.env['ATRIUM_BACKEND_ENTRY'] ?? bundled.backendEntry,
    preloadPath: bundled.preloadPath,
    rendererDir: bundled.rendererDir,
    kioskArgs: kioskArgsOf(process.argv.slice(app.isPackaged ? 1 : 2)),
    appVersion: app.getVersion(),
    ...(process.env['APPIMAGE'] ? { appImagePath: process.env['APPIMAGE'] } : {}),
  };
  if (!Value.Check(MainConfig, config)) throw new Error(`Invalid main configuration: ${[...Value.Errors(MainConfig, config)].map((e) => e.path).join(', ')}`);
  return config;
}

async function run(config: MainConfig): Promise<void> {
  await app.whenReady();
  // The updater runs in the backend, beside the outbox it records to; main only restarts the app for it.
  const launch: UpdaterLaunch = { appVersion: config.appVersion, packaged: config.production, appImagePath: config.appImagePath };
  const args = backendArgs({ rendererDir: config.rendererDir, kioskArgs: config.kioskArgs, updater: launch });
  const { child, endpoint } = await startBackend(config.backendEntry, args);
  child.on('exit', (code) => {
    const relaunch = relaunchOnBackendExit(code, launch, process.argv);
    if (!relaunch) return;
    app.relaunch(relaunch);
    app.exit(0);
  });
  const allowedOrigins = [new URL(endpoint.url).origin];
  let crashState = initialCrashPolicyState;
  let window: BrowserWindow = createKioskWindow({ url: `${endpoint.url}/`, preloadPath: config.preloadPath, production: config.production, allowedOrigins });
  const clearShopperTraces = () => {
    void window.webContents.session.clearStorageData();
    window.webContents.navigationHistory.clear();
  };
  relayBridge(window, endpoint, allowedOrigins, clearShopperTraces);
  window.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    const decision = decideOnCrash(crashState, Date.now());
    crashState = decision.state;
    switch (decision.action.kind) {
      case 'reload':
        window.webContents.reload();
        return;
      case 'restart-app':
        app.relaunch();
        app.exit(0);
        return;
      default: {
        const never: never = decision.action;
        throw new Error(`Unhandled crash action ${JSON.stringify(never)}`);
      }
    }
  });
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('before-quit', () => child.kill());
  app.on('window-all-closed', () => {
    window = createKioskWindow({ url: `${endpoint.url}/`, preloadPath: config.preloadPath, production: config.production, allowedOrigins });
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  run(readConfig()).catch((err: unknown) => {
    console.error(JSON.stringify({ level: 'fatal', msg: 'kiosk main failed', err: String(err) }));
    app.exit(1);
  });
}
