// The browser shell's entry point: `tsx kiosk-app/src/shell/main.ts --config kiosk.json`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readEnrolment } from '../edge';
import { RELAUNCH_EXIT_CODE } from '../edge/updater/relaunchExitCode';
import { parseShellConfig } from './shellConfig';
import { startKioskShell, type KioskShell } from './startKioskShell';

const HELP = `Usage: tsx kiosk-app/src/shell/main.ts --config <file.json> [options]

Hosts the kiosk's edge core (store, outbox, sync, content cache), serves the built renderer
(kiosk-app/dist/renderer, made by \`npx vite build -c kiosk-app/vite.config.ts\`) and the bridge on
127.0.0.1, and keeps Debian Chromium up in --kiosk --app mode.

Options:
  --config <file>   JSON shell configuration (see ShellConfig in shellConfig.ts)
  --data-dir <dir>  an enrolled kiosk data folder: store, kiosk id, gateway and device key are
                    taken from its enrolment.json (written by \`kioskctl enrol\`)
  --port <n>        listen on this port (0 = any free port)
  --renderer-dir <dir>
                    serve the renderer from here instead of the config's rendererDir (Electron
                    main passes the one inside the package)
  --no-browser      do not launch Chromium (Electron main or a test drives the page)
  --announce        print one JSON line {"msg":"bridge listening","url","secret"} on stdout
  --seed-demo       load the demo mall into an empty content cache
  --app-version <v> the version this kiosk runs (Electron main passes app.getVersion())
  --self-update <appimage>
                    run the updater on this AppImage (Electron main passes $APPIMAGE when packaged):
                    poll the gateway's /v1/updates, install when idle inside the maintenance window,
                    then exit with code ${RELAUNCH_EXIT_CODE} so the new version is started
  --help            show this help`;

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    'renderer-dir': { type: 'string' },
    'no-browser': { type: 'boolean', default: false },
    announce: { type: 'boolean', default: false },
    'seed-demo': { type: 'boolean', default: false },
    'app-version': { type: 'string' },
    'self-update': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || !values.config) {
  console.log(HELP);
  process.exit(values.help ? 0 : 2);
}

const raw = JSON.parse(readFileSync(values.config, 'utf8')) as Record<string, unknown>;
const dataDir = values['data-dir'];
const enrolled = dataDir ? readEnrolment(dataDir) : null;
const rawEdge = (raw['edge'] ?? {}) as Record<string, Record<string, unknown>>;
const config = parseShellConfig({
  ...raw,
  ...(enrolled && dataDir
    ? {
        edge: {
          ...rawEdge,
          store: { ...rawEdge['store'], dataDir },
          outbox: { ...rawEdge['outbox'], kioskId: enrolled.kioskId },
          gateway: { ...rawEdge['gateway'], url: enrolled.url, deviceId: enrolled.deviceId, deviceKeyPath: enrolled.deviceKeyPath },
        },
      }
    : {}),
  ...(values['renderer-dir'] ? { rendererDir: values['renderer-dir'] } : {}),
  http: { ...(raw['http'] as object), ...(values.port !== undefined ? { port: Number(values.port) } : {}) },
  browser: { ...(raw['browser'] as object), ...(values['no-browser'] ? { launch: false } : {}) },
  ...(values['seed-demo'] ? { seedDemoContent: true } : {}),
  kiosk: { ...(raw['kiosk'] as object), ...(values['app-version'] ? { version: values['app-version'] } : {}) },
  ...(values['self-update'] ? { updates: { ...(raw['updates'] as object), enabled: true, appImagePath: values['self-update'] } } : {}),
});

let shell: KioskShell | null = null;
let stopping = false;
let exitCode = 0;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.log(JSON.stringify({ level: 'info', msg: 'shutting down', signal }));
  const stopped = shell ? shell.close() : Promise.resolve();
  void stopped.then(() => process.exit(exitCode));
}
shell = await startKioskShell(config, {
  // The updater put another AppImage in place: stop cleanly and let the host start the new one.
  relaunch: () => {
    exitCode = RELAUNCH_EXIT_CODE;
    setImmediate(() => shutdown('relaunch'));
  },
});
console.log(JSON.stringify({ level: 'info', msg: 'bridge listening', url: shell.url, ...(values.announce ? { secret: shell.secret } : {}) }));

process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
