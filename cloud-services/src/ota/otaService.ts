import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { AtriumError, type MaintenanceWindow, type ReleaseChannel, type RolloutStatus } from '@atrium/contracts';
import type { ArtefactStore } from './artefacts/artefactStore';
import { stagePlanProblems, type Rollout, type RolloutStage, type RolloutTarget, type RolloutThresholds } from './domain/rollout';
import { decideRolloutCommand, decideRolloutTick, type RolloutCommand, type RolloutTransition } from './domain/rolloutDecisions';
import { rolloutProgress, type RolloutProgress } from './domain/rolloutProgress';
import { inTransaction } from '../pg/inTransaction';
import { maintenanceWindowStore } from './pg/maintenanceWindowStore';
import { releaseStore, type NewRelease, type Release } from './pg/releaseStore';
import { rolloutStore, type RolloutHistoryEntry } from './pg/rolloutStore';

/** Thresholds a rollout gets unless ops say otherwise. */
export const DEFAULT_THRESHOLDS: RolloutThresholds = { maxFailureRate: 0.1, minReports: 5, minSuccessRate: 0.9 };

/** What ops ask for when starting a rollout. */
export interface NewRollout {
  releaseId: string;
  target?: Partial<RolloutTarget>;
  stages: RolloutStage[];
  thresholds?: Partial<RolloutThresholds>;
}

/** A rollout with its progress per stage and its history. */
export interface RolloutView {
  rollout: Rollout;
  progress: RolloutProgress;
  history: RolloutHistoryEntry[];
}

/** A change the scheduler made. */
export interface ScheduledChange {
  rolloutId: string;
  transition: RolloutTransition;
}

/** What the OTA service needs. */
export interface OtaServiceDeps {
  pool: Pool;
  artefacts: ArtefactStore;
  /** The clock; tests pass their own. */
  now?: () => Date;
  newRolloutId?: () => string;
}

/** The OTA use cases: releases, rollouts, the scheduler's tick and maintenance windows. */
export type OtaService = ReturnType<typeof createOtaService>;

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new AtriumError('VALIDATION_FAILED', `'${timeZone}' is not an IANA time zone`, { errors: [{ path: '/timeZone', message: 'unknown time zone' }] });
  }
}

