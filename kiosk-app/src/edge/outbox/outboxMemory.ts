import type { DeliveryClass } from '@atrium/contracts';
import type { PressureLevel } from '../../core/outbox/pressurePolicy';
import type { KioskStore } from '../store/kioskStore';
import type { OutboxStatements } from './outboxStatements';

/** Meta keys the outbox keeps in `store_meta`. */
export const PRUNED_KEY = 'outbox.prunedThrough';
export const LEVEL_KEY = 'outbox.pressureLevel';

/** What the outbox keeps in memory, mirroring its tables (rebuilt from them at every open). */
export interface OutboxMemory {
  nextSequence: number;
  ackedThrough: number;
  /** Nothing at or below this is in the outbox any more (pruned, or lost with a damaged store). */
  prunedThrough: number;
  /** Bytes of stored event JSON, delivered and not. */
  eventBytes: number;
  /** The database's use on disk at the last measurement (pages in use + WAL; see core/outbox/storageUse). */
  measuredBytes: number;
  /** The database and WAL files' whole size at the last measurement (free pages included). */
  fileBytes: number;
  /** When it was measured (corrected kiosk time). */
  measuredAtMs: number;
  /** Event bytes appended since then, added to the measurement until the next one. */
  appendedSinceMeasure: number;
  undelivered: Record<DeliveryClass, number>;
  level: PressureLevel;
  pendingDrops: number;
  firstDropMs: number | null;
  /** When telemetry of each type was last stored (this process only), for coalescing. */
  lastKept: Map<string, number>;
}

/** A copy to restore if a transaction rolls back. */
export function copyOutboxMemory(m: OutboxMemory): OutboxMemory {
  return { ...m, undelivered: { ...m.undelivered }, lastKept: new Map(m.lastKept) };
}

/** Rebuilds the in-memory mirror from the tables. */
export function loadOutboxMemory(store: KioskStore, sql: OutboxStatements): OutboxMemory {
  const prunedThrough = Number(store.meta(PRUNED_KEY) ?? 0);
  const ackedThrough = Math.max(sql.maxAcked.get()?.a ?? 0, prunedThrough);
  const undelivered: Record<DeliveryClass, number> = { business: 0, telemetry: 0 };
  for (const row of sql.countByClassAbove.all(ackedThrough)) undelivered[row.delivery_class] = row.n;
  const drops = sql.drops.all();
  return {
    nextSequence: Math.max(sql.maxSequence.get()?.s ?? 0, ackedThrough) + 1,
    ackedThrough,
    prunedThrough,
    eventBytes: sql.eventBytes.get()?.b ?? 0,
    // Measured by the outbox as it opens.
    measuredBytes: 0,
    fileBytes: 0,
    measuredAtMs: 0,
    appendedSinceMeasure: 0,
    undelivered,
    level: (store.meta(LEVEL_KEY) as PressureLevel | undefined) ?? 'normal',
    pendingDrops: drops.reduce((n, d) => n + d.count, 0),
    firstDropMs: drops.length ? Math.min(...drops.map((d) => d.first_time_ms)) : null,
    lastKept: new Map(),
  };
}
