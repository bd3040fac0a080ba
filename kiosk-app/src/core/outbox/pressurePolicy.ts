import type { DeliveryClass } from '@atrium/contracts';

/**
 * What the outbox does as it nears its size budget. Pure: sizes and times are passed in.
 *
 * Telemetry is refused (or coalesced) *before* it gets a sequence number, so the sequence
 * stays gapless and every stored event stays valid; the refusals are counted and later
 * written as one `kiosk.events.dropped` event per reason, so loss is never silent.
 * Business events are always admitted: the budget is soft for them.
 */

/** How full the outbox is. `normal` is reported as `cleared` when it is reached from above. */
export type PressureLevel = 'normal' | 'warning' | 'critical';

/** The budget and its thresholds, as fractions of `budgetBytes`. */
export interface PressurePolicy {
  budgetBytes: number;
  warningRatio: number;
  criticalRatio: number;
  /** Back to normal only below this (hysteresis, so the level does not flap). */
  clearRatio: number;
  /** Under warning, at most one telemetry event per type per window is kept. */
  coalesceWindowMs: number;
  /** Pending drop counts are written out at least this often while pressure lasts. */
  dropReportIntervalMs: number;
}

/** Why telemetry was not stored. */
export type DropReason = 'storage-pressure' | 'coalesced';

/** The level for `usedBytes`, given the current level (rises at once, falls with hysteresis). */
export function pressureLevel(usedBytes: number, current: PressureLevel, policy: PressurePolicy): PressureLevel {
  const ratio = policy.budgetBytes > 0 ? usedBytes / policy.budgetBytes : Infinity;
  if (ratio >= policy.criticalRatio) return 'critical';
  if (ratio >= policy.warningRatio) return 'warning';
  if (current === 'normal' || ratio < policy.clearRatio) return 'normal';
  // Between clear and warning: a raised level holds (critical eases to warning).
  return 'warning';
}

/** The `kiosk.outbox.pressure` level to record for a change of level, or null for none. */
export function pressureTransition(from: PressureLevel, to: PressureLevel): 'warning' | 'critical' | 'cleared' | null {
  if (from === to) return null;
  switch (to) {
    case 'normal':
      return 'cleared';
    case 'warning':
      return 'warning';
    case 'critical':
      return 'critical';
    default: {
      const never: never = to;
      return never;
    }
  }
}

/** Whether an event may take a sequence number. */
export type Admission = { admit: true } | { admit: false; reason: DropReason };

/**
 * Decides admission. `lastKeptMs` is when telemetry of the same type was last stored
 * (undefined when not in this process), used to coalesce under warning.
 */
export function admit(deliveryClass: DeliveryClass, level: PressureLevel, nowMs: number, lastKeptMs: number | undefined, policy: PressurePolicy): Admission {
  if (deliveryClass === 'business') return { admit: true };
  switch (level) {
    case 'normal':
      return { admit: true };
    case 'warning':
      return lastKeptMs !== undefined && nowMs - lastKeptMs < policy.coalesceWindowMs ? { admit: false, reason: 'coalesced' } : { admit: true };
    case 'critical':
      return { admit: false, reason: 'storage-pressure' };
    default: {
      const never: never = level;
      return never;
    }
  }
}

/**
 * Whether pending drop counts should be written out now: as soon as pressure is over, and
 * at least every `dropReportIntervalMs` while it lasts (so the cloud hears of it in time).
 */
export function shouldReportDrops(pendingCount: number, firstDropMs: number | null, level: PressureLevel, nowMs: number, policy: PressurePolicy): boolean {
  if (pendingCount === 0 || firstDropMs === null) return false;
  return level === 'normal' || nowMs - firstDropMs >= policy.dropReportIntervalMs;
}
