import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen } from './screenCheck';
import { goHome, openStore } from './journeys';
import { KIOSK_ID, startKiosk, startSession, until, type KioskUnderTest } from './kioskHarness';

describe('offline: every journey works with the gateway unreachable, and the queue drains when it returns', () => {
  let kiosk: KioskUnderTest;
  beforeAll(async () => {
    kiosk = await startKiosk({ offline: true });
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('given no gateway, when a shopper searches, views a store and gets a route, then everything answers from the kiosk', async () => {
    const { page } = kiosk;
    await startSession(page);
    await until(() => kiosk.shell.edge.sync.status().link === 'offline', 'the kiosk to notice it is offline');
    await page.getByTestId('offline-badge').waitFor();
    await openStore(kiosk, 'store-0005');
    await page.getByTestId('accessible-directions').click();
    await page.getByTestId('route-line').first().waitFor();
    expect(await checkScreen(page, 'offline', 'route-offline')).toEqual([]);
  });

  it('given no gateway, when an offer is claimed, then the coupon is issued and marked pending', async () => {
    const { page } = kiosk;
    const offer = kiosk.shell.content.activeOffers(new Date()).find((o) => o.stock !== 0)!;
    await goHome(page);
    await page.getByTestId('tile-offers').click();
    await page.locator(`.offer-card[data-offer-id="${offer.id}"]`).click();
    await page.getByTestId('claim').click();
    await page.getByTestId('coupon-pending').waitFor();
    await expect(page.getByTestId('coupon').getAttribute('data-pending')).resolves.toBe('true');
    expect(await checkScreen(page, 'offline', 'coupon-pending')).toEqual([]);
    const claimed = await kiosk.waitForEvent('mall.offer.claimed', (e) => e.data.offerId === offer.id);
    expect(claimed.data.offline).toBe(true);
  });

  it('given no gateway, when the shopper enrols and leaves feedback, then both are queued', async () => {
    const { page } = kiosk;
    await goHome(page);
    await page.getByTestId('tile-loyalty').click();
    await page.getByTestId('loyalty-name').fill('Offline Shopper');
    await page.getByTestId('loyalty-email').fill('offline@example.org');
    await page.getByTestId('loyalty-terms').check();
    await page.getByTestId('loyalty-submit').click();
    await page.getByTestId('loyalty-done').waitFor();
    await goHome(page);
    await page.getByTestId('tile-feedback').click();
    await page.getByTestId('star-5').click();
    await page.getByTestId('feedback-submit').click();
    await page.getByTestId('feedback-done').waitFor();
    await page.getByTestId('end-session').click();
    await page.getByTestId('attract').waitFor();
    await kiosk.waitForEvent('mall.session.ended');
    const types = new Set(kiosk.outboxEvents().map((e) => e.type));
    for (const type of ['mall.session.started', 'mall.store.viewed', 'mall.route.requested', 'mall.offer.viewed', 'mall.offer.claimed', 'mall.loyalty.enrolled', 'mall.feedback.submitted', 'mall.session.ended'] as const) {
      expect(types).toContain(type);
    }
    expect(kiosk.gateway.stats.requests).toBe(0);
    expect(kiosk.shell.edge.sync.status().queue.total).toBe(kiosk.outboxEvents().length);
  });

  it('given queued events, when the gateway comes back, then every one of them reaches it in order', async () => {
    await kiosk.gateway.start(kiosk.gatewayPort);
    const queued = kiosk.outboxEvents();
    const last = queued.at(-1)!.sequence;
    await until(() => (kiosk.gateway.stats.watermarks[KIOSK_ID] ?? 0) >= last, 'the gateway to acknowledge the queue', 30_000);
    expect(kiosk.gateway.events.map((e) => e.id).slice(0, queued.length)).toEqual(queued.map((e) => e.id));
    await until(() => kiosk.shell.edge.sync.status().queue.total === 0, 'the outbox to mark everything delivered');
    await kiosk.page.getByTestId('attract').waitFor();
  });
});
