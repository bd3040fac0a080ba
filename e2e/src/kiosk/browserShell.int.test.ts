import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeviceKey } from '../../../kiosk-app/src/edge/testing/testDeviceKey';
import { rawX25519 } from '../../../kiosk-app/src/shell/piiSealer';
import { parseShellConfig } from '../../../kiosk-app/src/shell/shellConfig';
import { startKioskShell, type KioskShell } from '../../../kiosk-app/src/shell/startKioskShell';
import { buildRenderer } from './buildRenderer';
import { KIOSK_ID, until } from './kioskHarness';

/** Connects Playwright to the Chromium the shell launched, through its DevTools port file. */
async function attach(profile: string, previousPort?: string): Promise<Browser> {
  const port = await until(() => {
    try {
      const value = readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0];
      return value && value !== previousPort ? value : null;
    } catch {
      return null;
    }
  }, 'Chromium to open its DevTools port');
  return chromium.connectOverCDP(`http://127.0.0.1:${port}`);
}

describe('the browser shell launches Chromium in kiosk mode and keeps it up', () => {
  let shell: KioskShell;
  let dataDir: string;
  let profile: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'atrium-shell-'));
    profile = join(dataDir, 'chromium');
    const key = makeTestDeviceKey(dataDir);
    shell = await startKioskShell(
      parseShellConfig({
        edge: {
          store: { dataDir, synchronous: 'NORMAL' },
          outbox: { kioskId: KIOSK_ID },
          sync: {},
          // Nothing listens here: the kiosk runs offline throughout.
          gateway: { url: 'http://127.0.0.1:9', deviceId: 'dev-shell', deviceKeyPath: key.pemPath },
        },
        http: { port: 0 },
        rendererDir: await buildRenderer(),
        kiosk: {},
        loyalty: { publicKey: rawX25519(generateKeyPairSync('x25519').publicKey).toString('base64'), keyId: 'k' },
        technician: { pinSha256: createHash('sha256').update('0000').digest('hex') },
        urgent: { enabled: false },
        browser: { launch: true, headless: true, userDataDir: profile, remoteDebuggingPort: 0 },
        seedDemoContent: true,
      }),
      { log: () => undefined },
    );
  });
  afterAll(async () => {
    await shell?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given the shell, when it starts, then Chromium shows the attract loop from the shell with the bridge working', async () => {
    const browser = await attach(profile);
    const page = await until(() => browser.contexts()[0]?.pages()[0], 'the kiosk page');
    await page.getByTestId('attract').waitFor();
    expect(page.url()).toBe(shell.pageUrl);
    await page.getByTestId('attract-start').click();
    await page.getByTestId('screen-home').waitFor();
    await browser.close();
  });

  it('given Chromium dies, when the shell notices, then it starts it again on the attract loop', async () => {
    const before = readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0];
    const pid = shell.browser!.pid!;
    process.kill(pid, 'SIGKILL');
    await until(() => shell.browser!.starts === 2 && shell.browser!.pid !== undefined && shell.browser!.pid !== pid, 'a new Chromium');
    const browser = await attach(profile, before);
    const page = await until(() => browser.contexts()[0]?.pages()[0], 'the kiosk page');
    await page.getByTestId('attract').waitFor();
    await browser.close();
  });
});