/** Builds the OTA service over PostgreSQL and an artefact store. */
export function createOtaService(deps: OtaServiceDeps) {
  const { pool, artefacts } = deps;
  const now = deps.now ?? (() => new Date());
  const newRolloutId = deps.newRolloutId ?? (() => randomUUID());

  async function view(rolloutId: string): Promise<RolloutView> {
    const rollout = await rolloutStore.get(pool, rolloutId);
    const [devices, reports, history] = await Promise.all([rolloutStore.knownDevices(pool, rollout), rolloutStore.reports(pool, rolloutId), rolloutStore.history(pool, rolloutId)]);
    return { rollout, progress: rolloutProgress(rollout, devices, reports), history };
  }

  return {
    createRelease: (release: NewRelease): Promise<Release> => releaseStore.insert(pool, release, now()),
    getRelease: (releaseId: string): Promise<Release> => releaseStore.get(pool, releaseId),
    listReleases: (channel?: ReleaseChannel): Promise<Release[]> => releaseStore.list(pool, channel),

    /**
     * Stores the release's artefact, checking size and sha512 as it streams, then marks the
     * release ready. Uploading the same bytes again is harmless.
     */
    async uploadArtefact(releaseId: string, body: Readable): Promise<Release> {
      const release = await releaseStore.get(pool, releaseId);
      await artefacts.put(release.artefactKey, body, { sha512: release.sha512, size: release.size });
      return inTransaction(pool, async (client) => {
        const locked = await releaseStore.get(client, releaseId, true);
        return locked.status === 'ready' ? locked : releaseStore.markReady(client, releaseId, now());
      });
    },

    async createRollout(input: NewRollout, actor: string): Promise<RolloutView> {
      const problems = stagePlanProblems(input.stages);
      if (problems.length > 0) throw new AtriumError('VALIDATION_FAILED', problems.join('; '), { errors: problems.map((message) => ({ path: '/stages', message })) });
      const at = now();
      const rolloutId = newRolloutId();
      await inTransaction(pool, async (client) => {
        const release = await releaseStore.get(client, input.releaseId);
        if (release.status !== 'ready') throw new AtriumError('CONFLICT', `release ${release.releaseId} has no verified artefact yet`);
        const target = { malls: input.target?.malls ?? [], tags: input.target?.tags ?? [] };
        await rolloutStore.lockChannel(client, release.channel);
        const overlapping = await rolloutStore.openOverlapping(client, release.channel, target.malls);
        if (overlapping.length > 0) throw new AtriumError('CONFLICT', `rollout ${overlapping.join(', ')} is still open on the ${release.channel} channel for these malls; finish, cancel or roll it back first`);
        const rollout: Rollout = {
          rolloutId,
          releaseId: release.releaseId,
          version: release.version,
          channel: release.channel,
          target,
          stages: input.stages,
          thresholds: { ...DEFAULT_THRESHOLDS, ...input.thresholds },
          status: 'active',
          statusReason: null,
          currentStage: 0,
          stageStartedAt: at.toISOString(),
          createdAt: at.toISOString(),
        };
        await rolloutStore.insert(client, rollout, at);
        await rolloutStore.record(client, rolloutId, { action: 'start', from: 'active', to: 'active', stage: 0, reason: `started at ${input.stages[0]!.percent}%` }, actor, at);
      });
      return view(rolloutId);
    },

    /** Pause, resume, cancel or roll back, under the rollout's row lock. */
    async command(rolloutId: string, command: RolloutCommand, actor: string): Promise<RolloutView> {
      await inTransaction(pool, async (client) => {
        const rollout = await rolloutStore.lock(client, rolloutId);
        if (!rollout) throw new AtriumError('NOT_FOUND', `no rollout ${rolloutId}`);
        const at = now();
        const decision = decideRolloutCommand(rollout, command, at);
        if (!decision.ok) throw new AtriumError('CONFLICT', decision.detail);
        if (decision.transition) await rolloutStore.save(client, decision.rollout, decision.transition, actor, at);
      });
      return view(rolloutId);
    },

    /**
     * One pass of the scheduler over every active rollout: advance, complete, pause or halt as the
     * thresholds say. A rollout another instance is deciding on right now is skipped, not waited for.
     */
    async tick(): Promise<ScheduledChange[]> {
      const changes: ScheduledChange[] = [];
      for (const rolloutId of await rolloutStore.activeIds(pool)) {
        const change = await inTransaction(pool, async (client) => {
          const rollout = await rolloutStore.lock(client, rolloutId, true);
          if (!rollout) return null;
          const at = now();
          const [devices, reports] = await Promise.all([rolloutStore.knownDevices(client, rollout), rolloutStore.reports(client, rolloutId)]);
          const decision = decideRolloutTick(rollout, rolloutProgress(rollout, devices, reports), at);
          if (!decision.ok || !decision.transition) return null;
          await rolloutStore.save(client, decision.rollout, decision.transition, 'scheduler', at);
          return { rolloutId, transition: decision.transition };
        });
        if (change) changes.push(change);
      }
      return changes;
    },

    view,
    listRollouts: (status?: RolloutStatus): Promise<Rollout[]> => rolloutStore.list(pool, status),

    async setMaintenanceWindow(mallId: string, window: MaintenanceWindow): Promise<MaintenanceWindow> {
      checkTimeZone(window.timeZone);
      await maintenanceWindowStore.put(pool, mallId, window, now());
      return window;
    },

    async getMaintenanceWindow(mallId: string): Promise<MaintenanceWindow> {
      const window = await maintenanceWindowStore.get(pool, mallId);
      if (!window) throw new AtriumError('NOT_FOUND', `mall ${mallId} has no maintenance window`);
      return window;
    },
  };
}
