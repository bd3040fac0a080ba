import { describe, expect, it } from 'vitest';
import { exampleData, makeEvent, type CatalogueEvent } from '@atrium/contracts';
import { dailyAnalyticsChange } from './dailyAnalytics';
import { decodeFieldKey, encodeFieldKey } from './fieldKey';
import { connectivityAt, foldFleetStatus } from './fleetStatus';
import { foldKioskDay, offerPerformanceReducer, storePopularityReducer } from './kioskDayCounters';
import { mallOfKiosk } from './kioskMall';
import { decideClaim } from './offerClaim';

const at = (seq: number, e: CatalogueEvent, kioskId = 'mall-01-k001') =>
  makeEvent(e, { id: `0190a5b2-7c3e-7d4f-8a1b-${String(seq).padStart(12, '0')}`, kioskId, sequence: seq, time: `2026-11-01T10:00:${String(seq % 60).padStart(2, '0')}.000Z` });
const SESSION = exampleData['mall.store.viewed'].sessionId;

describe('projection reducers', () => {
  it('given a search then a store view in the same session, when folded, then the view counts as from search', () => {
    const events = [
      at(1, { type: 'mall.directory.searched', data: exampleData['mall.directory.searched'] }),
      at(2, { type: 'mall.store.viewed', data: { sessionId: SESSION, storeId: 'store.1' } }),
      at(3, { type: 'mall.store.viewed', data: { sessionId: '0190a5b2-7c3e-7d4f-8a1b-ffffffffffff', storeId: 'store.1' } }),
      at(4, { type: 'mall.route.requested', data: { ...exampleData['mall.route.requested'], storeId: 'store.1' } }),
    ];
    const { inc } = foldKioskDay(storePopularityReducer, storePopularityReducer.initial(), events);
    expect(inc).toEqual({ 'stores.store%2E1.views': 2, 'stores.store%2E1.searchViews': 1, 'stores.store%2E1.routes': 1 });
  });

  it('counts offer views and claims', () => {
    const events = [at(1, { type: 'mall.offer.viewed', data: exampleData['mall.offer.viewed'] }), at(2, { type: 'mall.offer.claimed', data: exampleData['mall.offer.claimed'] })];
    expect(foldKioskDay(offerPerformanceReducer, {}, events).inc).toEqual({ 'offers.offer-7.views': 1, 'offers.offer-7.claims': 1 });
  });

  it('given heartbeats, when folded, then the latest wins and connectivity follows heartbeat age', () => {
    const change = foldFleetStatus(undefined, [
      at(1, { type: 'kiosk.heartbeat', data: { ...exampleData['kiosk.heartbeat'], queueDepth: 3 } }),
      at(2, { type: 'kiosk.update.installed', data: exampleData['kiosk.update.installed'] }),
    ]);
    expect(change).toMatchObject({ queueDepth: 3, version: '1.5.0' });
    const beat = change!.lastHeartbeatAt!;
    expect(connectivityAt(beat, new Date(beat.getTime() + 60_000), 180_000)).toBe('online');
    expect(connectivityAt(beat, new Date(beat.getTime() + 600_000), 180_000)).toBe('offline');
    expect(connectivityAt(undefined, beat, 180_000)).toBe('never-seen');
  });

  it('counts events per mall, day and type', () => {
    const hb = { type: 'kiosk.heartbeat', data: exampleData['kiosk.heartbeat'] } as const;
    expect(dailyAnalyticsChange([at(1, hb), at(2, hb), at(3, hb, 'mall-02-k009')])).toEqual([
      { mallId: 'mall-01', day: '2026-11-01', eventType: 'kiosk.heartbeat', events: 2 },
      { mallId: 'mall-02', day: '2026-11-01', eventType: 'kiosk.heartbeat', events: 1 },
    ]);
    expect(mallOfKiosk('odd')).toBe('unknown');
  });

  it('decides claims against stock first, then the shopper limit', () => {
    expect(decideClaim(undefined, 0, false)).toBe('accepted');
    expect(decideClaim({ stock: 2, perShopperLimit: 1, accepted: 2 }, 0, true)).toBe('over_stock');
    expect(decideClaim({ stock: 2, perShopperLimit: 1, accepted: 1 }, 1, true)).toBe('over_limit');
    expect(decideClaim({ stock: null, perShopperLimit: 1, accepted: 9 }, 1, false)).toBe('accepted');
  });

  it('escapes ids used as field names reversibly', () => {
    for (const id of ['store.1', '$x', 'a%2Eb', 'plain']) expect(decodeFieldKey(encodeFieldKey(id))).toBe(id);
    expect(encodeFieldKey('a.b')).not.toContain('.');
  });
});
