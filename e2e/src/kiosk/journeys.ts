import type { Page } from 'playwright-core';
import type { KioskShell } from '../../../kiosk-app/src/shell/startKioskShell';

/** From the home screen, finds a store by name in the directory and opens its page. */
export async function openStore(kiosk: { page: Page; shell: KioskShell }, storeId: string): Promise<void> {
  const { page } = kiosk;
  const name = kiosk.shell.content.storeDetail(storeId, new Date())!.store.name;
  await page.getByTestId('tile-directory').click();
  await page.getByTestId('directory-search').fill(name);
  await page.locator(`.result[data-store-id="${storeId}"]`).click();
  await page.locator(`[data-testid="store-detail"][data-store-id="${storeId}"]`).waitFor();
}

/** Goes back to the home screen of the current session. */
export async function goHome(page: Page): Promise<void> {
  const home = page.getByTestId('nav-home');
  if (await home.isVisible()) await home.click();
  await page.getByTestId('screen-home').waitFor();
}
