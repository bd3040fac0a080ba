// The bridge layer may import only contracts, so its receiving-side tests live with the shell that receives.
import { describe, expect, it } from 'vitest';
import { AtriumError } from '@atrium/contracts';
import { bridgeOk } from '../bridge/bridgeResult';
import { bridgeMethods } from '../bridge/bridgeCalls';
import { dispatchBridgeCall } from '../bridge/dispatchBridgeCall';
import type { KioskBridgeCalls } from '../bridge/kioskBridge';

const SESSION = '0190a5b2-7c3e-7d4f-8a1b-2c3d4e5f6a7b';
const seen: unknown[] = [];
const impl = Object.fromEntries(
  bridgeMethods.map((m) => [
    m,
    async (input: unknown) => {
      seen.push(input);
      if (m === 'claimOffer') throw new AtriumError('CONFLICT', 'limit reached');
      if (m === 'listCategories') throw new Error('disk on fire: /var/secret');
      return bridgeOk({ echoed: input });
    },
  ]),
) as unknown as KioskBridgeCalls;

describe('the receiving side of the bridge', () => {
  it('given a valid input, when dispatched, then the implementation answers', async () => {
    const result = await dispatchBridgeCall(impl, 'submitFeedback', { sessionId: SESSION, rating: 5 });
    expect(result).toEqual({ ok: true, value: { echoed: { sessionId: SESSION, rating: 5 } } });
  });

  it('given an input off its schema, when dispatched, then VALIDATION_FAILED names the field and the implementation is not called', async () => {
    seen.length = 0;
    const result = await dispatchBridgeCall(impl, 'submitFeedback', { sessionId: SESSION, rating: 9 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION_FAILED');
    expect(result.error.errors?.map((e) => e.path)).toContain('/rating');
    expect(seen).toEqual([]);
  });

  it('given extra fields, when dispatched, then they are refused rather than passed on', async () => {
    const result = await dispatchBridgeCall(impl, 'changeLanguage', { from: 'en', to: 'ar', evil: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('given an unknown or inherited method name, when dispatched, then NOT_FOUND', async () => {
    expect(await dispatchBridgeCall(impl, 'dropDatabase', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatchBridgeCall(impl, 'constructor', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('given a catalogued error thrown, when dispatched, then its code crosses the bridge', async () => {
    const result = await dispatchBridgeCall(impl, 'claimOffer', { sessionId: SESSION, offerId: 'offer-1' });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', status: 409 } });
  });

  it('given an unexpected exception, when dispatched, then INTERNAL without its details, and the details go to the kiosk log', async () => {
    const logged: string[] = [];
    const result = await dispatchBridgeCall(impl, 'listCategories', {}, (method, err) => logged.push(`${method}: ${(err as Error).message}`));
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('/var/secret');
    expect(logged).toEqual(['listCategories: disk on fire: /var/secret']);
  });
});
