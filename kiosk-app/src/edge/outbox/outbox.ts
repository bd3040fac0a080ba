import {
  AtriumError,
  deliveryClassOf,
  describeFieldErrors,
  isEventType,
  makeEvent,
  newEventId,
  validateEvent,
  type CatalogueEvent,
  type DeliveryClass,
  type EventRejection,
  type ValidEvent,
} from '@atrium/contracts';
import { Value } from '@sinclair/typebox/value';
import { admit, pressureLevel, pressureTransition, shouldReportDrops, type DropReason, type PressureLevel, type PressurePolicy } from '../../core/outbox/pressurePolicy';
import { batchCount } from '../../core/sync/batchPlan';
import type { OutboxStats } from '../../core/sync/syncStatus';
import type { KioskClock } from '../clock/kioskClock';
import { PENDING_RECOVERY_KEY, type KioskStore, type StoreRecovery } from '../store/kioskStore';
import { readSequenceFloor, writeSequenceFloor } from '../store/sequenceFloor';
import { OutboxConfig } from './outboxConfig';
import { outboxStatements, type OutboxStatements } from './outboxStatements';
import { salvageOutbox } from './salvage';

/** The outcome of one append: stored with a sequence, or (telemetry only) refused under pressure. */
export type AppendResult = { kind: 'appended'; sequence: number; id: string; event: ValidEvent } | { kind: 'dropped'; reason: DropReason };

/** A batch of contiguous events, ready to upload. */
export interface OutboxBatch {
  from: number;
  to: number;
  count: number;
  /** The CloudEvents JSON batch, built from the stored JSON without re-serialising. */
  body: string;
  bytes: number;
}

const PRUNED_KEY = 'outbox.prunedThrough';
const LEVEL_KEY = 'outbox.pressureLevel';
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The transactional outbox. `appendInTransaction` runs inside the caller's `store.transaction`,
 * next to the local state change it describes: both commit or neither does. Sequences are
 * gapless per kiosk because a number is taken only by an event that is stored, and in-memory
 * mirrors are undone when the transaction rolls back. One Outbox per store.
 */
export class Outbox {
  private readonly sql: OutboxStatements;
  private readonly policy: PressurePolicy;
  private nextSequence = 1;
  private ackedThrough = 0;
  private prunedThrough = 0;
  private usedBytes = 0;
  private readonly undelivered: Record<DeliveryClass, number> = { business: 0, telemetry: 0 };
  private level: PressureLevel = 'normal';
  private pendingDrops = 0;
  private firstDropMs: number | null = null;
  private readonly lastKept = new Map<string, number>();
  private readonly listeners = new Set<(lastSequence: number) => void>();
  private notifyQueued = false;

  private constructor(
    readonly store: KioskStore,
    readonly config: OutboxConfig,
    readonly clock: KioskClock,
  ) {
    this.sql = outboxStatements(store.db);
    const { budgetBytes, warningRatio, criticalRatio, clearRatio, coalesceWindowMs, dropReportIntervalMs } = config;
    this.policy = { budgetBytes, warningRatio, criticalRatio, clearRatio, coalesceWindowMs, dropReportIntervalMs };
  }

  /** Opens the outbox of a store: loads its watermarks, handles a pending store recovery. */
  static open(store: KioskStore, input: Partial<OutboxConfig> & { kioskId: string }, clock: KioskClock): Outbox {
    const config = Value.Default(OutboxConfig, structuredClone(input)) as OutboxConfig;
    if (!Value.Check(OutboxConfig, config)) throw new Error(`Invalid outbox config: ${[...Value.Errors(OutboxConfig, config)][0]?.message}`);
    const outbox = new Outbox(store, config, clock);
    outbox.load();
    store.transaction(() => {
      outbox.recoverIfPending();
      outbox.updatePressure(clock.nowMs());
      outbox.maybeReportDrops(clock.nowMs());
    });
    return outbox;
  }

