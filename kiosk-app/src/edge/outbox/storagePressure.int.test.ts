import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { demoMall, type CatalogueEvent } from '@atrium/contracts';
import type { ClockSource } from '../clock/kioskClock';
import type { OutboxConfig } from './outboxConfig';
import { ContentCache } from '../content';
import { openTestKiosk, tempDataDir, type TestKiosk } from '../testing/testKiosk';
import { directorySearched, heartbeat, offerClaimed } from '../testing/sampleEvents';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const MiB = 1024 * 1024;

interface Stored {
  sequence: number;
  type: string;
  bytes: number;
  data: Record<string, unknown>;
}
function stored(k: TestKiosk, above = 0): Stored[] {
  return (k.store.db.prepare('SELECT sequence, bytes, payload FROM outbox WHERE sequence > ? ORDER BY sequence').all(above) as { sequence: number; bytes: number; payload: string }[]).map((r) => {
    const e = JSON.parse(r.payload);
    return { sequence: r.sequence, type: e.type, bytes: r.bytes, data: e.data };
  });
}

/** A clock the test moves by hand (monotonic and wall clock together). */
function scriptedClock(): ClockSource & { advance(ms: number): void } {
  let now = Date.UTC(2026, 10, 27, 9, 0, 0);
  return { bootId: 'test-boot', monoMs: () => now, wallMs: () => now, advance: (ms) => void (now += ms) };
}

/** A kiosk on a fresh data folder with a scripted clock and this outbox budget. */
function kioskWithBudget(budgetBytes: number, outbox: Partial<OutboxConfig> = {}): { dir: string; clock: ReturnType<typeof scriptedClock>; k: TestKiosk } {
  const t = tempDataDir();
  const clock = scriptedClock();
  const k = openTestKiosk(t.dir, { clockSource: clock, outbox: { budgetBytes, dropReportIntervalMs: 24 * 3600_000, ...outbox } });
  cleanups.push(t.remove, () => k.close());
  return { dir: t.dir, clock, k };
}

