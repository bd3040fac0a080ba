import type { DeliveryClass } from '@atrium/contracts';
import type { PressureLevel } from '../outbox/pressurePolicy';
import type { HeadTrouble, SyncError, SyncState } from './syncMachine';

/** What the outbox reports about itself. */
export interface OutboxStats {
  lastSequence: number;
  ackedThrough: number;
  undelivered: Record<DeliveryClass, number>;
  /** Corrected time of the oldest undelivered event (ms since the epoch), or null when none. */
  oldestUndeliveredTimeMs: number | null;
  /** The database's use on disk as the budget counts it (pages in use + WAL), estimated since the last reading. */
  usedBytes: number;
  /** The database and WAL files' size at the last reading, free pages included. */
  fileBytes: number;
  /** Bytes of stored event JSON, delivered and not. */
  eventBytes: number;
  budgetBytes: number;
  pressure: PressureLevel;
  /** Telemetry refused but not yet reported in a `kiosk.events.dropped` event. */
  pendingDrops: number;
  /** Events the gateway dead-lettered, as recorded for diagnostics. */
  rejectionsRecorded: number;
}

/** Sync status for the kiosk UI and for technicians. */
export interface SyncStatus {
  online: boolean;
  link: SyncState['link'];
  queue: { business: number; telemetry: number; total: number };
  oldestUndeliveredAgeMs: number | null;
  lastSequence: number;
  ackedThrough: number;
  lastSuccessAt: number | null;
  lastContactAt: number | null;
  lastError: SyncError | null;
  /** Server minus kiosk clock, null before the first server reply. */
  clockOffsetMs: number | null;
  /** A head batch that keeps failing with a 4xx: shown here instead of being retried hot. */
  headTrouble: HeadTrouble | null;
  nextAttemptAt: number | null;
  uploading: boolean;
  pressure: PressureLevel;
  usedBytes: number;
  fileBytes: number;
  eventBytes: number;
  budgetBytes: number;
  pendingDrops: number;
  rejectionsRecorded: number;
}

/** Assembles the status from the machine, the outbox and the clock. */
export function syncStatusOf(state: SyncState, stats: OutboxStats, clockOffsetMs: number | null, nowMs: number): SyncStatus {
  const { business, telemetry } = stats.undelivered;
  return {
    online: state.link === 'online',
    link: state.link,
    queue: { business, telemetry, total: business + telemetry },
    oldestUndeliveredAgeMs: stats.oldestUndeliveredTimeMs === null ? null : Math.max(0, nowMs - stats.oldestUndeliveredTimeMs),
    lastSequence: stats.lastSequence,
    ackedThrough: stats.ackedThrough,
    lastSuccessAt: state.lastSuccessAt,
    lastContactAt: state.lastContactAt,
    lastError: state.lastError,
    clockOffsetMs,
    headTrouble: state.head,
    nextAttemptAt: state.ackedThrough < state.lastSequence && state.notBefore > nowMs ? state.notBefore : null,
    uploading: state.inFlight !== null,
    pressure: stats.pressure,
    usedBytes: stats.usedBytes,
    fileBytes: stats.fileBytes,
    eventBytes: stats.eventBytes,
    budgetBytes: stats.budgetBytes,
    pendingDrops: stats.pendingDrops,
    rejectionsRecorded: stats.rejectionsRecorded,
  };
}