  private load(): void {
    const sql = this.sql;
    this.prunedThrough = Number(this.store.meta(PRUNED_KEY) ?? 0);
    const floor = readSequenceFloor(this.store.config.dataDir).sentThrough;
    const last = Math.max(sql.maxSequence.get()?.s ?? 0, this.prunedThrough);
    if (floor > last && !this.store.pendingRecovery()) {
      // Events already sent are missing from the store (a restored copy, or lost commits): never reuse their numbers.
      const reason = `the store ends at sequence ${last} but ${floor} were already sent`;
      const recovery: StoreRecovery = { reason, quarantinedFile: '', quarantinedPath: null, at: new Date(this.clock.nowMs()).toISOString() };
      this.store.transaction(() => this.store.setMetaValue(PENDING_RECOVERY_KEY, JSON.stringify(recovery)));
    }
    this.ackedThrough = Math.max(sql.maxAcked.get()?.a ?? 0, this.prunedThrough);
    this.nextSequence = Math.max(sql.maxSequence.get()?.s ?? 0, this.ackedThrough) + 1;
    this.usedBytes = sql.usedBytes.get()?.b ?? 0;
    for (const row of sql.countByClassAbove.all(this.ackedThrough)) this.undelivered[row.delivery_class] = row.n;
    this.level = (this.store.meta(LEVEL_KEY) as PressureLevel | undefined) ?? 'normal';
    const drops = sql.drops.all();
    this.pendingDrops = drops.reduce((n, d) => n + d.count, 0);
    this.firstDropMs = drops.length ? Math.min(...drops.map((d) => d.first_time_ms)) : null;
  }

  /** After a damaged store was replaced: carry over never-sent events, continue the sequence, record the loss. */
  private recoverIfPending(): void {
    const recovery = this.store.pendingRecovery();
    if (!recovery) return;
    const floor = readSequenceFloor(this.store.config.dataDir).sentThrough;
    const salvage = salvageOutbox(recovery.quarantinedPath, this.config.kioskId, floor);
    this.prunedThrough = Math.max(this.prunedThrough, salvage.base);
    this.store.setMetaValue(PRUNED_KEY, String(this.prunedThrough));
    this.ackedThrough = Math.max(this.ackedThrough, this.prunedThrough);
    this.nextSequence = Math.max(this.nextSequence, this.ackedThrough + 1);
    for (const row of salvage.rows) {
      this.sql.insert.run(row.sequence, row.id, row.type, row.delivery_class, row.time_ms, row.raw_time_ms, row.boot_id, row.mono_ms, row.bytes, row.payload);
      this.usedBytes += row.bytes;
      this.undelivered[row.delivery_class] += 1;
      this.nextSequence = row.sequence + 1;
    }
    const carried = salvage.rows.length ? `carried over ${salvage.rows.length} unsent events (${salvage.base + 1}..${this.nextSequence - 1})` : 'no unsent events carried over';
    const lost = salvage.damagedLastSequence !== null && salvage.damagedLastSequence >= this.nextSequence ? `; sequences ${this.nextSequence}..${salvage.damagedLastSequence} could not be read` : '';
    const reason = `${recovery.reason}; ${carried}${lost}; sequences continue after ${this.nextSequence - 1}`.slice(0, 1000);
    this.appendOne({ type: 'kiosk.store.recovered', data: { reason, quarantinedFile: recovery.quarantinedFile } }, true);
    this.store.deleteMetaValue(PENDING_RECOVERY_KEY);
  }

  /** Appends an event inside the caller's `store.transaction` (throws outside one). */
  appendInTransaction(event: CatalogueEvent): AppendResult {
    if (!this.store.inTransaction()) throw new Error('outbox.appendInTransaction must run inside store.transaction(fn)');
    return this.appendOne(event, false);
  }

  /** Appends an event in a transaction of its own (for events with no local state change). */
  append(event: CatalogueEvent): AppendResult {
    return this.store.transaction(() => this.appendOne(event, false));
  }

