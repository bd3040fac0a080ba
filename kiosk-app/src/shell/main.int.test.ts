import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestDeviceKey } from '../edge/testing/testDeviceKey';
import { BRIDGE_SECRET_HEADER } from '../bridge';
import { rawX25519 } from './piiSealer';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'atrium-shell-cli-'));

describe('the shell command line', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a config, when started with --no-browser --announce --seed-demo, then it announces its bridge, answers it, and stops cleanly on SIGTERM', async () => {
    const key = makeTestDeviceKey(dir);
    const configPath = join(dir, 'kiosk.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        edge: { store: { dataDir: dir }, outbox: { kioskId: 'mall-01-k777' }, sync: {}, gateway: { url: 'http://127.0.0.1:9', deviceId: 'dev-k777', deviceKeyPath: key.pemPath } },
        http: {},
        rendererDir: join(root, 'kiosk-app/dist'),
        kiosk: {},
        loyalty: { publicKey: rawX25519(generateKeyPairSync('x25519').publicKey).toString('base64'), keyId: 'k' },
        technician: { pinSha256: createHash('sha256').update('0000').digest('hex') },
        urgent: { enabled: false },
        browser: { launch: true },
      }),
    );
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['kiosk-app/src/shell/main.ts', '--config', configPath, '--no-browser', '--announce', '--seed-demo'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const announced = await new Promise<{ url: string; secret: string }>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`shell exited early with ${code}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; url: string; secret: string };
        if (entry.msg === 'bridge listening') resolve(entry);
      });
    });
    const info = await fetch(`${announced.url}/bridge/kioskInfo`, { method: 'POST', headers: { 'content-type': 'application/json', [BRIDGE_SECRET_HEADER]: announced.secret }, body: '{}' }).then((r) => r.json());
    expect(info).toMatchObject({ ok: true, value: { kioskId: 'mall-01-k777', mallName: 'Atrium Demo Mall', floors: [0, 1, 2] } });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('given --help, when run, then it explains itself and exits 0', async () => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['kiosk-app/src/shell/main.ts', '--help'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(out).toContain('Usage: tsx kiosk-app/src/shell/main.ts');
  });
});
