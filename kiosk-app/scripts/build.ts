// `npm run build -w @atrium/kiosk-app` (or `npm run build:kiosk` at the root): the kiosk app,
// built for electron-builder.
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildKioskApp } from './buildKioskApp';

const HELP = `Usage: tsx kiosk-app/scripts/build.ts [--out-dir <dir>]

Builds the kiosk app for packaging with electron-builder (electron-builder.yml at the root):
  main/main.cjs         Electron main (package.json "main")
  preload/preload.cjs   the sandboxed preload, one CommonJS file requiring only electron
  backend/main.mjs      the backend main forks (edge core, bridge), native modules external
  renderer/             the shopper UI (Vite)

Options:
  --out-dir <dir>  where to build (default kiosk-app/dist; only those four folders are replaced)
  --help           show this help`;

const { values } = parseArgs({ options: { 'out-dir': { type: 'string' }, help: { type: 'boolean', default: false } } });
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const built = await buildKioskApp(values['out-dir'] === undefined ? undefined : resolve(values['out-dir']));
for (const [part, file] of Object.entries(built.files)) {
  console.log(JSON.stringify({ level: 'info', msg: 'built', part, file: relative(process.cwd(), file) }));
}
