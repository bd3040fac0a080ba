import { Type, type Static } from '@sinclair/typebox';
import { KioskId } from '@atrium/contracts';

/** The outbox's configuration: whose events, the size budget and its thresholds, retention. */
export const OutboxConfig = Type.Object({
  kioskId: KioskId,
  /**
   * Bytes of disk the kiosk's database may use (pages in use plus the WAL file: events, content
   * cache and all). Telemetry gives way as it is neared; business events are always kept.
   */
  budgetBytes: Type.Integer({ minimum: 1, default: 200 * 1024 * 1024 }),
  warningRatio: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.8 }),
  criticalRatio: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.95 }),
  clearRatio: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.7 }),
  coalesceWindowMs: Type.Integer({ minimum: 0, default: 60_000 }),
  dropReportIntervalMs: Type.Integer({ minimum: 0, default: 60 * 60 * 1000 }),
  /** The database's size is read again after this many bytes of events were appended since the last reading… */
  sizeCheckBytes: Type.Integer({ minimum: 1, default: 256 * 1024 }),
  /** …or after this long (the content cache grows the file without appending); also after every prune. */
  sizeCheckIntervalMs: Type.Integer({ minimum: 0, default: 60_000 }),
  /** Delivered events are kept this long for diagnostics, then pruned (sooner under pressure). */
  retentionMs: Type.Integer({ minimum: 0, default: 7 * 24 * 60 * 60 * 1000 }),
});

/** Validated outbox configuration. */
export type OutboxConfig = Static<typeof OutboxConfig>;
