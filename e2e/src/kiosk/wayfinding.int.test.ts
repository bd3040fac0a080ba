import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen } from './screenCheck';
import { goHome, openStore } from './journeys';
import { startKiosk, startSession, type KioskUnderTest } from './kioskHarness';

// store-0003 is on floor 2 of the demo mall, so its route changes floors.
const STORE = 'store-0003';

describe('journey: wayfinding', () => {
  let kiosk: KioskUnderTest;
  beforeAll(async () => {
    kiosk = await startKiosk();
    await startSession(kiosk.page);
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given a store upstairs, when directions are asked, then the route is drawn per floor with steps and a QR code, and mall.route.requested is recorded', async () => {
    const { page } = kiosk;
    await openStore(kiosk, STORE);
    await page.getByTestId('directions').click();
    await page.locator('[data-testid="route"][data-accessible="false"]').waitFor();
    await page.getByTestId('route-line').first().waitFor();
    const steps = await page.locator('[data-testid="route-steps"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(steps.at(-1)).toBe('arrive');
    expect(steps.some((k) => k === 'lift' || k === 'escalator' || k === 'stairs')).toBe(true);
    await expect(page.locator('svg.floor-map').count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('you-are-here').count()).resolves.toBe(1);
    const qr = page.locator('figure.qr img');
    await expect(qr.getAttribute('data-qr-text')).resolves.toContain(`store=${STORE}`);
    expect(await checkScreen(page, 'wayfinding', 'route')).toEqual([]);
    const event = await kiosk.waitForEvent('mall.route.requested', (e) => e.data.storeId === STORE && !e.data.accessible);
    expect(event.data.steps).toBe(steps.length);
  });

  it('given the route, when step-free is chosen, then the route uses lifts only', async () => {
    const { page } = kiosk;
    await page.getByTestId('accessible-toggle').check();
    await page.locator('[data-testid="route"][data-accessible="true"]').waitFor();
    const steps = await page.locator('[data-testid="route-steps"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(steps).toContain('lift');
    expect(steps).not.toContain('stairs');
    expect(steps).not.toContain('escalator');
    await expect(page.locator('figure.qr img').getAttribute('data-qr-text')).resolves.toContain('accessible=1');
    expect(await checkScreen(page, 'wayfinding', 'route-step-free')).toEqual([]);
    await kiosk.waitForEvent('mall.route.requested', (e) => e.data.storeId === STORE && e.data.accessible);
  });

  it('given the mall map, when another floor is chosen, then that floor is drawn and "you are here" shows only on the kiosk floor', async () => {
    const { page } = kiosk;
    await goHome(page);
    await page.getByTestId('tile-map').click();
    await page.getByTestId('floor-map-0').waitFor();
    await expect(page.getByTestId('you-are-here').count()).resolves.toBe(1);
    expect(await checkScreen(page, 'wayfinding', 'map-floor-0')).toEqual([]);
    await page.getByTestId('floor-1').click();
    await page.getByTestId('floor-map-1').waitFor();
    await expect(page.getByTestId('you-are-here').count()).resolves.toBe(0);
  });
});
