import { Type, type Static } from '@sinclair/typebox';
import { ReleaseChannel, RolloutStatus } from '@atrium/contracts';

/** One stage of a rollout: the share of targeted devices it reaches and how long it runs first. */
export const RolloutStage = Type.Object(
  {
    percent: Type.Number({ exclusiveMinimum: 0, maximum: 100, multipleOf: 0.01 }),
    waitS: Type.Integer({ minimum: 0, maximum: 30 * 86_400 }),
  },
  { additionalProperties: false },
);
/** One stage of a rollout. */
export type RolloutStage = Static<typeof RolloutStage>;

/** When a rollout stops itself. */
export const RolloutThresholds = Type.Object(
  {
    /** Halt when failed ÷ (installed + failed) reaches this, once `minReports` devices reported. */
    maxFailureRate: Type.Number({ minimum: 0, maximum: 1, default: 0.1 }),
    minReports: Type.Integer({ minimum: 1, maximum: 100_000, default: 5 }),
    /** Halt when this many devices failed, whatever the rate. */
    maxFailures: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Leave a stage only when this share of its chosen, live devices installed; otherwise pause. */
    minSuccessRate: Type.Number({ minimum: 0, maximum: 1, default: 0.9 }),
  },
  { additionalProperties: false },
);
/** When a rollout stops itself. */
export type RolloutThresholds = Static<typeof RolloutThresholds>;

/** Which devices a rollout is for; empty lists mean all. */
export const RolloutTarget = Type.Object(
  {
    malls: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000, uniqueItems: true, default: [] }),
    tags: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100, uniqueItems: true, default: [] }),
  },
  { additionalProperties: false },
);
/** Which devices a rollout is for. */
export type RolloutTarget = Static<typeof RolloutTarget>;

/** A rollout as the domain decides on it. */
export interface Rollout {
  rolloutId: string;
  releaseId: string;
  version: string;
  channel: ReleaseChannel;
  target: RolloutTarget;
  stages: RolloutStage[];
  thresholds: RolloutThresholds;
  status: RolloutStatus;
  statusReason: string | null;
  currentStage: number;
  stageStartedAt: string;
  createdAt: string;
}

export { ReleaseChannel, RolloutStatus };

/** Statuses a rollout never leaves. */
export const FINAL_STATUSES: readonly RolloutStatus[] = ['completed', 'cancelled', 'rolledback'];

/** True for a rollout that may still change what devices get (blocks a second one on its target). */
export function isOpen(status: RolloutStatus): boolean {
  return status === 'active' || status === 'paused' || status === 'halted';
}

/** Why a stage plan is not acceptable, one message per problem; empty when it is. */
export function stagePlanProblems(stages: readonly RolloutStage[]): string[] {
  const problems: string[] = [];
  if (stages.length === 0) problems.push('a rollout needs at least one stage');
  stages.forEach((stage, i) => {
    const before = stages[i - 1];
    if (before && stage.percent <= before.percent) problems.push(`stage ${i + 1} (${stage.percent}%) must reach more devices than stage ${i} (${before.percent}%)`);
  });
  return problems;
}

/** The percent of the stage a rollout is at. */
export function currentPercent(rollout: Pick<Rollout, 'stages' | 'currentStage'>): number {
  return rollout.stages[rollout.currentStage]?.percent ?? 0;
}

/** When the current stage's wait is over. */
export function stageDueAt(rollout: Pick<Rollout, 'stages' | 'currentStage' | 'stageStartedAt'>): Date {
  const waitS = rollout.stages[rollout.currentStage]?.waitS ?? 0;
  return new Date(Date.parse(rollout.stageStartedAt) + waitS * 1000);
}
