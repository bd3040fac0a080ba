import { describe, expect, it } from 'vitest';
import { makeEvent, validateEvent } from '@atrium/contracts';
import { DEFAULT_MIX, ShopperMix } from './shopperMix';

const ids = () => {
  let n = 0;
  const uuid = () => `0190a5b2-7c3e-7d4f-8a1b-${String((n += 1)).padStart(12, '0')}`;
  return { sessionId: uuid, claimId: uuid, emailHash: () => String(n += 1).padStart(64, '0') };
};

describe('shopper mix', () => {
  it('given a seed, when 2,000 events are drawn, then every one is a valid catalogued event and the mix has every kind of shopper action', () => {
    const mix = new ShopperMix(42, ids());
    const types = new Map<string, number>();
    for (let i = 0; i < 2_000; i += 1) {
      const event = mix.next(1_700_000_000_000 + i * 100);
      const built = makeEvent(event, { id: '0190a5b2-7c3e-7d4f-8a1b-2c3d4e5f6a7b', kioskId: 'sim-test-k001', sequence: i + 1, time: new Date(1_700_000_000_000 + i * 100).toISOString() });
      expect(validateEvent(built).ok).toBe(true);
      types.set(event.type, (types.get(event.type) ?? 0) + 1);
    }
    for (const type of ['kiosk.heartbeat', 'mall.session.started', 'mall.directory.searched', 'mall.store.viewed', 'mall.route.requested', 'mall.offer.viewed', 'mall.offer.claimed', 'mall.feedback.submitted', 'mall.session.ended']) {
      expect(types.get(type) ?? 0).toBeGreaterThan(0);
    }
  });

  it('given kiosk time advancing, when drawing events, then a heartbeat comes at least every heartbeatEveryMs', () => {
    const mix = new ShopperMix(7, ids());
    const beats: number[] = [];
    for (let t = 0; t < 60_000; t += 250) if (mix.next(t).type === 'kiosk.heartbeat') beats.push(t);
    expect(beats[0]).toBe(0);
    for (let i = 1; i < beats.length; i += 1) expect(beats[i]! - beats[i - 1]!).toBe(DEFAULT_MIX.heartbeatEveryMs);
  });

  it('given the same seed and ids, when drawn twice, then the streams are equal', () => {
    const a = new ShopperMix(9, ids());
    const b = new ShopperMix(9, ids());
    for (let t = 0; t < 500; t += 1) expect(a.next(t * 10)).toEqual(b.next(t * 10));
  });
});
