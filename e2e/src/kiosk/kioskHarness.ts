import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ValidEvent } from '@atrium/contracts';
import { makeTestDeviceKey } from '../../../kiosk-app/src/edge/testing/testDeviceKey';
import { TestGateway } from '../../../kiosk-app/src/edge/testing/testGateway';
import { rawX25519 } from '../../../kiosk-app/src/shell/piiSealer';
import { parseShellConfig } from '../../../kiosk-app/src/shell/shellConfig';
import { startKioskShell, type KioskShell } from '../../../kiosk-app/src/shell/startKioskShell';
import { buildRenderer } from './buildRenderer';
import { UrgentChannel } from './urgentChannel';

export const KIOSK_ID = 'mall-01-k042';
export const DEVICE_ID = 'dev-k042';
export const TECHNICIAN_PIN = '246810';
/** A portrait kiosk screen. */
export const VIEWPORT = { width: 1080, height: 1920 };

/** The flags every Chromium launch here uses: no sandbox as root, no outside address ever contacted. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Options of one kiosk under test. */
export interface KioskOptions {
  /** Start with the gateway down (the kiosk is offline until `gateway.start(port)`). */
  offline?: boolean;
  idleTimeoutS?: number;
}

/** A real kiosk: the browser shell hosting the edge core, a real gateway, and Chromium on the page. */
export interface KioskUnderTest {
  shell: KioskShell;
  gateway: TestGateway;
  gatewayPort: number;
  urgent: UrgentChannel;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  cloudKey: { publicKey: KeyObject; privateKey: KeyObject };
  /** Every event in the kiosk's SQLite outbox, read through the edge API. */
  outboxEvents(): ValidEvent[];
  /** Waits (polling the outbox) until an event of `type` matching `where` is there, and returns it. */
  waitForEvent<T extends ValidEvent['type']>(type: T, where?: (e: Extract<ValidEvent, { type: T }>) => boolean): Promise<Extract<ValidEvent, { type: T }>>;
  /** Opens the page fresh (optionally with Playwright's clock installed first). */
  open(options?: { clock?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

/** Polls `probe` until it returns a value, failing after `timeoutMs` (a condition, not a sleep). */
export async function until<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts a kiosk under test: gateway, urgent channel, shell with the demo mall, Chromium. */
export async function startKiosk(options: KioskOptions = {}): Promise<KioskUnderTest> {
  const rendererDir = await buildRenderer();
  const dataDir = mkdtempSync(join(tmpdir(), 'atrium-e2e-'));
  const deviceKey = makeTestDeviceKey(dataDir);
  const gateway = new TestGateway({ devices: [{ deviceId: DEVICE_ID, kioskId: KIOSK_ID, publicKey: deviceKey.publicKey }] });
  await gateway.start();
  const gatewayPort = Number(new URL(gateway.url).port);
  if (options.offline) await gateway.stop();
  const urgent = await new UrgentChannel().start();
  const cloudKey = generateKeyPairSync('x25519');
  const config = parseShellConfig({
    edge: {
      store: { dataDir, synchronous: 'NORMAL' },
      outbox: { kioskId: KIOSK_ID },
      sync: { backoffBaseMs: 100, backoffCapMs: 500, idlePollMs: 1000 },
      gateway: { url: `http://127.0.0.1:${gatewayPort}`, deviceId: DEVICE_ID, deviceKeyPath: deviceKey.pemPath, requestTimeoutMs: 5000 },
    },
    http: { port: 0 },
    rendererDir,
    kiosk: { version: '1.2.3', idleTimeoutS: options.idleTimeoutS ?? 600, phoneBaseUrl: 'https://atrium.example/route' },
    loyalty: { publicKey: rawX25519(cloudKey.publicKey).toString('base64'), keyId: 'cloud-test' },
    technician: { pinSha256: createHash('sha256').update(TECHNICIAN_PIN).digest('hex') },
    urgent: { enabled: true, url: urgent.url },
    browser: { launch: false },
    seedDemoContent: true,
  });
  const shell = await startKioskShell(config, { log: () => undefined });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS, headless: true });
  let context = await browser.newContext({ viewport: VIEWPORT, hasTouch: true });
  let page = await context.newPage();

  const outboxEvents = (): ValidEvent[] => {
    const { lastSequence } = shell.edge.outbox.watermarks();
    const batch = shell.edge.outbox.readBatch(1, Math.max(1, lastSequence), 64 * 1024 * 1024);
    return batch ? (JSON.parse(batch.body) as ValidEvent[]) : [];
  };
  const kiosk: KioskUnderTest = {
    shell,
    gateway,
    gatewayPort,
    urgent,
    browser,
    context,
    page,
    cloudKey,
    outboxEvents,
    waitForEvent: (type, where) =>
      until(() => outboxEvents().find((e) => e.type === type && (!where || where(e as never))) as never, `a ${type} event in the outbox`),
    async open(openOptions = {}) {
      await context.close();
      context = await browser.newContext({ viewport: VIEWPORT, hasTouch: true });
      page = await context.newPage();
      if (openOptions.clock) await page.clock.install();
      kiosk.context = context;
      kiosk.page = page;
      await page.goto(shell.pageUrl);
      await page.getByTestId('attract').waitFor();
      return page;
    },
    async close() {
      await browser.close();
      await shell.close();
      await urgent.stop();
      await gateway.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await page.goto(shell.pageUrl);
  await page.getByTestId('attract').waitFor();
  return kiosk;
}

/** Touches the attract loop and waits for the home screen of a new session. */
export async function startSession(page: Page): Promise<void> {
  await page.getByTestId('attract-start').click();
  await page.getByTestId('screen-home').waitFor();
}
