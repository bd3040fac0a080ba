import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KioskClock, type ClockSource } from '../clock/kioskClock';
import { Outbox } from '../outbox/outbox';
import type { OutboxConfig } from '../outbox/outboxConfig';
import { openKioskStore } from '../store/openKioskStore';
import type { KioskStore } from '../store/kioskStore';
import type { StoreConfig } from '../store/storeConfig';

/** A fresh temporary data folder; `remove()` deletes it. */
export function tempDataDir(prefix = 'atrium-kiosk-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock source whose wall clock runs `skewMs` off the machine's (the monotonic clock is real). */
export function skewedClockSource(skewMs: number, bootId = 'test-boot'): ClockSource {
  const origin = performance.now();
  return { bootId, monoMs: () => 1_000_000 + (performance.now() - origin), wallMs: () => Date.now() + skewMs };
}

/** A store, clock and outbox opened on a data folder, as the kiosk opens them. */
export interface TestKiosk {
  store: KioskStore;
  clock: KioskClock;
  outbox: Outbox;
  close(): void;
}

/** Opens (or reopens) a kiosk's store and outbox in `dataDir`. */
export function openTestKiosk(
  dataDir: string,
  options: { kioskId?: string; store?: Partial<StoreConfig>; outbox?: Partial<OutboxConfig>; clockSource?: ClockSource } = {},
): TestKiosk {
  const store = openKioskStore({ dataDir, synchronous: 'NORMAL', ...options.store });
  const clock = new KioskClock(store, options.clockSource ?? skewedClockSource(0));
  const outbox = Outbox.open(store, { kioskId: options.kioskId ?? 'mall-01-k007', ...options.outbox }, clock);
  return { store, clock, outbox, close: () => store.close() };
}
