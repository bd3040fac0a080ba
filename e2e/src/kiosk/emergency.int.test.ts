import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen } from './screenCheck';
import { startKiosk, startSession, until, type KioskUnderTest } from './kioskHarness';

const EMERGENCY = {
  kind: 'emergency' as const,
  id: 'em-1',
  message: { en: 'Please leave the centre by the nearest exit.', es: 'Abandone el centro por la salida más cercana.', ar: 'يرجى مغادرة المركز من أقرب مخرج.' },
};

describe('emergency broadcast', () => {
  let kiosk: KioskUnderTest;
  beforeAll(async () => {
    kiosk = await startKiosk();
    await until(() => kiosk.urgent.listeners > 0, 'the shell to listen on the urgent channel');
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given a shopper mid-journey, when the urgent channel broadcasts an emergency, then it pre-empts the screen and ends the session', async () => {
    const { page } = kiosk;
    await startSession(page);
    await page.getByTestId('tile-offers').click();
    const started = await kiosk.waitForEvent('mall.session.started');
    kiosk.urgent.broadcast(EMERGENCY);
    await page.getByTestId('emergency').waitFor();
    await expect(page.getByTestId('emergency-text').textContent()).resolves.toBe(EMERGENCY.message.en);
    // Nothing else can be reached: the overlay covers the whole screen.
    const covered = await page.evaluate(() => document.elementFromPoint(innerWidth / 2, innerHeight - 30)?.closest('[data-testid="emergency"]') !== null);
    expect(covered).toBe(true);
    expect(await checkScreen(page, 'emergency', 'emergency')).toEqual([]);
    const ended = await kiosk.waitForEvent('mall.session.ended', (e) => e.data.sessionId === started.data.sessionId);
    expect(ended.data.reason).toBe('emergency');
  });

  it('given the emergency, when it is cleared, then the attract loop returns', async () => {
    const { page } = kiosk;
    kiosk.urgent.broadcast({ kind: 'emergency-cleared', id: EMERGENCY.id });
    await page.getByTestId('emergency').waitFor({ state: 'detached' });
    await page.getByTestId('attract').waitFor();
  });

  it('given the attract loop in Arabic, when an emergency comes, then it shows in Arabic', async () => {
    const { page } = kiosk;
    await page.getByRole('button', { name: 'العربية' }).click();
    kiosk.urgent.broadcast({ ...EMERGENCY, id: 'em-2' });
    await page.getByTestId('emergency').waitFor();
    await expect(page.getByTestId('emergency-text').textContent()).resolves.toBe(EMERGENCY.message.ar);
    expect(await checkScreen(page, 'emergency', 'emergency-ar')).toEqual([]);
  });
});