  private appendOne(event: CatalogueEvent, internal: boolean): AppendResult {
    if (!isEventType(event.type)) throw new AtriumError('EVENT_TYPE_UNKNOWN', `Unknown event type '${String(event.type)}'`);
    const deliveryClass = deliveryClassOf(event.type);
    const times = this.clock.stamp();
    const sequence = this.nextSequence;
    const id = newEventId();
    const built = makeEvent(event, { id, kioskId: this.config.kioskId, sequence, time: iso(times.timeMs), rawTime: iso(times.rawMs) });
    const check = validateEvent(built);
    if (!check.ok) throw new AtriumError(check.code, describeFieldErrors(check.errors), { errors: check.errors });
    if (!internal) {
      const admission = admit(deliveryClass, this.level, times.timeMs, this.lastKept.get(event.type), this.policy);
      if (!admission.admit) {
        this.recordDrop(admission.reason, event.type, times.timeMs);
        return { kind: 'dropped', reason: admission.reason };
      }
    }
    const payload = JSON.stringify(built);
    const bytes = Buffer.byteLength(payload);
    this.sql.insert.run(sequence, id, event.type, deliveryClass, times.timeMs, times.rawMs, times.bootId, times.monoMs, bytes, payload);
    const previousKept = this.lastKept.get(event.type);
    this.nextSequence = sequence + 1;
    this.usedBytes += bytes;
    this.undelivered[deliveryClass] += 1;
    if (deliveryClass === 'telemetry') this.lastKept.set(event.type, times.timeMs);
    this.store.onRollback(() => {
      this.nextSequence = sequence;
      this.usedBytes -= bytes;
      this.undelivered[deliveryClass] -= 1;
      if (deliveryClass === 'telemetry') {
        if (previousKept === undefined) this.lastKept.delete(event.type);
        else this.lastKept.set(event.type, previousKept);
      }
    });
    this.queueNotify();
    if (!internal) {
      this.updatePressure(times.timeMs);
      this.maybeReportDrops(times.timeMs);
    }
    return { kind: 'appended', sequence, id, event: built };
  }

  private queueNotify(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    const reset = (): void => {
      this.notifyQueued = false;
    };
    this.store.onRollback(reset);
    this.store.afterCommit(() => {
      reset();
      const last = this.nextSequence - 1;
      for (const listener of this.listeners) listener(last);
    });
  }

  private recordDrop(reason: DropReason, type: string, nowMs: number): void {
    this.sql.upsertDrop.run(reason, type, nowMs, nowMs);
    const before = { pending: this.pendingDrops, first: this.firstDropMs };
    this.pendingDrops += 1;
    this.firstDropMs ??= nowMs;
    this.store.onRollback(() => {
      this.pendingDrops = before.pending;
      this.firstDropMs = before.first;
    });
    this.maybeReportDrops(nowMs);
  }

  private maybeReportDrops(nowMs: number): void {
    if (shouldReportDrops(this.pendingDrops, this.firstDropMs, this.level, nowMs, this.policy)) this.reportDrops();
  }

  /** Writes pending drop counts out as `kiosk.events.dropped` events (one per reason), now. */
  flushDrops(): void {
    this.store.transaction(() => {
      if (this.pendingDrops > 0) this.reportDrops();
    });
  }

  private reportDrops(): void {
    const byReason = new Map<DropReason, { counts: Record<string, number>; first: number; last: number }>();
    for (const d of this.sql.drops.all()) {
      const reason = d.reason as DropReason;
      const entry = byReason.get(reason) ?? { counts: {}, first: d.first_time_ms, last: d.last_time_ms };
      entry.counts[d.type] = d.count;
      entry.first = Math.min(entry.first, d.first_time_ms);
      entry.last = Math.max(entry.last, d.last_time_ms);
      byReason.set(reason, entry);
    }
    this.sql.deleteDrops.run();
    const before = { pending: this.pendingDrops, first: this.firstDropMs };
    this.pendingDrops = 0;
    this.firstDropMs = null;
    this.store.onRollback(() => {
      this.pendingDrops = before.pending;
      this.firstDropMs = before.first;
    });
    for (const [reason, e] of byReason) {
      this.appendOne({ type: 'kiosk.events.dropped', data: { reason, countsByType: e.counts, firstTime: iso(e.first), lastTime: iso(e.last) } }, true);
    }
  }

  private updatePressure(nowMs: number): void {
    const next = pressureLevel(this.usedBytes, this.level, this.policy);
    const transition = pressureTransition(this.level, next);
    if (transition === null) return;
    const previous = this.level;
    this.level = next;
    this.store.onRollback(() => {
      this.level = previous;
    });
    this.store.setMetaValue(LEVEL_KEY, next);
    this.appendOne({ type: 'kiosk.outbox.pressure', data: { level: transition, usedBytes: this.usedBytes, budgetBytes: this.config.budgetBytes } }, true);
    this.maybeReportDrops(nowMs);
  }

  /** Reads the next contiguous batch from `from`, bounded in count and bytes; null when none. */
  readBatch(from: number, maxEvents: number, maxBytes: number): OutboxBatch | null {
    const rows = this.sql.batch.all(from, maxEvents);
    const count = batchCount(rows.map((r) => r.bytes), maxEvents, maxBytes);
    if (count === 0) return null;
    const taken = rows.slice(0, count);
    taken.forEach((row, i) => {
      if (row.sequence !== from + i) throw new Error(`Outbox hole: expected sequence ${from + i}, found ${row.sequence}`);
    });
    return { from, to: from + count - 1, count, body: `[${taken.map((r) => r.payload).join(',')}]`, bytes: taken.reduce((n, r) => n + r.bytes, 0) };
  }

