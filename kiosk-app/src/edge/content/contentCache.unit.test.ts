import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoMall, type ContentUpsert, type OfferBody, type StoreBody } from '@atrium/contracts';
import { ContentCache } from './contentCache';
import { contentPage, openContentTestStore } from './contentTestStore';

// A small demo mall: 60 stores over 3 floors, 20 offers valid 2026-01-01 .. 2026-03-02, Madrid time.
const mall = demoMall({ stores: 60, offers: 20 });
const storesOf = (items: ContentUpsert[]) => items.filter((u) => u.kind === 'store').map((u) => u.body as unknown as StoreBody);
const offers = mall.filter((u) => u.kind === 'offer').map((u) => u.body as unknown as OfferBody);
const THURSDAY_NOON_MADRID = new Date('2026-01-15T11:00:00Z');

describe('the content cache', () => {
  let store: ReturnType<typeof openContentTestStore>;
  let cache: ContentCache;
  beforeEach(() => {
    store = openContentTestStore();
    cache = new ContentCache(store);
    cache.applyContentPage(contentPage(mall, { nextCursor: 'c1' }));
  });
  afterEach(() => store.close());

  describe('store detail', () => {
    const withOffer = offers[0]!.storeId;

    it('given a store with an offer, at noon on a weekday, then the page has its categories, hours, open now, offer and map node', () => {
      const detail = cache.storeDetail(withOffer, THURSDAY_NOON_MADRID)!;
      expect(detail.store.id).toBe(withOffer);
      expect(detail.categories.map((c) => c.id)).toEqual(expect.arrayContaining(detail.store.categoryIds.slice(0, 1)));
      expect(detail.hoursSource).toBe('store');
      expect(detail.openNow).toMatchObject({ open: true, closesAt: { date: '2026-01-15' } });
      expect(detail.today).toMatchObject({ date: '2026-01-15', times: [{ open: '10:00' }] });
      expect(detail.offers.map((o) => o.id)).toEqual(expect.arrayContaining(offers.filter((o) => o.storeId === withOffer).map((o) => o.id)));
      expect(detail.offers[0]).toHaveProperty('perShopperLimit');
      expect(detail.node).toMatchObject({ id: detail.store.nodeId, kind: 'store' });
    });

    it('given the small hours in Madrid, then it is closed and opens at 10:00 (11:00 on Sundays)', () => {
      expect(cache.storeDetail(withOffer, new Date('2026-01-15T02:00:00Z'))!.openNow).toEqual({ open: false, opensAt: { date: '2026-01-15', time: '10:00' } });
      expect(cache.storeDetail(withOffer, new Date('2026-01-18T02:00:00Z'))!.openNow).toEqual({ open: false, opensAt: { date: '2026-01-18', time: '11:00' } });
    });

    it('given the offers have ended, then the page shows none', () => {
      expect(cache.storeDetail(withOffer, new Date('2026-04-01T12:00:00Z'))!.offers).toEqual([]);
    });

    it('given a store without its own hours, then the mall hours apply', () => {
      cache.applyContentPage(contentPage([], { cursor: 'c1', nextCursor: 'c2', deletes: [{ kind: 'opening-hours', id: withOffer }] }));
      const detail = cache.storeDetail(withOffer, new Date('2026-01-15T08:30:00Z'))!;
      expect(detail.hoursSource).toBe('mall');
      expect(detail.openNow?.open).toBe(true); // the mall opens at 09:00, it is 09:30
    });

    it('given no kiosk settings yet (no time zone), then open now is unknown rather than guessed', () => {
      cache.applyContentPage(contentPage([], { cursor: 'c1', nextCursor: 'c2', deletes: [{ kind: 'kiosk-config', id: 'default' }] }));
      expect(cache.storeDetail(withOffer, THURSDAY_NOON_MADRID)).toMatchObject({ openNow: null, today: null });
    });

    it('given an unknown store, then there is no page', () => {
      expect(cache.storeDetail('store-9999', THURSDAY_NOON_MADRID)).toBeNull();
    });
  });

  describe('offers', () => {
    it('given an instant inside the window, then every offer is active; before or after it, none', () => {
      expect(cache.activeOffers(THURSDAY_NOON_MADRID)).toHaveLength(offers.length);
      expect(cache.activeOffers(new Date('2025-12-31T23:59:59Z'))).toEqual([]);
      expect(cache.activeOffers(new Date('2026-03-02T00:00:00Z'))).toEqual([]);
    });

    it('given a store, then only its offers come back, stock and per-shopper limit kept', () => {
      const storeId = offers[0]!.storeId;
      const own = cache.activeOffers(THURSDAY_NOON_MADRID, { storeId });
      expect(own.every((o) => o.storeId === storeId)).toBe(true);
      expect(own).toEqual(expect.arrayContaining(offers.filter((o) => o.storeId === storeId)));
    });
  });

  describe('kiosk settings', () => {
    it('given only mall-wide settings, then they apply; given settings for this kiosk, then those win', () => {
      expect(cache.kioskConfig()).toMatchObject({ id: 'default', timeZone: 'Europe/Madrid' });
      const own = new ContentCache(store, { kioskId: 'kiosk-7' });
      cache.applyContentPage(
        contentPage(
          [{ kind: 'kiosk-config', id: 'kiosk-7', version: 1, body: { id: 'kiosk-7', mallId: 'mall-01', mallName: 'Atrium Demo Mall', timeZone: 'Europe/Madrid', nodeId: 'n-f1-c5-5', idleTimeoutS: 90, languages: ['es', 'en'], attractOfferIds: [] } }],
          { cursor: 'c1', nextCursor: 'c2' },
        ),
      );
      expect(own.kioskConfig()).toMatchObject({ id: 'kiosk-7', idleTimeoutS: 90 });
      expect(cache.kioskConfig()).toMatchObject({ id: 'default' });
      const route = own.routeToStore(storesOf(mall)[0]!.id);
      expect(route.found && route.route.fromNodeId).toBe('n-f1-c5-5');
    });
  });

  describe('routes', () => {
    const upstairs = storesOf(mall).find((s) => s.floor === 2)!;

    it('given a store two floors up, then the route leaves from this kiosk and ends at the store', () => {
      const result = cache.routeToStore(upstairs.id);
      if (!result.found) throw new Error(result.reason);
      expect(result.route.fromNodeId).toBe('n-f0-kiosk1');
      expect(result.route.toNodeId).toBe(upstairs.nodeId);
      expect(result.route.legs.map((l) => l.floor)).toEqual([0, 2]);
    });

    it('given the accessible option, then the route changes floors by lift only', () => {
      const result = cache.routeToStore(upstairs.id, { accessible: true });
      if (!result.found) throw new Error(result.reason);
      expect(result.route.steps.flatMap((s) => (s.kind === 'change-floor' ? [s.via] : []))).toEqual(['lift']);
    });

    it('given an unknown store, then no route, saying why', () => {
      expect(cache.routeToStore('store-9999')).toEqual({ found: false, reason: 'unknown-destination' });
    });

    it('given a new page changes the map, then the next route uses the new map', () => {
      expect(cache.route('n-f0-kiosk1', 'n-f0-new-shop')).toEqual({ found: false, reason: 'unknown-destination' });
      cache.applyContentPage(
        contentPage(
          [
            { kind: 'map-node', id: 'n-f0-new-shop', version: 1, body: { id: 'n-f0-new-shop', floor: 0, x: 5, y: 5, kind: 'store' } },
            { kind: 'map-edge', id: 'e-new-shop', version: 1, body: { id: 'e-new-shop', from: 'n-f0-new-shop', to: 'n-f0-c0-0', kind: 'walk', lengthM: 7 } },
          ],
          { cursor: 'c1', nextCursor: 'c2' },
        ),
      );
      const result = cache.route('n-f0-kiosk1', 'n-f0-new-shop');
      expect(result.found && result.route.distanceM).toBe(10);
    });

    it('draws one floor: its nodes, each walkable segment once, and the list of floors', () => {
      const plan = cache.floorPlan(1);
      expect(plan.floors).toEqual([0, 1, 2]);
      expect(plan.nodes.every((n) => n.floor === 1)).toBe(true);
      expect(plan.segments.some((s) => s.fromNodeId === 'n-f1-c0-0' && s.toNodeId === 'n-f1-c1-0')).toBe(true);
      const keys = plan.segments.map((s) => [s.fromNodeId, s.toNodeId].sort().join('|'));
      expect(new Set(keys).size).toBe(keys.length);
      expect(plan.bounds).toMatchObject({ minX: 0, minY: 0 });
    });
  });
});
