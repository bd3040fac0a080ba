import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestDeviceKey } from '../edge/testing/testDeviceKey';
import { repoRoot as root, startShellProcess, testShellConfig } from './testing/shellProcess';

const dir = mkdtempSync(join(tmpdir(), 'atrium-shell-cli-'));

describe('the shell command line', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a config, when started with --no-browser --announce --seed-demo, then it announces its bridge, answers it, and stops cleanly on SIGTERM', async () => {
    const key = makeTestDeviceKey(dir);
    const configPath = join(dir, 'kiosk.json');
    writeFileSync(configPath, JSON.stringify({ ...testShellConfig({ dataDir: dir, kioskId: 'mall-01-k777', gatewayUrl: 'http://127.0.0.1:9', deviceId: 'dev-k777', deviceKeyPath: key.pemPath }), browser: { launch: true } }));
    const shell = await startShellProcess(['--config', configPath, '--no-browser', '--announce', '--seed-demo']);
    const info = await shell.call('kioskInfo');
    expect(info).toMatchObject({ ok: true, value: { kioskId: 'mall-01-k777', mallName: 'Atrium Demo Mall', floors: [0, 1, 2] } });
    shell.child.kill('SIGTERM');
    expect(await shell.exit).toBe(0);
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
