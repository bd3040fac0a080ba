import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMall } from '@atrium/contracts';
import type { RunningGateway } from '../../../sync-gateway/src/app/startGateway';
import { upsertContent } from '../../../sync-gateway/src/content/contentStore';
import { registerDevice, stackEndpoints, startTestGateway } from '../../../sync-gateway/src/testing/intHarness';
import { rawX25519 } from '../../../kiosk-app/src/shell/piiSealer';
import { parseShellConfig } from '../../../kiosk-app/src/shell/shellConfig';
import { startKioskShell, type KioskShell } from '../../../kiosk-app/src/shell/startKioskShell';
import { buildRenderer } from './buildRenderer';
import { CHROMIUM_FLAGS, startSession, until, VIEWPORT } from './kioskHarness';

// A kiosk that starts empty and gets its mall from the real gateway's content feed, through the
// edge's content sync client hosted by the shell.
describe('content from the real gateway', () => {
  const kioskId = `mall-01-cf-${Date.now().toString(36)}`;
  let pool: pg.Pool;
  let gateway: RunningGateway;
  let shell: KioskShell;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: stackEndpoints().pgUrl, max: 2 });
    // The same items the gateway's demo seed loads; unchanged items are left alone.
    await upsertContent(pool, demoMall());
    const key = await registerDevice(pool, kioskId, { deviceId: `dev-${kioskId}` });
    gateway = await startTestGateway({ producer: 'kafkajs' });
    dataDir = mkdtempSync(join(tmpdir(), 'atrium-e2e-cf-'));
    const pemPath = join(dataDir, 'device-key.pem');
    writeFileSync(pemPath, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    shell = await startKioskShell(
      parseShellConfig({
        edge: {
          store: { dataDir, synchronous: 'NORMAL' },
          outbox: { kioskId },
          sync: {},
          gateway: { url: gateway.kioskUrl, deviceId: key.deviceId, deviceKeyPath: pemPath },
        },
        http: { port: 0 },
        rendererDir: await buildRenderer(),
        kiosk: { idleTimeoutS: 600 },
        loyalty: { publicKey: rawX25519(generateKeyPairSync('x25519').publicKey).toString('base64'), keyId: 'cloud-e2e' },
        technician: { pinSha256: createHash('sha256').update('0000').digest('hex') },
        urgent: { enabled: false },
        browser: { launch: false },
        seedDemoContent: false,
      }),
      { log: () => undefined },
    );
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS, headless: true });
    page = await (await browser.newContext({ viewport: VIEWPORT, hasTouch: true })).newPage();
    await page.goto(shell.pageUrl);
    await page.getByTestId('attract').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await shell?.close();
    await gateway?.stop();
    await pool?.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given an empty kiosk, when the content feed is pulled, then the attract loop names the mall and the directory finds its stores', async () => {
    await until(() => shell.content.kioskConfig() !== null && shell.content.searchStores('aurora').length > 0, 'the demo mall from the content feed', 90_000);
    await page.getByRole('heading', { level: 1, name: 'Welcome to Atrium Demo Mall' }).waitFor();
    await startSession(page);
    await page.getByTestId('tile-directory').click();
    await page.getByTestId('directory-search').fill('aurora');
    await page.locator('[data-testid="directory-results"][data-query="aurora"]').waitFor();
    expect(await page.locator('.result').count()).toBeGreaterThan(0);
    expect(shell.content.feedPosition().cursor).not.toBeNull();
  });
});
