import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogueEvent } from '@atrium/contracts';
import { openTestKiosk, tempDataDir, type TestKiosk } from '../testing/testKiosk';
import { directorySearched, heartbeat, offerClaimed } from '../testing/sampleEvents';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

interface Stored {
  sequence: number;
  type: string;
  data: Record<string, unknown>;
}
function stored(k: TestKiosk, above = 0): Stored[] {
  return (k.store.db.prepare('SELECT sequence, payload FROM outbox WHERE sequence > ? ORDER BY sequence').all(above) as { sequence: number; payload: string }[]).map((r) => {
    const e = JSON.parse(r.payload);
    return { sequence: r.sequence, type: e.type, data: e.data };
  });
}

describe('storage pressure', () => {
  it('given an outbox filled past its budget, then every business event is kept, telemetry is refused before it takes a sequence, and the drops are recorded with exact counts', () => {
    const t = tempDataDir();
    const k = openTestKiosk(t.dir, { outbox: { budgetBytes: 40_000, coalesceWindowMs: 60_000, dropReportIntervalMs: 24 * 3600_000 } });
    cleanups.push(t.remove, () => k.close());
    const seen: Stored[] = [];
    const expectedDrops: Record<string, Record<string, number>> = {};
    let businessAppended = 0;
    let sequenceOfLastBusiness = 0;

    // given: a kiosk offline for long enough to fill its budget with a mix of events
    for (let i = 0; i < 300; i++) {
      const event: CatalogueEvent = i % 3 === 0 ? offerClaimed(i) : i % 3 === 1 ? heartbeat(i) : directorySearched(`q${i}`);
      const result = k.outbox.append(event);
      if (event.type === 'mall.offer.claimed') {
        expect(result.kind).toBe('appended');
        businessAppended += 1;
        if (result.kind === 'appended') sequenceOfLastBusiness = result.sequence;
      } else if (result.kind === 'dropped') {
        const byType = (expectedDrops[result.reason] ??= {});
        byType[event.type] = (byType[event.type] ?? 0) + 1;
      }
    }
    seen.push(...stored(k));
    expect(k.outbox.stats().pressure).toBe('critical');
    expect(k.outbox.stats().usedBytes).toBeGreaterThan(40_000); // business goes over a soft budget, never dropped
    expect(expectedDrops['storage-pressure']).toBeDefined();
    expect(expectedDrops['coalesced']).toBeDefined();

    // then: the sequence has no gaps and every business event is there
    expect(seen.map((s) => s.sequence)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.filter((s) => s.type === 'mall.offer.claimed')).toHaveLength(businessAppended);
    expect(seen.filter((s) => s.type === 'kiosk.outbox.pressure').map((s) => s.data['level'])).toEqual(['warning', 'critical']);
    const warning = seen.find((s) => s.type === 'kiosk.outbox.pressure')!;
    expect(warning.data['budgetBytes']).toBe(40_000);
    expect(sequenceOfLastBusiness).toBeGreaterThan(0);

    // when: the kiosk is back online and everything is delivered
    const last = k.outbox.watermarks().lastSequence;
    k.outbox.markDelivered(last, [], Date.now());
    k.outbox.prune(Date.now());

    // then: pressure clears and the drops are written out, one event per reason, exact counts
    const after = stored(k, last);
    expect(after.map((s) => s.type)).toEqual(['kiosk.outbox.pressure', ...Object.keys(expectedDrops).map(() => 'kiosk.events.dropped')]);
    expect(after[0]!.data['level']).toBe('cleared');
    const reported: Record<string, Record<string, number>> = {};
    for (const e of after.slice(1)) reported[e.data['reason'] as string] = e.data['countsByType'] as Record<string, number>;
    expect(reported).toEqual(expectedDrops);
    expect(k.outbox.stats().pendingDrops).toBe(0);
  });

  it('given drops pending when the kiosk restarts, then the counts survive and are reported', () => {
    const t = tempDataDir();
    cleanups.push(t.remove);
    const options = { outbox: { budgetBytes: 5_000, dropReportIntervalMs: 24 * 3600_000 } };
    const first = openTestKiosk(t.dir, options);
    let dropped = 0;
    for (let i = 0; i < 40; i++) {
      first.outbox.append(offerClaimed(i));
      if (first.outbox.append(heartbeat(i)).kind === 'dropped') dropped += 1;
    }
    expect(first.outbox.stats().pendingDrops).toBe(dropped);
    first.close();
    const second = openTestKiosk(t.dir, options);
    cleanups.push(() => second.close());
    expect(second.outbox.stats().pendingDrops).toBe(dropped);
    second.outbox.flushDrops();
    const reports = stored(second).filter((s) => s.type === 'kiosk.events.dropped');
    const total = reports.reduce((n, r) => n + Object.values(r.data['countsByType'] as Record<string, number>).reduce((a, b) => a + b, 0), 0);
    expect(total).toBe(dropped);
  });
});
