import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen } from './screenCheck';
import { DEVICE_ID, startKiosk, startSession, TECHNICIAN_PIN, type KioskUnderTest } from './kioskHarness';

describe('technician overlay', () => {
  let kiosk: KioskUnderTest;
  beforeAll(async () => {
    kiosk = await startKiosk();
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given the hidden corner, when tapped five times, then the PIN pad opens and a wrong PIN is refused', async () => {
    const { page } = kiosk;
    for (let i = 0; i < 5; i++) await page.getByTestId('technician-gesture').click();
    await page.getByTestId('technician').waitFor();
    expect(await checkScreen(page, 'technician', 'pin')).toEqual([]);
    await page.getByTestId('tech-pin').fill('1111');
    await page.getByTestId('tech-unlock').click();
    await page.getByRole('alert').filter({ hasText: 'Wrong PIN' }).waitFor();
    await expect(page.getByTestId('tech-status').count()).resolves.toBe(0);
  });

  it('given the right PIN, when unlocked, then device, version, sync and queues show', async () => {
    const { page } = kiosk;
    await page.getByTestId('tech-pin').fill(TECHNICIAN_PIN);
    await page.getByTestId('tech-unlock').click();
    await page.getByTestId('tech-status').waitFor();
    await expect(page.getByTestId('tech-device').textContent()).resolves.toBe(DEVICE_ID);
    await expect(page.getByTestId('tech-queue').textContent()).resolves.toMatch(/^business \d+, telemetry \d+$/);
    expect(await checkScreen(page, 'technician', 'status')).toEqual([]);
  });

  it('given events waiting, when "sync now" is pressed, then they are delivered and last sync is shown', async () => {
    const { page } = kiosk;
    await page.getByTestId('tech-close').click();
    await startSession(page);
    await kiosk.waitForEvent('mall.session.started');
    for (let i = 0; i < 5; i++) await page.getByTestId('technician-gesture').click();
    await page.getByTestId('tech-pin').fill(TECHNICIAN_PIN);
    await page.getByTestId('tech-unlock').click();
    await page.getByTestId('tech-sync-now').click();
    await page.getByTestId('tech-queue').filter({ hasText: 'business 0, telemetry 0' }).waitFor();
    await expect(page.getByTestId('tech-last-sync').textContent()).resolves.not.toBe('never');
    expect(kiosk.gateway.stats.watermarks['mall-01-k042']).toBeGreaterThan(0);
  });

  it('given the overlay, when diagnostics are exported, then a file without shopper data is written', async () => {
    const { page } = kiosk;
    await page.getByTestId('tech-export').click();
    await page.getByTestId('tech-exported').waitFor();
    const dir = `${kiosk.shell.edge.store.db.name.replace(/[^/]+$/, '')}diagnostics/`;
    const fileName = (await page.getByTestId('tech-exported').textContent())!.split(' ')[0]!;
    expect(existsSync(`${dir}${fileName}`)).toBe(true);
    const bundle = JSON.parse(readFileSync(`${dir}${fileName}`, 'utf8')) as { status: { deviceId: string } };
    expect(bundle.status.deviceId).toBe(DEVICE_ID);
  });
});
