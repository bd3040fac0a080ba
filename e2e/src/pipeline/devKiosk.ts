// One kiosk in the browser shell for `npm start`: provisions a dev kiosk (device key, registry row,
// shell configuration) on first run, then runs kiosk-app/src/shell/main.ts with it.
// `tsx e2e/src/pipeline/devKiosk.ts --help`.
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import { buildRenderer } from '../kiosk/buildRenderer';
import { provisionDevice, simulatedIdentity } from './provisionDevice';

const HELP = `Usage: tsx e2e/src/pipeline/devKiosk.ts [options]

Runs one kiosk in the browser shell against the local gateway (what \`npm start\` runs). On first
run it provisions the kiosk as kioskctl would (Ed25519 key in its data folder, device row in
atrium.devices) and writes the shell configuration; later runs reuse them.

Options:
  --kiosk <n>       kiosk number in mall "mall-dev" (default 1: mall-dev-k001)
  --port <n>        the shell's HTTP port (default 8480: open http://127.0.0.1:8480)
  --gateway <url>   gateway URL (default $ATRIUM_GATEWAY_URL or http://127.0.0.1:8443)
  --pg <url>        PostgreSQL with atrium.devices (default $ATRIUM_PG_URL)
  --browser         launch Chromium in kiosk mode (default: only when $DISPLAY is set)
  --help            this text

Technician PIN of the dev kiosk: 2468. State: .state/dev-kiosk/ (or $ATRIUM_STATE_DIR/dev-kiosk).
`;

function main(): void {
  const { values } = parseArgs({
    strict: true,
    options: { kiosk: { type: 'string' }, port: { type: 'string' }, gateway: { type: 'string' }, pg: { type: 'string' }, browser: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const root = findRepoPaths().root;
  const stateDir = join(process.env.ATRIUM_STATE_DIR ?? join(root, '.state'), 'dev-kiosk');
  const identity = simulatedIdentity(stateDir, 'mall-dev', Number(values.kiosk ?? 1));
  const gatewayUrl = values.gateway ?? process.env.ATRIUM_GATEWAY_URL ?? 'http://127.0.0.1:8443';
  const pgUrl = values.pg ?? process.env.ATRIUM_PG_URL ?? 'postgres://atrium:atrium@127.0.0.1:5433/atrium';
  const configPath = join(stateDir, `${identity.kioskId}.shell.json`);
  const launch = values.browser ?? Boolean(process.env.DISPLAY);
  void (async () => {
    const pool = new pg.Pool({ connectionString: pgUrl, max: 1 });
    try {
      await provisionDevice(pool, identity);
    } finally {
      await pool.end();
    }
    mkdirSync(stateDir, { recursive: true });
    if (!existsSync(configPath)) {
      // A stand-in cloud loyalty key: the dev cloud services run without PII re-sealing.
      const loyaltyKey = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' }).x ?? '';
      const config = {
        edge: {
          store: { dataDir: identity.dataDir },
          outbox: { kioskId: identity.kioskId },
          sync: {},
          gateway: { url: gatewayUrl, deviceId: identity.deviceId, deviceKeyPath: identity.keyPath },
        },
        http: { port: 8480 },
        kiosk: {},
        loyalty: { publicKey: Buffer.from(loyaltyKey, 'base64url').toString('base64'), keyId: 'dev-cloud' },
        technician: { pinSha256: createHash('sha256').update('2468').digest('hex') },
        urgent: {},
        browser: { userDataDir: join(stateDir, 'chromium') },
      };
      writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    }
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as { edge: { gateway: { url: string } }; rendererDir: string };
    config.edge.gateway.url = gatewayUrl;
    // Built when its sources changed (a fresh clone has no build yet).
    config.rendererDir = await buildRenderer();
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    const args = ['--import', 'tsx', 'kiosk-app/src/shell/main.ts', '--config', configPath, '--port', values.port ?? '8480', '--seed-demo', ...(launch ? [] : ['--no-browser'])];
    const shell = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => shell.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    shell.on('exit', (code, signal) => {
      process.exitCode = code ?? (signal ? 1 : 0);
      process.exit();
    });
  })().catch((error: unknown) => {
    process.stderr.write(`dev kiosk: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}

main();
