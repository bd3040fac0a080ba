import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen } from './screenCheck';
import { goHome } from './journeys';
import { startKiosk, startSession, type KioskUnderTest } from './kioskHarness';

const IDLE_S = 45;

describe('privacy: idle reset', () => {
  let kiosk: KioskUnderTest;
  beforeAll(async () => {
    kiosk = await startKiosk({ idleTimeoutS: IDLE_S });
    // Playwright's clock drives the page's timers, so the idle timeout passes without waiting for it.
    await kiosk.open({ clock: true });
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given a shopper who typed, switched language and modes, when the kiosk sits idle, then the session ends and no trace is left', async () => {
    const { page } = kiosk;
    // Screens are app state, never history entries: a session must not grow the history.
    const historyBefore = await page.evaluate(() => history.length);
    await startSession(page);
    await page.getByTestId('tile-directory').click();
    await page.getByTestId('nav-back').click();
    await page.getByTestId('lang-es').click();
    await page.getByTestId('a11y-high-contrast').click();
    await page.getByTestId('tile-loyalty').click();
    await page.getByTestId('loyalty-name').fill('Previous Shopper');
    await page.getByTestId('loyalty-email').fill('previous@example.org');
    // Whatever a page could leave behind, the reset must remove.
    await page.evaluate(() => {
      localStorage.setItem('left', 'behind');
      sessionStorage.setItem('left', 'behind');
      history.replaceState({ shopper: 'previous' }, '');
    });
    const started = await kiosk.waitForEvent('mall.session.started');

    await page.clock.fastForward(IDLE_S * 1000 + 1000);
    await page.getByTestId('attract').waitFor();
    await page.locator('html[lang="en"][dir="ltr"]').waitFor({ state: 'attached' });
    const ended = await kiosk.waitForEvent('mall.session.ended', (e) => e.data.sessionId === started.data.sessionId);
    expect(ended.data.reason).toBe('idle');

    const traces = await page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      historyLength: history.length,
      historyState: history.state as unknown,
      lang: document.documentElement.lang,
      inputs: [...document.querySelectorAll('input, textarea')].map((e) => (e as HTMLInputElement).value),
      highContrast: document.querySelector('.app.high-contrast') !== null,
    }));
    expect(traces).toEqual({ local: 0, session: 0, historyLength: historyBefore, historyState: null, lang: 'en', inputs: [], highContrast: false });
    expect(await checkScreen(page, 'privacy', 'attract-after-idle')).toEqual([]);
  });

  it('given the next shopper, when they open the same forms, then they are empty', async () => {
    const { page } = kiosk;
    await startSession(page);
    await page.getByTestId('tile-loyalty').click();
    await expect(page.getByTestId('loyalty-name').inputValue()).resolves.toBe('');
    await expect(page.getByTestId('loyalty-email').inputValue()).resolves.toBe('');
    await goHome(page);
    await page.getByTestId('tile-directory').click();
    await expect(page.getByTestId('directory-search').inputValue()).resolves.toBe('');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Store directory');
  });

  it('given activity, when less than the idle time passes between touches, then the session stays', async () => {
    const { page } = kiosk;
    await page.clock.fastForward((IDLE_S - 5) * 1000);
    await page.getByTestId('directory-search').fill('a');
    await page.clock.fastForward((IDLE_S - 5) * 1000);
    await expect(page.getByTestId('screen-directory').isVisible()).resolves.toBe(true);
  });
});