function onDisk(k: TestKiosk): number {
  return statSync(k.store.path).size + (statSync(`${k.store.path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
}

describe('storage pressure', () => {
  it('given an outbox filled past its budget on disk, then every business event is kept, telemetry is refused before it takes a sequence, and the drops are recorded with exact counts', () => {
    const budgetBytes = 8 * MiB;
    const { dir, clock, k } = kioskWithBudget(budgetBytes, { coalesceWindowMs: 60_000 });
    const expectedDrops: Record<string, Record<string, number>> = {};
    let businessAppended = 0;
    let criticalFor = 0;

    // given: a kiosk offline for long enough to fill its budget with a mix of events
    for (let i = 0; i < 40_000 && (criticalFor < 600 || k.outbox.stats().usedBytes <= budgetBytes); i += 50) {
      k.store.transaction(() => {
        for (let j = i; j < i + 50; j++) {
          clock.advance(10);
          const event: CatalogueEvent = j % 3 === 0 ? offerClaimed(j) : j % 3 === 1 ? heartbeat(j) : directorySearched(`q${j}`);
          const result = k.outbox.appendInTransaction(event);
          if (event.type === 'mall.offer.claimed') {
            expect(result.kind).toBe('appended');
            businessAppended += 1;
          } else if (result.kind === 'dropped') {
            const byType = (expectedDrops[result.reason] ??= {});
            byType[event.type] = (byType[event.type] ?? 0) + 1;
          }
        }
      });
      if (k.outbox.stats().pressure === 'critical') criticalFor += 50;
    }
    const seen = stored(k);
    const stats = k.outbox.stats();
    expect(stats.pressure).toBe('critical');
    expect(stats.usedBytes).toBeGreaterThan(budgetBytes); // business goes over a soft budget, never dropped
    expect(expectedDrops['storage-pressure']).toBeDefined();
    expect(expectedDrops['coalesced']).toBeDefined();

    // then: the sequence has no gaps and every business event is there
    expect(seen.map((s) => s.sequence)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.filter((s) => s.type === 'mall.offer.claimed')).toHaveLength(businessAppended);
    const pressure = seen.filter((s) => s.type === 'kiosk.outbox.pressure');
    expect(pressure.map((s) => s.data['level'])).toEqual(['warning', 'critical']);

    // and: the budget counted the database on disk, which the event JSON alone had not filled
    const warning = pressure[0]!;
    expect(warning.data).toMatchObject({ budgetBytes });
    expect(warning.data['usedBytes']).toBeGreaterThanOrEqual(0.8 * budgetBytes);
    const eventBytesAtWarning = seen.filter((s) => s.sequence < warning.sequence).reduce((n, s) => n + s.bytes, 0);
    expect(eventBytesAtWarning).toBeLessThan(0.8 * budgetBytes);
    expect(stats.fileBytes).toBeGreaterThan(stats.eventBytes);

    // when: the kiosk is back online and everything is delivered
    const last = k.outbox.watermarks().lastSequence;
    k.outbox.markDelivered(last, [], clock.wallMs());
    k.outbox.prune(clock.wallMs());

    // then: the freed pages count as room again, pressure clears and the drops are written out, one event per reason, exact counts
    const after = stored(k, last);
    expect(after.map((s) => s.type)).toEqual(['kiosk.outbox.pressure', ...Object.keys(expectedDrops).map(() => 'kiosk.events.dropped')]);
    expect(after[0]!.data['level']).toBe('cleared');
    const reported: Record<string, Record<string, number>> = {};
    for (const e of after.slice(1)) reported[e.data['reason'] as string] = e.data['countsByType'] as Record<string, number>;
    expect(reported).toEqual(expectedDrops);
    const cleared = k.outbox.stats();
    expect(cleared).toMatchObject({ pendingDrops: 0, pressure: 'normal' });
    expect(cleared.usedBytes).toBeLessThan(0.7 * budgetBytes);
    // the file keeps its size: SQLite reuses the free pages before it grows the file again
    expect(cleared.fileBytes).toBeGreaterThan(budgetBytes);

    // and: what is counted is the real file (read again at open, once closing has checkpointed the WAL into it)
    k.close();
    const reopened = openTestKiosk(dir, { clockSource: clock, outbox: { budgetBytes } });
    cleanups.push(() => reopened.close());
    const pages = reopened.store.db.prepare('SELECT page_size * freelist_count AS free FROM pragma_page_size(), pragma_freelist_count()').get() as { free: number };
    expect(reopened.outbox.stats().fileBytes).toBe(onDisk(reopened));
    expect(reopened.outbox.stats().usedBytes).toBe(onDisk(reopened) - pages.free);
  });

  it('given a database grown by the content cache, then at the next size reading telemetry is refused although the events alone are far below the budget', () => {
    const budgetBytes = 4 * MiB;
    const { clock, k } = kioskWithBudget(budgetBytes, { sizeCheckIntervalMs: 60_000 });
    expect(k.outbox.append(heartbeat(1)).kind).toBe('appended');

    // given: the whole demo mall arrives in the content cache, in the same database file
    new ContentCache(k.store).applyContentPage({ cursor: '', nextCursor: 'c-1', hasMore: false, upserts: demoMall(), deletes: [], serverTime: new Date(clock.wallMs()).toISOString() });

    // then: the size is not read on every append: until the next reading the old one stands
    clock.advance(1_000);
    expect(k.outbox.append(heartbeat(2)).kind).toBe('appended');

    // when: the reading interval has passed
    clock.advance(60_000);
    const refused = k.outbox.append(heartbeat(3));

    // then: the content cache's pages count, telemetry gives way, business is kept, and it all shows
    expect(refused).toEqual({ kind: 'dropped', reason: 'storage-pressure' });
    expect(k.outbox.append(offerClaimed(1)).kind).toBe('appended');
    const stats = k.outbox.stats();
    expect(stats).toMatchObject({ pressure: 'critical', pendingDrops: 1 });
    expect(stats.eventBytes).toBeLessThan(0.01 * budgetBytes);
    expect(stats.usedBytes).toBeGreaterThanOrEqual(0.95 * budgetBytes);
    const pressure = stored(k).filter((s) => s.type === 'kiosk.outbox.pressure');
    expect(pressure.map((s) => s.data['level'])).toEqual(['critical']);
    k.outbox.flushDrops();
    expect(stored(k).filter((s) => s.type === 'kiosk.events.dropped').map((s) => s.data['countsByType'])).toEqual([{ 'kiosk.heartbeat': 1 }]);
  });

  it('given drops pending when the kiosk restarts, then the counts survive and are reported', () => {
    const t = tempDataDir();
    cleanups.push(t.remove);
    // A budget smaller than an empty database: every telemetry event is refused.
    const options = { outbox: { budgetBytes: 5_000, dropReportIntervalMs: 24 * 3600_000 } };
    const first = openTestKiosk(t.dir, options);
    let dropped = 0;
    for (let i = 0; i < 40; i++) {
      first.outbox.append(offerClaimed(i));
      if (first.outbox.append(heartbeat(i)).kind === 'dropped') dropped += 1;
    }
    expect(dropped).toBe(40);
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
