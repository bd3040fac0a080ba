import { describe, expect, it } from 'vitest';
import { eventCatalogue, exampleData, isEventId, makeEvent, validateEvent, type CatalogueEvent } from '@atrium/contracts';
import { EventEncoder } from './eventEncoder';

const KIOSK = 'mall-01-k007';
const T0 = Date.UTC(2026, 10, 27, 12, 0, 0, 123);
const examples = eventCatalogue.map((d) => ({ type: d.type, data: exampleData[d.type] }) as CatalogueEvent);

function canonical(e: { id: string; sequence: number; time: number; raw: number }, event: CatalogueEvent): string {
  const time = new Date(e.time).toISOString();
  return JSON.stringify(makeEvent(event, { id: e.id, kioskId: KIOSK, sequence: e.sequence, time, rawTime: new Date(e.raw).toISOString() }));
}

describe('event encoder', () => {
  it('given every catalogued type, with and without a corrected time, then the stored JSON is byte for byte the canonical encoding and passes validateEvent', () => {
    const encoder = new EventEncoder(KIOSK);
    let sequence = 0;
    for (const event of examples) {
      const kind = encoder.kind(event.type);
      // The first event of a type takes the full check; the later ones the fast path.
      for (const [time, raw] of [[T0, T0], [T0 + 1, T0 - 5_000], [T0 + 2, T0 + 2]] as const) {
        sequence += 1;
        const encoded = encoder.encode(kind, event, sequence, time, raw);
        expect(encoded.json).toBe(canonical({ id: encoded.id, sequence, time, raw }, event));
        expect(JSON.parse(encoded.json)).toEqual(encoded.event);
        expect(validateEvent(JSON.parse(encoded.json)).ok).toBe(true);
        expect(isEventId(encoded.id)).toBe(true);
      }
      expect(encoder.usesFastPath(event.type)).toBe(true);
    }
  });

  it('given invalid data after the first event of its type, then it is refused with EVENT_INVALID naming the field', () => {
    const encoder = new EventEncoder(KIOSK);
    const kind = encoder.kind('mall.feedback.submitted');
    const good = { type: 'mall.feedback.submitted', data: exampleData['mall.feedback.submitted'] } as CatalogueEvent;
    encoder.encode(kind, good, 1, T0, T0);
    expect(encoder.usesFastPath('mall.feedback.submitted')).toBe(true);
    const bad = { type: 'mall.feedback.submitted', data: { ...exampleData['mall.feedback.submitted'], rating: 9 } } as unknown as CatalogueEvent;
    expect(() => encoder.encode(kind, bad, 2, T0, T0)).toThrow(expect.objectContaining({ code: 'EVENT_INVALID', message: expect.stringContaining('/data/rating') }));
  });

  it('given a time outside what date-time accepts, or a sequence below 1, then the event is refused', () => {
    const encoder = new EventEncoder(KIOSK);
    const event = examples[0]!;
    const kind = encoder.kind(event.type);
    encoder.encode(kind, event, 1, T0, T0);
    const year10000 = Date.UTC(10000, 0, 1);
    expect(() => encoder.encode(kind, event, 2, year10000, year10000)).toThrow(expect.objectContaining({ code: 'EVENT_INVALID', message: expect.stringContaining('/time') }));
    expect(() => encoder.encode(kind, event, 0, T0, T0)).toThrow(expect.objectContaining({ code: 'EVENT_INVALID', message: expect.stringContaining('/sequence') }));
  });

  it('given an unknown type, then EVENT_TYPE_UNKNOWN', () => {
    expect(() => new EventEncoder(KIOSK).kind('mall.unicorn.sighted')).toThrow(expect.objectContaining({ code: 'EVENT_TYPE_UNKNOWN' }));
  });

  it('given a kiosk id the envelope refuses, then the first event is refused by the full check', () => {
    const encoder = new EventEncoder('Not A Kiosk');
    const event = examples[0]!;
    expect(() => encoder.encode(encoder.kind(event.type), event, 1, T0, T0)).toThrow(expect.objectContaining({ code: 'EVENT_INVALID', message: expect.stringContaining('/kioskid') }));
  });
});
