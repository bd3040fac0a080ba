import { afterEach, describe, expect, it } from 'vitest';
import { TestGateway } from '../testing/testGateway';
import { makeTestDeviceKey } from '../testing/testDeviceKey';
import { openTestKiosk, tempDataDir } from '../testing/testKiosk';
import { directorySearched, heartbeat, offerClaimed } from '../testing/sampleEvents';
import { HttpBatchUploader } from './httpBatchUploader';
import { SyncClient } from './syncClient';

const KIOSK = 'mall-02-k001';
const DEVICE = 'dev-month';
const EVENTS = 200_000;
const BOUND_BYTES = 150 * 1024 * 1024;

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Tracks the highest RSS and heap seen above a baseline. */
class MemoryWatch {
  private readonly base = process.memoryUsage();
  maxRssGrowth = 0;
  maxHeapGrowth = 0;
  sample(): void {
    const now = process.memoryUsage();
    this.maxRssGrowth = Math.max(this.maxRssGrowth, now.rss - this.base.rss);
    this.maxHeapGrowth = Math.max(this.maxHeapGrowth, now.heapUsed - this.base.heapUsed);
  }
}

describe('an offline month', () => {
  it(`given ${EVENTS.toLocaleString('en')} events queued offline, when the link comes back, then they all drain in order and memory stays bounded`, async () => {
    const t = tempDataDir();
    const key = makeTestDeviceKey(t.dir);
    const gateway = await new TestGateway({ devices: [{ deviceId: DEVICE, kioskId: KIOSK, publicKey: key.publicKey }], retainEvents: false }).start();
    const kiosk = openTestKiosk(t.dir, { kioskId: KIOSK, outbox: { retentionMs: 0 } });
    cleanups.push(t.remove, () => kiosk.close(), () => gateway.stop());
    const uploader = new HttpBatchUploader({ gatewayUrl: gateway.url, deviceId: DEVICE, privateKey: key.privateKey, requestTimeoutMs: 60_000 });
    const sync = new SyncClient({ outbox: kiosk.outbox, uploader, random: () => 0.5 });
    const memory = new MemoryWatch();

    // given: a month offline, events in bursts of 100
    for (let burst = 0; burst < EVENTS / 100; burst++) {
      kiosk.store.transaction(() => {
        for (let i = 0; i < 100; i++) {
          const n = burst * 100 + i;
          kiosk.outbox.appendInTransaction(n % 10 === 0 ? offerClaimed(n) : n % 2 ? heartbeat(n) : directorySearched(`q${n % 977}`));
        }
      });
      if (burst % 50 === 0) memory.sample();
    }
    const queued = kiosk.outbox.watermarks().lastSequence;
    expect(queued).toBeGreaterThanOrEqual(EVENTS);
    expect(sync.status().queue.total).toBe(queued);

    // when: the link is back, the loop drains it
    const controller = new AbortController();
    const loop = sync.run(controller.signal);
    const deadline = Date.now() + 15 * 60_000;
    while (kiosk.outbox.watermarks().ackedThrough < queued && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      memory.sample();
    }
    controller.abort();
    await loop;

    // then: every event arrived once, in order, and memory stayed under the bound
    expect(gateway.stats.watermarks[KIOSK]).toBe(queued);
    expect(gateway.stats.accepted).toBe(queued);
    expect(gateway.stats.duplicates).toBe(0);
    expect(sync.status()).toMatchObject({ queue: { total: 0 }, lastError: null });
    expect(kiosk.store.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    console.info(`offline month: ${queued} events, RSS growth ${(memory.maxRssGrowth / 2 ** 20).toFixed(1)} MiB, heap growth ${(memory.maxHeapGrowth / 2 ** 20).toFixed(1)} MiB, ${gateway.stats.requests} requests`);
    expect(memory.maxRssGrowth).toBeLessThan(BOUND_BYTES);
    expect(memory.maxHeapGrowth).toBeLessThan(BOUND_BYTES);
  }, 20 * 60_000);
});
