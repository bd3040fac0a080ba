// The browser shell's entry point: `tsx kiosk-app/src/shell/main.ts --config kiosk.json`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readEnrolment } from '../edge';
import { parseShellConfig } from './shellConfig';
import { startKioskShell } from './startKioskShell';

const HELP = `Usage: tsx kiosk-app/src/shell/main.ts --config <file.json> [options]

Hosts the kiosk's edge core (store, outbox, sync, content cache), serves the built renderer
(kiosk-app/dist, made by \`npx vite build -c kiosk-app/vite.config.ts\`) and the bridge on
127.0.0.1, and keeps Debian Chromium up in --kiosk --app mode.

Options:
  --config <file>   JSON shell configuration (see ShellConfig in shellConfig.ts)
  --data-dir <dir>  an enrolled kiosk data folder: store, kiosk id, gateway and device key are
                    taken from its enrolment.json (written by \`kioskctl enrol\`)
  --port <n>        listen on this port (0 = any free port)
  --no-browser      do not launch Chromium (Electron main or a test drives the page)
  --announce        print one JSON line {"msg":"bridge listening","url","secret"} on stdout
  --seed-demo       load the demo mall into an empty content cache
  --help            show this help`;

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    'no-browser': { type: 'boolean', default: false },
    announce: { type: 'boolean', default: false },
    'seed-demo': { type: 'boolean', default: false },
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
  http: { ...(raw['http'] as object), ...(values.port !== undefined ? { port: Number(values.port) } : {}) },
  browser: { ...(raw['browser'] as object), ...(values['no-browser'] ? { launch: false } : {}) },
  ...(values['seed-demo'] ? { seedDemoContent: true } : {}),
});
const shell = await startKioskShell(config);
console.log(JSON.stringify({ level: 'info', msg: 'bridge listening', url: shell.url, ...(values.announce ? { secret: shell.secret } : {}) }));

const shutdown = (signal: string) => {
  console.log(JSON.stringify({ level: 'info', msg: 'shutting down', signal }));
  void shell.close().then(() => process.exit(0));
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
