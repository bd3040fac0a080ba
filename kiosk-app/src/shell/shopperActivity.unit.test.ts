import { describe, expect, it } from 'vitest';
import { bridgeOk } from '../bridge';
import { ShopperActivity } from './shopperActivity';

const minute = 60_000;
const activity = () => new ShopperActivity({ staleSessionMs: 10 * minute, quietMs: minute });

describe('shopper activity for the updater', () => {
  it('given a backend the page never called, then the kiosk is not in its attract loop', () => {
    expect(activity().activity(0)).toEqual({ sessionActive: false, attractLoop: false });
  });

  it('given the page loaded, when a shopper starts a session, then it is active until the session ends', () => {
    const a = activity();
    a.served('kioskInfo', {}, bridgeOk({}), 0);
    expect(a.activity(1)).toEqual({ sessionActive: false, attractLoop: true });
    a.served('startSession', { language: 'en' }, bridgeOk({ sessionId: 's-1' }), 2 * minute);
    a.served('listOffers', { sessionId: 's-1' }, bridgeOk([]), 5 * minute);
    expect(a.activity(14 * minute)).toEqual({ sessionActive: true, attractLoop: false });
    a.served('endSession', { sessionId: 's-1', reason: 'idle', durationMs: 1 }, bridgeOk({}), 14 * minute);
    expect(a.activity(14 * minute + 1)).toEqual({ sessionActive: false, attractLoop: false });
    expect(a.activity(16 * minute)).toEqual({ sessionActive: false, attractLoop: true });
  });

  it('given a session the page never ended (reloaded mid-session), when it stays quiet long enough, then it counts as abandoned', () => {
    const a = activity();
    a.served('startSession', { language: 'en' }, bridgeOk({ sessionId: 's-2' }), 0);
    expect(a.activity(10 * minute).sessionActive).toBe(true);
    expect(a.activity(10 * minute + 1)).toEqual({ sessionActive: false, attractLoop: true });
  });

  it('given a technician overlay polling its status, then the kiosk is not idle', () => {
    const a = activity();
    a.served('kioskInfo', {}, bridgeOk({}), 0);
    a.served('technicianStatus', {}, bridgeOk({}), 5 * minute);
    expect(a.activity(5 * minute + 2_000).attractLoop).toBe(false);
  });
});
