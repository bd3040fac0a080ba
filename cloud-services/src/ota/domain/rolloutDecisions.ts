import type { RolloutStatus } from '@atrium/contracts';
import { currentPercent, stageDueAt, type Rollout, type RolloutThresholds } from './rollout';
import type { RolloutProgress } from './rolloutProgress';

/** What ops can tell a rollout to do. */
export type RolloutCommand =
  | { kind: 'pause'; reason?: string }
  | { kind: 'resume'; reason?: string }
  | { kind: 'cancel'; reason?: string }
  | { kind: 'rollback'; reason?: string };

/** What happened to a rollout, for its history and the logs. */
export type RolloutAction = RolloutCommand['kind'] | 'start' | 'advance' | 'complete' | 'halt' | 'auto-pause';

/** One change of a rollout's status or stage. */
export interface RolloutTransition {
  action: RolloutAction;
  from: RolloutStatus;
  to: RolloutStatus;
  stage: number;
  reason: string;
}

/** The result of a decision: the rollout after it, and the change (null when nothing changed). */
export type RolloutDecision = { ok: true; rollout: Rollout; transition: RolloutTransition | null } | { ok: false; detail: string };

const ALLOWED_FROM: Record<RolloutCommand['kind'], readonly RolloutStatus[]> = {
  pause: ['active'],
  resume: ['paused', 'halted'],
  cancel: ['active', 'paused', 'halted'],
  rollback: ['active', 'paused', 'halted', 'completed', 'cancelled'],
};

const TARGET: Record<RolloutCommand['kind'], RolloutStatus> = { pause: 'paused', resume: 'active', cancel: 'cancelled', rollback: 'rolledback' };

function changed(rollout: Rollout, to: RolloutStatus, action: RolloutAction, reason: string, patch: Partial<Rollout> = {}): RolloutDecision {
  const next: Rollout = { ...rollout, ...patch, status: to, statusReason: reason };
  return { ok: true, rollout: next, transition: { action, from: rollout.status, to, stage: next.currentStage, reason } };
}

/**
 * Decides an ops command. Resuming restarts the current stage's clock: the rollout was stopped
 * for a reason, so the stage gets a full wait again before the thresholds judge it.
 */
export function decideRolloutCommand(rollout: Rollout, command: RolloutCommand, now: Date): RolloutDecision {
  if (!ALLOWED_FROM[command.kind].includes(rollout.status)) {
    return { ok: false, detail: `cannot ${command.kind} a rollout that is ${rollout.status}` };
  }
  const reason = command.reason ?? `${command.kind} by ops`;
  const patch = command.kind === 'resume' ? { stageStartedAt: now.toISOString() } : {};
  return changed(rollout, TARGET[command.kind], command.kind, reason, patch);
}

/** Why the failure threshold halts the rollout, or null while it holds. */
export function failureVerdict(thresholds: RolloutThresholds, reports: RolloutProgress['reports']): string | null {
  const { installed, failed } = reports;
  if (thresholds.maxFailures !== undefined && failed >= thresholds.maxFailures) {
    return `${failed} devices failed (limit ${thresholds.maxFailures})`;
  }
  const outcomes = installed + failed;
  if (outcomes >= thresholds.minReports && failed / outcomes >= thresholds.maxFailureRate) {
    return `${failed} of ${outcomes} devices failed (${percent(failed / outcomes)}, limit ${percent(thresholds.maxFailureRate)})`;
  }
  return null;
}

function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

/** Halts an active or paused rollout whose failures crossed the threshold; used on every report. */
export function decideOnReports(rollout: Rollout, progress: Pick<RolloutProgress, 'reports'>): RolloutDecision {
  if (rollout.status !== 'active' && rollout.status !== 'paused') return { ok: true, rollout, transition: null };
  const verdict = failureVerdict(rollout.thresholds, progress.reports);
  return verdict ? changed(rollout, 'halted', 'halt', `failure threshold: ${verdict}`) : { ok: true, rollout, transition: null };
}

/**
 * The scheduler's decision for an active rollout at `now`: halt on failures; otherwise, once the
 * stage's wait is over, move to the next stage (or complete) if enough of the devices reached so
 * far installed, else pause for ops to look.
 */
export function decideRolloutTick(rollout: Rollout, progress: RolloutProgress, now: Date): RolloutDecision {
  if (rollout.status !== 'active') return { ok: true, rollout, transition: null };
  const halted = decideOnReports(rollout, progress);
  if (halted.ok && halted.transition) return halted;
  if (now.getTime() < stageDueAt(rollout).getTime()) return { ok: true, rollout, transition: null };

  const { devices, installed } = progress.reached;
  const successRate = devices === 0 ? 1 : installed / devices;
  const stageName = `stage ${rollout.currentStage + 1} (${currentPercent(rollout)}%)`;
  if (successRate < rollout.thresholds.minSuccessRate) {
    return changed(rollout, 'paused', 'auto-pause', `success threshold: ${installed} of ${devices} devices installed at ${stageName} (${percent(successRate)}, need ${percent(rollout.thresholds.minSuccessRate)})`);
  }
  const last = rollout.currentStage >= rollout.stages.length - 1;
  if (last) return changed(rollout, 'completed', 'complete', `${stageName} done: ${installed} of ${devices} devices installed`);
  const nextStage = rollout.currentStage + 1;
  return changed(rollout, 'active', 'advance', `${stageName} done: ${installed} of ${devices} devices installed; next ${rollout.stages[nextStage]!.percent}%`, {
    currentStage: nextStage,
    stageStartedAt: now.toISOString(),
  });
}
