import { describe, expect, it } from 'vitest';
import { decideOnReports, decideRolloutCommand, decideRolloutTick, failureVerdict } from './rolloutDecisions';
import type { Rollout } from './rollout';
import type { RolloutProgress } from './rolloutProgress';

const start = new Date('2026-11-27T10:00:00.000Z');
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);

function rollout(overrides: Partial<Rollout> = {}): Rollout {
  return {
    rolloutId: 'ro-1',
    releaseId: 'rel-1',
    version: '1.1.0',
    channel: 'stable',
    target: { malls: [], tags: [] },
    stages: [
      { percent: 5, waitS: 3600 },
      { percent: 25, waitS: 3600 },
      { percent: 100, waitS: 0 },
    ],
    thresholds: { maxFailureRate: 0.1, minReports: 5, minSuccessRate: 0.8 },
    status: 'active',
    statusReason: null,
    currentStage: 0,
    stageStartedAt: start.toISOString(),
    createdAt: start.toISOString(),
    ...overrides,
  };
}

function progress(reached: { devices: number; installed: number; failed?: number }, reports = { installed: reached.installed, failed: reached.failed ?? 0 }): RolloutProgress {
  const failed = reached.failed ?? 0;
  return {
    stages: [],
    reached: { devices: reached.devices, installed: reached.installed, failed, downloaded: 0, pending: reached.devices - reached.installed - failed },
    reports: { ...reports, total: reports.installed + reports.failed },
  };
}

describe('stage advancement', () => {
  it('given stage 1 still inside its wait, when the scheduler ticks, then nothing changes', () => {
    const decision = decideRolloutTick(rollout(), progress({ devices: 10, installed: 10 }), minutes(59));
    expect(decision).toEqual({ ok: true, rollout: rollout(), transition: null });
  });

  it('given stage 1 waited its hour and enough devices installed, when the scheduler ticks, then the rollout moves to 25% and restarts the clock', () => {
    const decision = decideRolloutTick(rollout(), progress({ devices: 10, installed: 9 }), minutes(60));
    expect(decision.ok && decision.rollout.currentStage).toBe(1);
    expect(decision.ok && decision.rollout.stageStartedAt).toBe(minutes(60).toISOString());
    expect(decision.ok && decision.transition?.action).toBe('advance');
  });

  it('given too few installs when the wait is over, when the scheduler ticks, then the rollout pauses itself and says why', () => {
    const decision = decideRolloutTick(rollout(), progress({ devices: 10, installed: 5 }), minutes(61));
    expect(decision.ok && decision.rollout.status).toBe('paused');
    expect(decision.ok && decision.rollout.currentStage).toBe(0);
    expect(decision.ok && decision.rollout.statusReason).toMatch(/success threshold: 5 of 10/);
  });

  it('given the last stage done, when the scheduler ticks, then the rollout completes', () => {
    const decision = decideRolloutTick(rollout({ currentStage: 2 }), progress({ devices: 100, installed: 95 }), minutes(1));
    expect(decision.ok && decision.rollout.status).toBe('completed');
  });

  it('given a stage that reaches no live device yet, when its wait is over, then it advances (nothing can fail)', () => {
    const decision = decideRolloutTick(rollout(), progress({ devices: 0, installed: 0 }), minutes(60));
    expect(decision.ok && decision.rollout.currentStage).toBe(1);
  });

  it('given a paused rollout, when the scheduler ticks, then it stays where ops left it', () => {
    const paused = rollout({ status: 'paused' });
    expect(decideRolloutTick(paused, progress({ devices: 10, installed: 10 }), minutes(600))).toEqual({ ok: true, rollout: paused, transition: null });
  });
});

describe('failure threshold', () => {
  it('given fewer reports than the minimum, then one failure does not halt', () => {
    expect(failureVerdict({ maxFailureRate: 0.1, minReports: 5, minSuccessRate: 0.8 }, { installed: 3, failed: 1, total: 4 })).toBeNull();
  });

  it('given failures reaching the rate over enough reports, when reports arrive, then the rollout halts mid-stage', () => {
    const decision = decideOnReports(rollout(), progress({ devices: 20, installed: 8, failed: 2 }));
    expect(decision.ok && decision.rollout.status).toBe('halted');
    expect(decision.ok && decision.rollout.statusReason).toMatch(/2 of 10 devices failed \(20%, limit 10%\)/);
  });

  it('given an absolute failure limit, then it halts on the count whatever the rate', () => {
    expect(failureVerdict({ maxFailureRate: 1, minReports: 1000, maxFailures: 3, minSuccessRate: 0.8 }, { installed: 500, failed: 3, total: 503 })).toMatch(/3 devices failed/);
  });

  it('given a halting failure rate, when the scheduler ticks before the wait is over, then it halts rather than waits', () => {
    const decision = decideRolloutTick(rollout(), progress({ devices: 20, installed: 1, failed: 5 }), minutes(1));
    expect(decision.ok && decision.transition?.action).toBe('halt');
  });

  it('given a paused rollout whose failures keep coming, then it halts too', () => {
    const decision = decideOnReports(rollout({ status: 'paused' }), progress({ devices: 20, installed: 0, failed: 5 }));
    expect(decision.ok && decision.rollout.status).toBe('halted');
  });

  it('given a completed rollout, then late failure reports change nothing (rollback is ops’ call)', () => {
    const done = rollout({ status: 'completed' });
    expect(decideOnReports(done, progress({ devices: 20, installed: 0, failed: 20 }))).toEqual({ ok: true, rollout: done, transition: null });
  });
});

describe('ops commands', () => {
  it('given an active rollout, when ops pause, resume, then the stage clock restarts on resume', () => {
    const paused = decideRolloutCommand(rollout(), { kind: 'pause', reason: 'looking at crash reports' }, minutes(10));
    expect(paused.ok && paused.rollout.status).toBe('paused');
    expect(paused.ok && paused.rollout.statusReason).toBe('looking at crash reports');
    if (!paused.ok) return;
    const resumed = decideRolloutCommand(paused.rollout, { kind: 'resume' }, minutes(30));
    expect(resumed.ok && resumed.rollout.status).toBe('active');
    expect(resumed.ok && resumed.rollout.stageStartedAt).toBe(minutes(30).toISOString());
  });

  it('given a halted rollout, when ops resume, then it runs again', () => {
    const decision = decideRolloutCommand(rollout({ status: 'halted' }), { kind: 'resume' }, minutes(5));
    expect(decision.ok && decision.rollout.status).toBe('active');
  });

  it('given a final rollout, when ops pause, resume or cancel it, then the command is refused', () => {
    for (const status of ['completed', 'cancelled', 'rolledback'] as const) {
      expect(decideRolloutCommand(rollout({ status }), { kind: 'pause' }, start).ok).toBe(false);
      expect(decideRolloutCommand(rollout({ status }), { kind: 'resume' }, start).ok).toBe(false);
    }
    expect(decideRolloutCommand(rollout({ status: 'completed' }), { kind: 'cancel' }, start)).toEqual({ ok: false, detail: 'cannot cancel a rollout that is completed' });
  });

  it('given a completed rollout, when ops roll back, then it is rolled back (the feed serves the previous version)', () => {
    const decision = decideRolloutCommand(rollout({ status: 'completed' }), { kind: 'rollback' }, start);
    expect(decision.ok && decision.rollout.status).toBe('rolledback');
    expect(decision.ok && decision.transition).toMatchObject({ action: 'rollback', from: 'completed', to: 'rolledback' });
    expect(decideRolloutCommand(rollout({ status: 'rolledback' }), { kind: 'rollback' }, start).ok).toBe(false);
  });
});
