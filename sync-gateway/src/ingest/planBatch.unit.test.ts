import { describe, expect, it } from 'vitest';
import { deadLetterHeaders, topics, type AtriumCloudEvent, type ErrorCode } from '@atrium/contracts';
import { exampleEvents } from '../testing/unitServices';
import { planBatch } from './planBatch';

const device = { deviceId: 'dev-1', kioskId: 'mall-01-k001', mallId: 'mall-01' };
const NOW = '2026-11-27T10:00:00.000Z';

function refusal(events: unknown[]): ErrorCode | 'ok' {
  try {
    planBatch(events, device, NOW);
    return 'ok';
  } catch (err) {
    return (err as { code: ErrorCode }).code;
  }
}

describe('planning an upload', () => {
  it('given contiguous valid events, then one binary-mode record each, keyed by kiosk, acknowledged through the last', () => {
    const events = exampleEvents(device.kioskId, 41, 3);
    const plan = planBatch(events, device, NOW);
    expect(plan.ackedThrough).toBe(43);
    expect(plan.accepted).toBe(3);
    expect(plan.records.map((r) => [r.topic, r.key, r.headers['ce_sequence']])).toEqual([
      [topics.kioskEvents, device.kioskId, '41'],
      [topics.kioskEvents, device.kioskId, '42'],
      [topics.kioskEvents, device.kioskId, '43'],
    ]);
  });

  it('given an empty batch, then nothing to produce and nothing acknowledged', () => {
    expect(planBatch([], device, NOW)).toEqual({ records: [], ackedThrough: 0, accepted: 0, rejections: [] });
  });

  it('given invalid and unknown events, then they go to the dead-letter topic with their reason and still count', () => {
    const [a, b, c] = exampleEvents(device.kioskId, 1, 3) as [AtriumCloudEvent, AtriumCloudEvent, AtriumCloudEvent];
    const plan = planBatch([a, { ...b, type: 'mall.unknown.happened' }, { ...c, data: { nope: true } }], device, NOW);
    expect(plan.ackedThrough).toBe(3);
    expect(plan.accepted).toBe(1);
    expect(plan.rejections.map((r) => [r.sequence, r.code, r.id])).toEqual([
      [2, 'EVENT_TYPE_UNKNOWN', b.id],
      [3, 'EVENT_INVALID', c.id],
    ]);
    const dead = plan.records.filter((r) => r.topic === topics.ingestDeadLetter);
    expect(dead.map((r) => [r.headers[deadLetterHeaders.code], r.headers[deadLetterHeaders.stage], r.headers[deadLetterHeaders.failedAt]])).toEqual([
      ['EVENT_TYPE_UNKNOWN', 'ingest', NOW],
      ['EVENT_INVALID', 'ingest', NOW],
    ]);
    expect(dead[1]?.headers[deadLetterHeaders.reason]).toContain('/data');
  });

  it('given the same batch twice, then the same plan (a re-sent batch gets the same acknowledgement)', () => {
    const events = exampleEvents(device.kioskId, 7, 4);
    expect(planBatch(events, device, NOW)).toEqual(planBatch(events, device, NOW));
  });

  it('refuses the whole batch for framing errors: another kiosk, a gap, a repeat, disorder, no sequence, a non-object', () => {
    const [a, b] = exampleEvents(device.kioskId, 1, 2) as [AtriumCloudEvent, AtriumCloudEvent];
    expect(refusal([a, { ...b, kioskid: 'mall-01-k002' }])).toBe('KIOSK_MISMATCH');
    expect(refusal([a, { ...b, source: 'urn:atrium:kiosk:mall-01-k002' }])).toBe('KIOSK_MISMATCH');
    expect(refusal([a, { ...b, sequence: 3 }])).toBe('SEQUENCE_GAP');
    expect(refusal([a, { ...b, sequence: 1 }])).toBe('SEQUENCE_GAP');
    expect(refusal([b, a])).toBe('SEQUENCE_GAP');
    expect(refusal([a, { ...b, sequence: '2' }])).toBe('VALIDATION_FAILED');
    expect(refusal([a, 42])).toBe('VALIDATION_FAILED');
  });
});