  /**
   * Called before a batch leaves the kiosk: makes sure what is sent is durable (under
   * synchronous=NORMAL a checkpoint syncs the WAL first) and raises the sequence floor.
   */
  prepareToSend(to: number): void {
    if (this.store.config.synchronous !== 'FULL') this.store.db.pragma('wal_checkpoint(PASSIVE)');
    if (to > readSequenceFloor(this.store.config.dataDir).sentThrough) writeSequenceFloor(this.store.config.dataDir, { sentThrough: to });
  }

  /** Marks everything up to `ackedThrough` delivered and records the gateway's rejections. */
  markDelivered(ackedThrough: number, rejections: readonly EventRejection[], nowMs: number): void {
    this.store.transaction(() => {
      const through = Math.min(ackedThrough, this.nextSequence - 1);
      for (const r of rejections) {
        if (r.sequence <= through) this.sql.insertRejection.run(r.sequence, r.id, r.code.slice(0, 64), r.reason.slice(0, 1000), nowMs);
      }
      if (through <= this.ackedThrough) return;
      const before = { acked: this.ackedThrough, ...this.undelivered };
      for (const row of this.sql.countByClassBetween.all(this.ackedThrough, through)) this.undelivered[row.delivery_class] -= row.n;
      this.sql.insertAck.run(through, nowMs);
      this.ackedThrough = through;
      this.store.onRollback(() => {
        this.ackedThrough = before.acked;
        this.undelivered.business = before.business;
        this.undelivered.telemetry = before.telemetry;
      });
    });
  }

  /**
   * Deletes delivered events older than the retention (all delivered ones under pressure).
   * Never an undelivered one: the cut-off is at most the acknowledged watermark.
   */
  prune(nowMs: number): number {
    return this.store.transaction(() => {
      const byRetention = this.sql.ackedBefore.get(nowMs - this.config.retentionMs)?.a ?? 0;
      const cutoff = Math.min(this.ackedThrough, this.level === 'normal' ? byRetention : this.ackedThrough);
      this.sql.deleteRejectionsBefore.run(nowMs - this.config.retentionMs);
      if (cutoff <= 0) return 0;
      const bytes = this.sql.bytesThrough.get(cutoff)?.b ?? 0;
      const deleted = this.sql.deleteThrough.run(cutoff).changes;
      this.sql.deleteAcksBelow.run(cutoff);
      if (cutoff > this.prunedThrough) {
        const previous = this.prunedThrough;
        this.prunedThrough = cutoff;
        this.store.setMetaValue(PRUNED_KEY, String(cutoff));
        this.store.onRollback(() => {
          this.prunedThrough = previous;
        });
      }
      this.usedBytes -= bytes;
      this.store.onRollback(() => {
        this.usedBytes += bytes;
      });
      this.updatePressure(nowMs);
      this.maybeReportDrops(nowMs);
      return deleted;
    });
  }

  /** Calls `listener` with the last sequence after every commit that appended events. */
  onCommitted(listener: (lastSequence: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last committed sequence and the delivered watermark. */
  watermarks(): { lastSequence: number; ackedThrough: number } {
    return { lastSequence: this.nextSequence - 1, ackedThrough: this.ackedThrough };
  }

  /** Queue depth, pressure and the oldest undelivered event, for the status. */
  stats(): OutboxStats {
    const oldest = this.ackedThrough + 1 < this.nextSequence ? (this.sql.timeOf.get(this.ackedThrough + 1)?.time_ms ?? null) : null;
    return {
      lastSequence: this.nextSequence - 1,
      ackedThrough: this.ackedThrough,
      undelivered: { ...this.undelivered },
      oldestUndeliveredTimeMs: oldest,
      usedBytes: this.usedBytes,
      budgetBytes: this.config.budgetBytes,
      pressure: this.level,
      pendingDrops: this.pendingDrops,
      rejectionsRecorded: this.sql.countRejections.get()?.n ?? 0,
    };
  }

  /** The most recent rejections the gateway reported, newest first (for technicians). */
  recentRejections(limit = 20): EventRejection[] {
    return this.sql.recentRejections.all(limit).map((r) => ({ id: r.id, sequence: r.sequence, code: r.code, reason: r.reason }));
  }
}
