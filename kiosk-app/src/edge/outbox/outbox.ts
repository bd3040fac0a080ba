import type { CatalogueEvent, EventRejection, ValidEvent } from '@atrium/contracts';
import { Value } from '@sinclair/typebox/value';
import { admit, pressureLevel, pressureTransition, shouldReportDrops, type DropReason, type PressureLevel, type PressurePolicy } from '../../core/outbox/pressurePolicy';
import { estimatedUse, measureDue, type MeasurePolicy } from '../../core/outbox/storageUse';
import { batchCount } from '../../core/sync/batchPlan';
import type { OutboxStats } from '../../core/sync/syncStatus';
import type { KioskClock } from '../clock/kioskClock';
import type { KioskStore } from '../store/kioskStore';
import { readSequenceFloor, writeSequenceFloor } from '../store/sequenceFloor';
import { TransactionalMirror } from '../store/transactionalMirror';
import { EventEncoder } from './eventEncoder';
import { OutboxConfig } from './outboxConfig';
import { LEVEL_KEY, PRUNED_KEY, copyOutboxMemory, loadOutboxMemory, type OutboxMemory } from './outboxMemory';
import { outboxStatements, type OutboxStatements } from './outboxStatements';
import { StorageMeter } from './storageMeter';
import { carryOverAfterRecovery, noteSequenceFloorGap } from './recoverOutbox';

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

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The transactional outbox. `appendInTransaction` runs inside the caller's `store.transaction`,
 * next to the local state change it describes: both commit or neither does. Sequences are
 * gapless per kiosk because a number is taken only by an event that is stored, and the
 * in-memory mirror of the tables follows the transaction (see TransactionalMirror).
 * One Outbox per store.
 */
export class Outbox {
  private readonly sql: OutboxStatements;
  private readonly encoder: EventEncoder;
  private readonly policy: PressurePolicy;
  private readonly measurePolicy: MeasurePolicy;
  private readonly meter: StorageMeter;
  private readonly memory: TransactionalMirror<OutboxMemory>;
  private readonly listeners = new Set<(lastSequence: number) => void>();
  private notifyToken: object | null = null;

  private constructor(
    readonly store: KioskStore,
    readonly config: OutboxConfig,
    readonly clock: KioskClock,
  ) {
    this.sql = outboxStatements(store.db);
    this.encoder = new EventEncoder(config.kioskId);
    const { budgetBytes, warningRatio, criticalRatio, clearRatio, coalesceWindowMs, dropReportIntervalMs } = config;
    this.policy = { budgetBytes, warningRatio, criticalRatio, clearRatio, coalesceWindowMs, dropReportIntervalMs };
    this.measurePolicy = { measureEveryBytes: config.sizeCheckBytes, measureEveryMs: config.sizeCheckIntervalMs };
    this.meter = new StorageMeter(store.db, store.path);
    const memory = loadOutboxMemory(store, this.sql);
    noteSequenceFloorGap(store, memory, iso(clock.nowMs()));
    this.memory = new TransactionalMirror(store, memory, copyOutboxMemory);
  }

  /** Opens the outbox of a store: loads its watermarks, handles a pending store recovery. */
  static open(store: KioskStore, input: Partial<OutboxConfig> & { kioskId: string }, clock: KioskClock): Outbox {
    const config = Value.Default(OutboxConfig, structuredClone(input)) as OutboxConfig;
    if (!Value.Check(OutboxConfig, config)) throw new Error(`Invalid outbox config: ${[...Value.Errors(OutboxConfig, config)][0]?.message}`);
    const outbox = new Outbox(store, config, clock);
    store.transaction(() => {
      const recovered = carryOverAfterRecovery(store, outbox.sql, config.kioskId, outbox.memory.edit());
      if (recovered) outbox.appendOne({ type: 'kiosk.store.recovered', data: recovered }, true);
      outbox.measure(clock.nowMs());
      outbox.updatePressure(clock.nowMs());
    });
    return outbox;
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
    const kind = this.encoder.kind(event.type);
    const times = this.clock.stamp();
    const current = this.memory.get();
    const sequence = current.nextSequence;
    const encoded = this.encoder.encode(kind, event, sequence, times.timeMs, times.rawMs);
    const { deliveryClass } = kind;
    if (!internal) {
      const admission = admit(deliveryClass, this.levelNow(times.timeMs), times.timeMs, current.lastKept.get(event.type), this.policy);
      if (!admission.admit) {
        // The level the refusal rests on is recorded first, so the drop counts follow it.
        this.updatePressure(times.timeMs);
        this.recordDrop(admission.reason, event.type, times.timeMs);
        return { kind: 'dropped', reason: admission.reason };
      }
    }
    const bytes = Buffer.byteLength(encoded.json);
    this.sql.insert.run(sequence, encoded.id, event.type, deliveryClass, times.timeMs, times.rawMs, times.bootId, times.monoMs, bytes, encoded.json);
    const m = this.memory.edit();
    m.nextSequence = sequence + 1;
    m.eventBytes += bytes;
    m.appendedSinceMeasure += bytes;
    m.undelivered[deliveryClass] += 1;
    if (deliveryClass === 'telemetry') m.lastKept.set(event.type, times.timeMs);
    this.notifyAfterCommit();
    if (!internal) this.updatePressure(times.timeMs);
    return { kind: 'appended', sequence, id: encoded.id, event: encoded.event };
  }

  /** Tells listeners (the sync client) once per committed transaction that appended. */
  private notifyAfterCommit(): void {
    const token = this.store.transactionToken();
    if (token === this.notifyToken) return;
    this.notifyToken = token;
    this.store.afterCommit(() => {
      const last = this.memory.get().nextSequence - 1;
      for (const listener of this.listeners) listener(last);
    });
  }

