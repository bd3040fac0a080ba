import { describe, expect, it } from 'vitest';
import { activeOffersAt, isOfferActiveAt } from './activeOffers';

const offer = (id: string, validFrom: string, validTo: string) => ({ id, validFrom, validTo });

describe('offer validity', () => {
  it('is valid from its start (inclusive) to its end (exclusive)', () => {
    const o = offer('a', '2026-01-01T00:00:00.000Z', '2026-01-31T00:00:00.000Z');
    expect(isOfferActiveAt(o, new Date('2025-12-31T23:59:59.999Z'))).toBe(false);
    expect(isOfferActiveAt(o, new Date('2026-01-01T00:00:00.000Z'))).toBe(true);
    expect(isOfferActiveAt(o, new Date('2026-01-30T23:59:59.999Z'))).toBe(true);
    expect(isOfferActiveAt(o, new Date('2026-01-31T00:00:00.000Z'))).toBe(false);
  });

  it('given offers with different windows, when asked at an instant, then only the running ones come back, ending soonest first', () => {
    const offers = [
      offer('long', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z'),
      offer('future', '2026-02-01T00:00:00Z', '2026-02-10T00:00:00Z'),
      offer('short', '2026-01-10T00:00:00+01:00', '2026-01-20T00:00:00+01:00'),
      offer('past', '2025-12-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ];
    expect(activeOffersAt(offers, new Date('2026-01-15T12:00:00Z')).map((o) => o.id)).toEqual(['short', 'long']);
  });
});
