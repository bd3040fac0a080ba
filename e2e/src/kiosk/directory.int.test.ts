import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStatusAt } from '../../../kiosk-app/src/core/content/openingHours';
import { checkScreen } from './screenCheck';
import { startKiosk, startSession, type KioskUnderTest } from './kioskHarness';

describe('journey: store directory', () => {
  let kiosk: KioskUnderTest;
  beforeAll(async () => {
    kiosk = await startKiosk();
    await startSession(kiosk.page);
    await kiosk.page.getByTestId('tile-directory').click();
    await kiosk.page.getByTestId('screen-directory').waitFor();
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given the directory, when the shopper types, then results follow each keystroke from the edge search', async () => {
    const { page } = kiosk;
    const search = page.getByTestId('directory-search');
    await search.pressSequentially('aurora', { delay: 20 });
    await page.locator('[data-testid="directory-results"][data-query="aurora"]').waitFor();
    const names = await page.locator('.result-name').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names.slice(0, 5)) expect(name.toLowerCase()).toContain('aurora');
    expect(await checkScreen(page, 'directory', 'search-results')).toEqual([]);
    const searched = await kiosk.waitForEvent('mall.directory.searched', (e) => e.data.query === 'aurora');
    expect(searched.data.resultCount).toBe(names.length);
  });

  it('given the on-screen keyboard, when keys are tapped, then the query changes as typed', async () => {
    const { page } = kiosk;
    await page.getByRole('button', { name: 'Clear' }).click();
    for (const key of ['c', 'e', 'd']) await page.getByRole('button', { name: key, exact: true }).click();
    await expect(page.getByTestId('directory-search').inputValue()).resolves.toBe('ced');
    await page.locator('[data-testid="directory-results"][data-query="ced"]').waitFor();
  });

  it('given a category, when it is chosen, then only its stores are listed', async () => {
    const { page } = kiosk;
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByTestId('category-shoes').click();
    await page.locator('[data-testid="directory-results"][data-query=""][data-category="shoes"]').waitFor();
    await expect(page.getByTestId('category-shoes').getAttribute('aria-pressed')).resolves.toBe('true');
    const ids = await page.locator('.result').evaluateAll((els) => els.map((e) => e.getAttribute('data-store-id')));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(kiosk.shell.content.storeDetail(id!, new Date())?.store.categoryIds).toContain('shoes');
    expect(await checkScreen(page, 'directory', 'category-shoes')).toEqual([]);
  });

  it('given a result, when opened, then the store shows floor, unit, hours and open-now, and mall.store.viewed is recorded', async () => {
    const { page } = kiosk;
    const first = page.locator('.result').first();
    const storeId = (await first.getAttribute('data-store-id'))!;
    await first.click();
    await page.locator(`[data-testid="store-detail"][data-store-id="${storeId}"]`).waitFor();
    const detail = kiosk.shell.content.storeDetail(storeId, new Date())!;
    await expect(page.locator('.store-where').textContent()).resolves.toContain(`Floor ${detail.store.floor}`);
    await expect(page.locator('.store-where').textContent()).resolves.toContain(detail.store.unit);
    const open = openStatusAt(detail.hours!, new Date(), 'Europe/Madrid').open;
    await expect(page.getByTestId('open-now').textContent()).resolves.toBe(open ? 'Open now' : 'Closed now');
    await expect(page.locator('table.hours tr').count()).resolves.toBe(7);
    expect(await checkScreen(page, 'directory', 'store-detail')).toEqual([]);
    await kiosk.waitForEvent('mall.store.viewed', (e) => e.data.storeId === storeId);
  });
});
