import { afterEach, describe, expect, it } from 'vitest';
import { isEventId, validateEvent, type CatalogueEvent } from '@atrium/contracts';
import { openTestKiosk, skewedClockSource, tempDataDir, type TestKiosk } from '../testing/testKiosk';
import { directorySearched, heartbeat, offerClaimed } from '../testing/sampleEvents';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function kiosk(options: Parameters<typeof openTestKiosk>[1] = {}): TestKiosk & { dir: string } {
  const t = tempDataDir();
  const k = openTestKiosk(t.dir, options);
  cleanups.push(t.remove, () => k.close());
  return { ...k, dir: t.dir };
}
function payloads(k: TestKiosk): Record<string, unknown>[] {
  return (k.store.db.prepare('SELECT payload FROM outbox ORDER BY sequence').pluck().all() as string[]).map((p) => JSON.parse(p));
}

describe('appending to the outbox', () => {
  it('given appends, then each event gets the next gapless sequence from 1, a UUIDv7 id and a valid envelope', () => {
    const k = kiosk();
    const results = [k.outbox.append(offerClaimed(1)), k.outbox.append(directorySearched()), k.outbox.append(heartbeat())];
    expect(results.map((r) => (r.kind === 'appended' ? r.sequence : 0))).toEqual([1, 2, 3]);
    for (const event of payloads(k)) {
      expect(validateEvent(event).ok).toBe(true);
      expect(isEventId(event['id'] as string)).toBe(true);
      expect(event['kioskid']).toBe('mall-01-k007');
      expect(event['source']).toBe('urn:atrium:kiosk:mall-01-k007');
    }
  });

  it('given an invalid event, then it is refused with EVENT_INVALID, nothing is written and no sequence is used', () => {
    const k = kiosk();
    const bad = { type: 'mall.feedback.submitted', data: { sessionId: 'nope', rating: 9 } } as unknown as CatalogueEvent;
    expect(() => k.outbox.append(bad)).toThrow(expect.objectContaining({ code: 'EVENT_INVALID', message: expect.stringContaining('/data/rating') }));
    expect(() => k.outbox.append({ type: 'mall.unicorn.sighted', data: {} } as unknown as CatalogueEvent)).toThrow(expect.objectContaining({ code: 'EVENT_TYPE_UNKNOWN' }));
    expect(k.outbox.append(offerClaimed()).kind === 'appended' && k.outbox.watermarks().lastSequence).toBe(1);
  });

  it('refuses appendInTransaction outside store.transaction', () => {
    const k = kiosk();
    expect(() => k.outbox.appendInTransaction(offerClaimed())).toThrow(/inside store.transaction/);
  });

  it('given several appends in one transaction that rolls back, then the sequence continues without a gap', () => {
    const k = kiosk();
    expect(() =>
      k.store.transaction(() => {
        k.outbox.appendInTransaction(offerClaimed(1));
        k.outbox.appendInTransaction(offerClaimed(2));
        throw new Error('the state change failed');
      }),
    ).toThrow(/state change failed/);
    k.store.transaction(() => {
      k.outbox.appendInTransaction(offerClaimed(3));
      // a nested savepoint that rolls back, inside an outer transaction that commits
      expect(() =>
        k.store.transaction(() => {
          k.outbox.appendInTransaction(offerClaimed(4));
          throw new Error('inner');
        }),
      ).toThrow('inner');
      k.outbox.appendInTransaction(offerClaimed(5));
    });
    expect(k.store.db.prepare('SELECT sequence FROM outbox').pluck().all()).toEqual([1, 2]);
    expect(payloads(k).map((e) => (e['data'] as { couponCode: string }).couponCode)).toEqual(['ATR-000003', 'ATR-000005']);
    expect(k.outbox.stats().undelivered.business).toBe(2);
  });

  it('given a reopened store, then numbering continues where it stopped', () => {
    const t = tempDataDir();
    cleanups.push(t.remove);
    const first = openTestKiosk(t.dir);
    first.outbox.append(offerClaimed());
    first.outbox.append(offerClaimed());
    first.close();
    const second = openTestKiosk(t.dir);
    cleanups.push(() => second.close());
    expect(second.outbox.append(offerClaimed())).toMatchObject({ kind: 'appended', sequence: 3 });
  });

  it('given a kiosk clock that is off and a learned server offset, then events carry corrected time and rawtime', () => {
    const k = kiosk({ clockSource: skewedClockSource(-120_000) });
    k.outbox.append(offerClaimed());
    const monoAtReply = k.clock.read().monoMs;
    k.clock.observe({ serverMs: Date.now(), precisionMs: 1, sentMonoMs: monoAtReply });
    k.outbox.append(offerClaimed());
    const [before, after] = payloads(k);
    expect(before!['rawtime']).toBeUndefined();
    expect(Math.abs(Date.parse(after!['time'] as string) - Date.now())).toBeLessThan(5_000);
    expect(Date.parse(after!['time'] as string) - Date.parse(after!['rawtime'] as string)).toBeGreaterThan(115_000);
    expect(k.clock.offsetMs()).toBeGreaterThan(115_000);
  });
});

