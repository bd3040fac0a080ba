import { describe, expect, it } from 'vitest';
import { admit, pressureLevel, pressureTransition, shouldReportDrops, type PressurePolicy } from './pressurePolicy';

const policy: PressurePolicy = {
  budgetBytes: 1_000,
  warningRatio: 0.8,
  criticalRatio: 0.95,
  clearRatio: 0.7,
  coalesceWindowMs: 60_000,
  dropReportIntervalMs: 3_600_000,
};

describe('pressure level', () => {
  it('rises at the thresholds', () => {
    expect(pressureLevel(799, 'normal', policy)).toBe('normal');
    expect(pressureLevel(800, 'normal', policy)).toBe('warning');
    expect(pressureLevel(950, 'warning', policy)).toBe('critical');
  });

  it('falls only below the clear ratio (hysteresis)', () => {
    expect(pressureLevel(750, 'warning', policy)).toBe('warning');
    expect(pressureLevel(750, 'critical', policy)).toBe('warning');
    expect(pressureLevel(699, 'critical', policy)).toBe('normal');
  });

  it('names the pressure event of each change', () => {
    expect(pressureTransition('normal', 'warning')).toBe('warning');
    expect(pressureTransition('warning', 'critical')).toBe('critical');
    expect(pressureTransition('critical', 'normal')).toBe('cleared');
    expect(pressureTransition('warning', 'warning')).toBeNull();
  });
});

describe('admission', () => {
  it('always admits business events', () => {
    expect(admit('business', 'critical', 0, 0, policy)).toEqual({ admit: true });
  });

  it('refuses telemetry when critical', () => {
    expect(admit('telemetry', 'critical', 0, undefined, policy)).toEqual({ admit: false, reason: 'storage-pressure' });
  });

  it('coalesces telemetry of a type under warning to one per window', () => {
    expect(admit('telemetry', 'warning', 10_000, undefined, policy)).toEqual({ admit: true });
    expect(admit('telemetry', 'warning', 10_000, 0, policy)).toEqual({ admit: false, reason: 'coalesced' });
    expect(admit('telemetry', 'warning', 60_000, 0, policy)).toEqual({ admit: true });
  });
});

describe('drop reporting', () => {
  it('reports as soon as pressure is over, and periodically while it lasts', () => {
    expect(shouldReportDrops(0, null, 'normal', 0, policy)).toBe(false);
    expect(shouldReportDrops(3, 0, 'normal', 1, policy)).toBe(true);
    expect(shouldReportDrops(3, 0, 'critical', 1, policy)).toBe(false);
    expect(shouldReportDrops(3, 0, 'critical', 3_600_000, policy)).toBe(true);
  });
});
