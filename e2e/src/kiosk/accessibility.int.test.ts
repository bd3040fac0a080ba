import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkScreen } from './screenCheck';
import { goHome } from './journeys';
import { startKiosk, startSession, VIEWPORT, type KioskUnderTest } from './kioskHarness';

/** Every control a shopper can see and touch right now, with its top edge. */
async function visibleControls(page: Page): Promise<Array<{ label: string; top: number }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, input, textarea, select, a[href]')].flatMap((el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest('[aria-hidden="true"]')) return [];
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit || !(el === hit || el.contains(hit) || hit.contains(el) || (el as HTMLInputElement).labels?.[0]?.contains(hit))) return [];
      return [{ label: el.textContent?.trim() || el.getAttribute('aria-label') || el.tagName, top: r.top }];
    }),
  );
}

describe('journey: accessibility modes', () => {
  let kiosk: KioskUnderTest;
  beforeAll(async () => {
    kiosk = await startKiosk();
    await startSession(kiosk.page);
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given high contrast, when switched on, then screens scan clean and mall.accessibility.changed is recorded', async () => {
    const { page } = kiosk;
    await page.getByTestId('a11y-high-contrast').click();
    await page.locator('.app.high-contrast').waitFor();
    expect(await checkScreen(page, 'accessibility', 'home-high-contrast')).toEqual([]);
    await page.getByTestId('tile-directory').click();
    await page.getByTestId('directory-search').fill('café');
    await page.locator('[data-testid="directory-results"][data-query="café"]').waitFor();
    expect(await checkScreen(page, 'accessibility', 'directory-high-contrast')).toEqual([]);
    await kiosk.waitForEvent('mall.accessibility.changed', (e) => e.data.mode === 'high-contrast' && e.data.enabled);
  });

  it('given large text, when switched on, then the text grows', async () => {
    const { page } = kiosk;
    const before = await page.locator('h1').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    await page.getByTestId('a11y-large-text').click();
    await page.locator('.app.large-text').waitFor();
    const after = await page.locator('h1').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(after).toBeGreaterThan(before * 1.2);
    expect(await checkScreen(page, 'accessibility', 'directory-large-text')).toEqual([]);
    await kiosk.waitForEvent('mall.accessibility.changed', (e) => e.data.mode === 'large-text' && e.data.enabled);
  });

  it('given reach mode, when switched on, then every visible control sits in the lower part of the screen', async () => {
    const { page } = kiosk;
    await page.getByTestId('a11y-high-contrast').click();
    await page.getByTestId('a11y-large-text').click();
    await page.getByTestId('a11y-reach').click();
    await page.locator('.app.reach').waitFor();
    for (const screen of ['home', 'directory', 'offers', 'loyalty', 'feedback'] as const) {
      await goHome(page);
      if (screen !== 'home') await page.getByTestId(`tile-${screen}`).click();
      await page.getByTestId(`screen-${screen}`).waitFor();
      const controls = await visibleControls(page);
      expect(controls.length).toBeGreaterThan(0);
      const high = controls.filter((c) => c.top < VIEWPORT.height * 0.4);
      expect(high, `controls above the reach line on ${screen}`).toEqual([]);
      expect(await checkScreen(page, 'accessibility', `reach-${screen}`)).toEqual([]);
    }
    await kiosk.waitForEvent('mall.accessibility.changed', (e) => e.data.mode === 'reach' && e.data.enabled);
  });
});
