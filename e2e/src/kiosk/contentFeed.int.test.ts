import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMall } from '@atrium/contracts';
import type { RunningGateway } from '../../../sync-gateway/src/app/startGateway';
import { upsertContent } from '../../../sync-gateway/src/content/contentStore';
import { stackEndpoints, startTestGateway } from '../../../sync-gateway/src/testing/intHarness';
import type { KioskShell } from '../../../kiosk-app/src/shell/startKioskShell';
import { startSession, until } from './kioskHarness';
import { startRealGatewayKiosk, type RealGatewayKiosk } from './realGatewayKiosk';

// A kiosk that starts empty and gets its mall from the real gateway's content feed, through the
// edge's content sync client hosted by the shell.
describe('content from the real gateway', () => {
  const kioskId = `mall-01-cf-${Date.now().toString(36)}`;
  let pool: pg.Pool;
  let gateway: RunningGateway;
  let shell: KioskShell;
  let kiosk: RealGatewayKiosk;
  let page: Page;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: stackEndpoints().pgUrl, max: 2 });
    // The same items the gateway's demo seed loads; unchanged items are left alone.
    await upsertContent(pool, demoMall());
    gateway = await startTestGateway({ producer: 'kafkajs' });
    kiosk = await startRealGatewayKiosk({ pool, kioskId, gatewayUrl: gateway.kioskUrl, urgent: false, seedDemoContent: false });
    ({ shell, page } = kiosk);
  });

  afterAll(async () => {
    await kiosk?.close();
    await gateway?.stop();
    await pool?.end();
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