describe('delivery and retention', () => {
  it('marks delivered only through the acknowledged sequence and records rejections', () => {
    const k = kiosk();
    for (let i = 0; i < 10; i++) k.outbox.append(i % 2 ? offerClaimed(i) : heartbeat(i));
    k.outbox.markDelivered(6, [{ id: 'x', sequence: 4, code: 'EVENT_INVALID', reason: 'bad' }], Date.now());
    expect(k.outbox.stats()).toMatchObject({ ackedThrough: 6, undelivered: { business: 2, telemetry: 2 }, rejectionsRecorded: 1 });
    expect(k.outbox.readBatch(7, 100, 1_000_000)).toMatchObject({ from: 7, to: 10, count: 4 });
    // an older acknowledgement does not move the watermark back
    k.outbox.markDelivered(3, [], Date.now());
    expect(k.outbox.watermarks().ackedThrough).toBe(6);
  });

  it('bounds a batch in count and bytes, and builds a JSON array of the stored events', () => {
    const k = kiosk();
    for (let i = 0; i < 10; i++) k.outbox.append(offerClaimed(i));
    const one = Number(k.store.db.prepare('SELECT bytes FROM outbox WHERE sequence = 1').pluck().get());
    expect(k.outbox.readBatch(1, 4, 1_000_000)).toMatchObject({ from: 1, to: 4 });
    const byBytes = k.outbox.readBatch(2, 100, one * 3 + 1)!;
    expect(byBytes).toMatchObject({ from: 2, to: 4, count: 3 });
    expect((JSON.parse(byBytes.body) as { sequence: number }[]).map((e) => e.sequence)).toEqual([2, 3, 4]);
    expect(k.outbox.readBatch(11, 100, 1_000)).toBeNull();
  });

  it('given a retention, then delivered events are pruned once old enough and undelivered ones never', () => {
    const k = kiosk({ outbox: { retentionMs: 60_000 } });
    for (let i = 0; i < 6; i++) k.outbox.append(offerClaimed(i));
    const t0 = Date.now();
    k.outbox.markDelivered(2, [], t0);
    k.outbox.markDelivered(4, [], t0 + 30_000);
    expect(k.outbox.prune(t0 + 59_000)).toBe(0);
    expect(k.outbox.prune(t0 + 60_000)).toBe(2);
    expect(k.outbox.prune(t0 + 10 * 60_000)).toBe(2);
    expect(k.store.db.prepare('SELECT sequence FROM outbox').pluck().all()).toEqual([5, 6]);
    expect(k.outbox.stats().eventBytes).toBe(Number(k.store.db.prepare('SELECT sum(bytes) FROM outbox').pluck().get()));
    // and after pruning everything delivered, numbering still continues
    k.close();
    const again = openTestKiosk(k.dir);
    cleanups.push(() => again.close());
    expect(again.outbox.watermarks()).toEqual({ lastSequence: 6, ackedThrough: 4 });
  });
});
