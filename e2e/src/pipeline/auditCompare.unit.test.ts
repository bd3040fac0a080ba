import { describe, expect, it } from 'vitest';
import { compareEvents, compareViews, expectedViews, formatRanges, type RecordedEvent } from './auditCompare';

const ev = (sequence: number, type: string, data: Record<string, unknown> = {}, time = `2026-11-27T10:00:${String(sequence).padStart(2, '0')}.000Z`): RecordedEvent => ({ sequence, id: `id-${sequence}`, type, time, data });

describe('audit comparison', () => {
  it('given every recorded event stored once under its id, then nothing is missing, duplicated or unexpected', () => {
    const recorded = [ev(1, 'kiosk.heartbeat'), ev(2, 'mall.store.viewed', { storeId: 's1' })];
    const result = compareEvents('k', recorded, new Set(), 2, recorded.map((e) => ({ sequence: e.sequence, id: e.id })));
    expect(result).toMatchObject({ recorded: 2, stored: 2, missing: [], duplicateIds: [], unexpected: [] });
  });

  it('given a missing row, an id stored under two sequences and a row never recorded, then each is reported', () => {
    const recorded = [ev(1, 'a'), ev(2, 'a'), ev(3, 'a')];
    const stored = [{ sequence: 1, id: 'id-1' }, { sequence: 3, id: 'id-1' }, { sequence: 9, id: 'id-9' }];
    const result = compareEvents('k', recorded, new Set(), 3, stored);
    expect(result.missing).toEqual([2]);
    expect(result.duplicateIds).toEqual(['id-1']);
    expect(result.unexpected).toEqual([9]);
  });

  it('given a dead-lettered sequence, then its absence from the store is not a loss', () => {
    const result = compareEvents('k', [ev(1, 'a'), ev(2, 'a')], new Set([2]), 2, [{ sequence: 1, id: 'id-1' }]);
    expect(result.missing).toEqual([]);
    expect(result.deadLettered).toBe(1);
  });

  it('given recorded shopper events, then the expected views follow them and a differing view is named', () => {
    const events = [
      ev(1, 'kiosk.heartbeat'),
      ev(2, 'mall.store.viewed', { storeId: 's1' }),
      ev(3, 'mall.route.requested', { storeId: 's1' }),
      ev(4, 'mall.offer.viewed', { offerId: 'o1' }),
      ev(5, 'mall.offer.claimed', { offerId: 'o1' }),
      ev(6, 'kiosk.heartbeat'),
      ev(7, 'mall.loyalty.enrolled'),
    ];
    const expected = expectedViews(events);
    expect(expected).toEqual({ lastHeartbeatAt: '2026-11-27T10:00:06.000Z', stores: { s1: { views: 1, routes: 1 } }, offers: { o1: { views: 1, claims: 1 } }, claimRows: 1, loyaltyRows: 1 });
    expect(compareViews(expected, expected)).toEqual([]);
    expect(compareViews(expected, { ...expected, stores: { s1: { views: 2, routes: 1 } }, claimRows: 0 })).toEqual([
      'store-popularity s1 views: expected 1, found 2',
      'offer-claims rows: expected 1, found 0',
    ]);
  });

  it('given sequences, then they are shown as ranges', () => {
    expect(formatRanges([5, 1, 2, 3, 9])).toBe('1-3,5,9');
  });
});
