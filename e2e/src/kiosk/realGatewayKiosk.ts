import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { registerDevice } from '../../../sync-gateway/src/testing/intHarness';
import { rawX25519 } from '../../../kiosk-app/src/shell/piiSealer';
import { parseShellConfig } from '../../../kiosk-app/src/shell/shellConfig';
import { startKioskShell, type KioskShell } from '../../../kiosk-app/src/shell/startKioskShell';
import { buildRenderer } from './buildRenderer';
import { CHROMIUM_FLAGS, VIEWPORT } from './kioskHarness';

/** How a kiosk that talks to the real sync gateway is set up. */
export interface RealGatewayKioskOptions {
  /** The gateway's PostgreSQL, where the kiosk's device is registered. */
  pool: pg.Pool;
  kioskId: string;
  /** The gateway's kiosk listener (it need not be running yet). */
  gatewayUrl: string;
  /** Sync client settings (backoff, polling) over the defaults. */
  sync?: Record<string, number>;
  urgent: boolean;
  seedDemoContent: boolean;
}

/** A registered kiosk: the browser shell hosting the edge core, and Chromium on its page at the attract loop. */
export interface RealGatewayKiosk {
  shell: KioskShell;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Registers a device for `kioskId` with the gateway's registry and starts its kiosk against `gatewayUrl`. */
export async function startRealGatewayKiosk(options: RealGatewayKioskOptions): Promise<RealGatewayKiosk> {
  const key = await registerDevice(options.pool, options.kioskId, { deviceId: `dev-${options.kioskId}` });
  const dataDir = mkdtempSync(join(tmpdir(), 'atrium-e2e-gw-'));
  const deviceKeyPath = join(dataDir, 'device-key.pem');
  writeFileSync(deviceKeyPath, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const shell = await startKioskShell(
    parseShellConfig({
      edge: {
        store: { dataDir, synchronous: 'NORMAL' },
        outbox: { kioskId: options.kioskId },
        sync: options.sync ?? {},
        gateway: { url: options.gatewayUrl, deviceId: key.deviceId, deviceKeyPath, requestTimeoutMs: 10_000 },
      },
      http: { port: 0 },
      rendererDir: await buildRenderer(),
      kiosk: { idleTimeoutS: 600 },
      loyalty: { publicKey: rawX25519(generateKeyPairSync('x25519').publicKey).toString('base64'), keyId: 'cloud-e2e' },
      technician: { pinSha256: createHash('sha256').update('0000').digest('hex') },
      urgent: { enabled: options.urgent },
      browser: { launch: false },
      seedDemoContent: options.seedDemoContent,
    }),
    { log: () => undefined },
  );
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS, headless: true });
  const page = await (await browser.newContext({ viewport: VIEWPORT, hasTouch: true })).newPage();
  await page.goto(shell.pageUrl);
  await page.getByTestId('attract').waitFor();
  return {
    shell,
    browser,
    page,
    async close() {
      await browser.close();
      await shell.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