  private recordDrop(reason: DropReason, type: string, nowMs: number): void {
    this.sql.upsertDrop.run(reason, type, nowMs, nowMs);
    const m = this.memory.edit();
    m.pendingDrops += 1;
    m.firstDropMs ??= nowMs;
    this.maybeReportDrops(nowMs);
  }

  private maybeReportDrops(nowMs: number): void {
    const m = this.memory.get();
    if (shouldReportDrops(m.pendingDrops, m.firstDropMs, m.level, nowMs, this.policy)) this.reportDrops();
  }

  /** Writes pending drop counts out as `kiosk.events.dropped` events (one per reason), now. */
  flushDrops(): void {
    this.store.transaction(() => {
      if (this.memory.get().pendingDrops > 0) this.reportDrops();
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
    const m = this.memory.edit();
    m.pendingDrops = 0;
    m.firstDropMs = null;
    for (const [reason, e] of byReason) {
      this.appendOne({ type: 'kiosk.events.dropped', data: { reason, countsByType: e.counts, firstTime: iso(e.first), lastTime: iso(e.last) } }, true);
    }
  }

  /** Reads the database's size on disk (see core/outbox/storageUse.ts for when and why). */
  private measure(nowMs: number): void {
    const use = this.meter.measure();
    const m = this.memory.edit();
    m.measuredBytes = use.usedBytes;
    m.fileBytes = use.fileBytes;
    m.measuredAtMs = nowMs;
    m.appendedSinceMeasure = 0;
  }

  private usedBytes(): number {
    const m = this.memory.get();
    return estimatedUse(m.measuredBytes, m.appendedSinceMeasure);
  }

  /** The pressure level now, reading the size first when a reading is due (admission decides on it). */
  private levelNow(nowMs: number): PressureLevel {
    const m = this.memory.get();
    if (measureDue(m.appendedSinceMeasure, m.measuredAtMs, nowMs, this.measurePolicy)) this.measure(nowMs);
    return pressureLevel(this.usedBytes(), m.level, this.policy);
  }

  /** Records a change of pressure level (as an event) and writes out drop counts when due. */
  private updatePressure(nowMs: number): void {
    const current = this.memory.get();
    const next = this.levelNow(nowMs);
    const usedBytes = this.usedBytes();
    const transition = pressureTransition(current.level, next);
    if (transition !== null) {
      this.memory.edit().level = next;
      this.store.setMetaValue(LEVEL_KEY, next);
      this.appendOne({ type: 'kiosk.outbox.pressure', data: { level: transition, usedBytes, budgetBytes: this.config.budgetBytes } }, true);
    }
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
      const current = this.memory.get();
      const through = Math.min(ackedThrough, current.nextSequence - 1);
      for (const r of rejections) {
        if (r.sequence <= through) this.sql.insertRejection.run(r.sequence, r.id, r.code.slice(0, 64), r.reason.slice(0, 1000), nowMs);
      }
      if (through <= current.ackedThrough) return;
      const m = this.memory.edit();
      for (const row of this.sql.countByClassBetween.all(m.ackedThrough, through)) m.undelivered[row.delivery_class] -= row.n;
      this.sql.insertAck.run(through, nowMs);
      m.ackedThrough = through;
    });
  }

  /**
   * Deletes delivered events older than the retention (all delivered ones under pressure).
   * Never an undelivered one: the cut-off is at most the acknowledged watermark.
   */
  prune(nowMs: number): number {
    return this.store.transaction(() => {
      const current = this.memory.get();
      const byRetention = this.sql.ackedBefore.get(nowMs - this.config.retentionMs)?.a ?? 0;
      const cutoff = Math.min(current.ackedThrough, current.level === 'normal' ? byRetention : current.ackedThrough);
      this.sql.deleteRejectionsBefore.run(nowMs - this.config.retentionMs);
      if (cutoff <= 0) return 0;
      const bytes = this.sql.bytesThrough.get(cutoff)?.b ?? 0;
      const deleted = this.sql.deleteThrough.run(cutoff).changes;
      this.sql.deleteAcksBelow.run(cutoff);
      const m = this.memory.edit();
      if (cutoff > m.prunedThrough) {
        m.prunedThrough = cutoff;
        this.store.setMetaValue(PRUNED_KEY, String(cutoff));
      }
      m.eventBytes -= bytes;
      // Deleted rows free pages: measure now, so pressure can clear at once.
      this.measure(nowMs);
      this.updatePressure(nowMs);
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
    const m = this.memory.get();
    return { lastSequence: m.nextSequence - 1, ackedThrough: m.ackedThrough };
  }

  /** Queue depth, pressure and the oldest undelivered event, for the status. */
  stats(): OutboxStats {
    const m = this.memory.get();
    const oldest = m.ackedThrough + 1 < m.nextSequence ? (this.sql.timeOf.get(m.ackedThrough + 1)?.time_ms ?? null) : null;
    return {
      lastSequence: m.nextSequence - 1,
      ackedThrough: m.ackedThrough,
      undelivered: { ...m.undelivered },
      oldestUndeliveredTimeMs: oldest,
      usedBytes: this.usedBytes(),
      fileBytes: m.fileBytes,
      eventBytes: m.eventBytes,
      budgetBytes: this.config.budgetBytes,
      pressure: m.level,
      pendingDrops: m.pendingDrops,
      rejectionsRecorded: this.sql.countRejections.get()?.n ?? 0,
    };
  }

  /** The most recent rejections the gateway reported, newest first (for technicians). */
  recentRejections(limit = 20): EventRejection[] {
    return this.sql.recentRejections.all(limit).map((r) => ({ id: r.id, sequence: r.sequence, code: r.code, reason: r.reason }));
  }
}
