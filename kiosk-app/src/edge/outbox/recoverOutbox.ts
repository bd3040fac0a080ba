import { PENDING_RECOVERY_KEY, type KioskStore, type StoreRecovery } from '../store/kioskStore';
import { readSequenceFloor } from '../store/sequenceFloor';
import { PRUNED_KEY, type OutboxMemory } from './outboxMemory';
import type { OutboxStatements } from './outboxStatements';
import { salvageOutbox } from './salvage';

/**
 * If the store holds fewer events than were already sent (a restored copy, or a database that
 * was lost), records a pending recovery: numbers the gateway may hold must never be reused.
 */
export function noteSequenceFloorGap(store: KioskStore, memory: OutboxMemory, nowIso: string): void {
  const floor = readSequenceFloor(store.config.dataDir).sentThrough;
  const last = memory.nextSequence - 1;
  if (floor <= last || store.pendingRecovery()) return;
  const recovery: StoreRecovery = { reason: `the store ends at sequence ${last} but ${floor} were already sent`, quarantinedFile: '', quarantinedPath: null, at: nowIso };
  store.transaction(() => store.setMetaValue(PENDING_RECOVERY_KEY, JSON.stringify(recovery)));
}

/**
 * Handles a pending store recovery inside the caller's transaction: carries over never-sent
 * events from the damaged file, moves the numbering past everything sent, and returns the
 * `kiosk.store.recovered` data to record (or null when there was nothing to recover).
 */
export function carryOverAfterRecovery(
  store: KioskStore,
  sql: OutboxStatements,
  kioskId: string,
  memory: OutboxMemory,
): { reason: string; quarantinedFile: string } | null {
  const recovery = store.pendingRecovery();
  if (!recovery) return null;
  const floor = readSequenceFloor(store.config.dataDir).sentThrough;
  const salvage = salvageOutbox(recovery.quarantinedPath, kioskId, floor);
  memory.prunedThrough = Math.max(memory.prunedThrough, salvage.base);
  store.setMetaValue(PRUNED_KEY, String(memory.prunedThrough));
  memory.ackedThrough = Math.max(memory.ackedThrough, memory.prunedThrough);
  memory.nextSequence = Math.max(memory.nextSequence, memory.ackedThrough + 1);
  for (const row of salvage.rows) {
    sql.insert.run(row.sequence, row.id, row.type, row.delivery_class, row.time_ms, row.raw_time_ms, row.boot_id, row.mono_ms, row.bytes, row.payload);
    memory.eventBytes += row.bytes;
    memory.undelivered[row.delivery_class] += 1;
    memory.nextSequence = row.sequence + 1;
  }
  const next = memory.nextSequence;
  const carried = salvage.rows.length ? `carried over ${salvage.rows.length} unsent events (${salvage.base + 1}..${next - 1})` : 'no unsent events carried over';
  const lost = salvage.damagedLastSequence !== null && salvage.damagedLastSequence >= next ? `; sequences ${next}..${salvage.damagedLastSequence} could not be read` : '';
  store.deleteMetaValue(PENDING_RECOVERY_KEY);
  return { reason: `${recovery.reason}; ${carried}${lost}; sequences continue after ${next - 1}`.slice(0, 1000), quarantinedFile: recovery.quarantinedFile };
}
