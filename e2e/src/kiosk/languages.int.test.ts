import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen } from './screenCheck';
import { goHome, openStore } from './journeys';
import { startKiosk, startSession, VIEWPORT, type KioskUnderTest } from './kioskHarness';

describe('journey: languages', () => {
  let kiosk: KioskUnderTest;
  beforeAll(async () => {
    kiosk = await startKiosk();
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given the attract loop, when Spanish is chosen, then it speaks Spanish and mall.language.changed is recorded without a session', async () => {
    const { page } = kiosk;
    await page.getByRole('button', { name: 'Español' }).click();
    await page.locator('.attract-touch', { hasText: 'Toque en cualquier lugar para empezar' }).waitFor();
    await page.locator('html[lang="es"][dir="ltr"]').waitFor({ state: 'attached' });
    expect(await checkScreen(page, 'languages', 'attract-es')).toEqual([]);
    const changed = await kiosk.waitForEvent('mall.language.changed', (e) => e.data.to === 'es');
    expect(changed.data).toEqual({ from: 'en', to: 'es' });
  });

  it('given a Spanish session, when Arabic is chosen mid-session, then the layout turns right to left', async () => {
    const { page } = kiosk;
    await startSession(page);
    const started = await kiosk.waitForEvent('mall.session.started');
    expect(started.data.language).toBe('es');
    await page.getByTestId('lang-ar').click();
    await page.locator('html[lang="ar"][dir="rtl"]').waitFor({ state: 'attached' });
    await page.getByRole('heading', { level: 1, name: 'كيف يمكننا مساعدتك؟' }).waitFor();
    // Right to left: the first tile sits on the right, the navigation starts from the right edge.
    const [first, second] = await page.locator('.tile').evaluateAll((els) => els.slice(0, 2).map((e) => e.getBoundingClientRect().left));
    expect(first!).toBeGreaterThan(second!);
    const nav = await page.locator('.nav-buttons').boundingBox();
    expect(nav!.x + nav!.width).toBeGreaterThan(VIEWPORT.width * 0.9);
    expect(await checkScreen(page, 'languages', 'home-ar')).toEqual([]);
    await kiosk.waitForEvent('mall.language.changed', (e) => e.data.from === 'es' && e.data.to === 'ar' && e.data.sessionId === started.data.sessionId);
  });

  it('given Arabic, when the shopper walks through the screens, then each one scans clean', async () => {
    const { page } = kiosk;
    await openStore(kiosk, 'store-0002');
    await expect(page.getByTestId('directions').textContent()).resolves.toBe('الاتجاهات');
    expect(await checkScreen(page, 'languages', 'store-ar')).toEqual([]);
    await page.getByTestId('directions').click();
    await page.getByTestId('route-line').first().waitFor();
    expect(await checkScreen(page, 'languages', 'route-ar')).toEqual([]);
    await expect(page.getByTestId('nav-home').textContent()).resolves.toBe('الرئيسية');
    await goHome(page);
    await page.getByTestId('tile-offers').click();
    await page.getByTestId('offer-list').waitFor();
    await expect(page.locator('.offer-title').first().textContent()).resolves.toMatch(/خصم/);
    expect(await checkScreen(page, 'languages', 'offers-ar')).toEqual([]);
    await goHome(page);
    await page.getByTestId('tile-loyalty').click();
    await page.getByTestId('loyalty-submit').click();
    expect(await checkScreen(page, 'languages', 'loyalty-ar')).toEqual([]);
  });
});
