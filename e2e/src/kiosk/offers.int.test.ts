import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen } from './screenCheck';
import { startKiosk, startSession, until, type KioskUnderTest } from './kioskHarness';

describe('journey: offers and coupons', () => {
  let kiosk: KioskUnderTest;
  let offerId: string;
  let limit: number;
  beforeAll(async () => {
    kiosk = await startKiosk();
    await startSession(kiosk.page);
    // The session's first event reaches the gateway: from then on the kiosk knows it is online.
    await until(() => kiosk.shell.edge.sync.status().link === 'online', 'the kiosk to reach the gateway');
    const offer = kiosk.shell.content.activeOffers(new Date()).find((o) => o.stock !== 0)!;
    offerId = offer.id;
    limit = offer.perShopperLimit;
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given the offers screen, when an offer is opened, then its detail shows and mall.offer.viewed is recorded', async () => {
    const { page } = kiosk;
    await page.getByTestId('tile-offers').click();
    await page.getByTestId('offer-list').waitFor();
    expect(await checkScreen(page, 'offers', 'offer-list')).toEqual([]);
    await page.locator(`.offer-card[data-offer-id="${offerId}"]`).click();
    await page.locator(`[data-testid="offer-detail"][data-offer-id="${offerId}"]`).waitFor();
    await kiosk.waitForEvent('mall.offer.viewed', (e) => e.data.offerId === offerId);
  });

  it('given an offer, when claimed, then a coupon with a QR code shows and mall.offer.claimed carries the same code', async () => {
    const { page } = kiosk;
    await page.getByTestId('claim').click();
    await page.getByTestId('coupon').waitFor();
    const shown = (await page.getByTestId('coupon-code').textContent())!.replace('Code ', '');
    const claimed = await kiosk.waitForEvent('mall.offer.claimed', (e) => e.data.offerId === offerId);
    expect(claimed.data.couponCode).toBe(shown);
    expect(claimed.data.offline).toBe(false);
    await expect(page.getByTestId('coupon').getAttribute('data-pending')).resolves.toBe('false');
    await expect(page.locator('.coupon figure.qr img').getAttribute('data-qr-text')).resolves.toContain(shown);
    expect(await checkScreen(page, 'offers', 'coupon')).toEqual([]);
  });

  it('given the per-shopper limit, when it is reached, then no more claims are offered', async () => {
    const { page } = kiosk;
    for (let n = 1; n < limit; n++) await page.getByTestId('claim').click();
    await page.getByTestId('limit-reached').waitFor();
    await expect(page.getByTestId('claim').count()).resolves.toBe(0);
    const claims = kiosk.outboxEvents().filter((e) => e.type === 'mall.offer.claimed' && e.data.offerId === offerId);
    expect(claims).toHaveLength(limit);
    expect(await checkScreen(page, 'offers', 'limit-reached')).toEqual([]);
  });
});
