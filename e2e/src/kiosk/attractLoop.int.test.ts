import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen } from './screenCheck';
import { startKiosk, startSession, type KioskUnderTest } from './kioskHarness';

describe('journey: attract loop and session start', () => {
  let kiosk: KioskUnderTest;
  beforeAll(async () => {
    kiosk = await startKiosk();
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given an idle kiosk, when nobody touches it, then the attract loop shows the mall and a promotion', async () => {
    const { page } = kiosk;
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Atrium Demo Mall');
    await expect(page.getByTestId('attract-promo').textContent()).resolves.toMatch(/% off/);
    expect(await checkScreen(page, 'attract', 'attract-en')).toEqual([]);
  });

  it('given the attract loop, when a shopper touches it, then a session starts on the home screen and mall.session.started is in the outbox', async () => {
    const { page } = kiosk;
    await startSession(page);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('How can we help?');
    const started = await kiosk.waitForEvent('mall.session.started');
    expect(started.data.language).toBe('en');
    expect(started.kioskid).toBe('mall-01-k042');
    expect(await checkScreen(page, 'attract', 'home-en')).toEqual([]);
  });

  it('given a session, when the shopper ends it, then the attract loop returns and mall.session.ended (reason shopper) is recorded', async () => {
    const { page } = kiosk;
    await page.getByTestId('end-session').click();
    await page.getByTestId('attract').waitFor();
    const started = await kiosk.waitForEvent('mall.session.started');
    const ended = await kiosk.waitForEvent('mall.session.ended');
    expect(ended.data).toMatchObject({ sessionId: started.data.sessionId, reason: 'shopper' });
  });
});
