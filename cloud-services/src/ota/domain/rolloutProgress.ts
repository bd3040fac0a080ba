import { bucketsForPercent, rolloutBucket, rolloutTargetsDevice, type DeviceUpdateState, type ReleaseChannel } from '@atrium/contracts';
import type { Rollout } from './rollout';

/** A device the update feed has seen, as the cloud counts it. */
export interface KnownDevice {
  deviceId: string;
  kioskId: string;
  mallId: string;
  tags: readonly string[];
  channel: ReleaseChannel;
  lastSeenAt: string;
}

/** Per-device outcome counts. */
export interface OutcomeCounts {
  /** Chosen but nothing reported beyond "available" yet. */
  pending: number;
  /** Downloaded and verified (or installing), not yet confirmed. */
  downloaded: number;
  installed: number;
  /** Failed or rolled back. */
  failed: number;
}

/** One stage's share of the fleet and how its devices are doing. */
export interface StageProgress extends OutcomeCounts {
  stage: number;
  percent: number;
  /** Whether the rollout has reached this stage (its devices are being offered the release). */
  open: boolean;
  /** Live targeted devices whose bucket falls in this stage (not in an earlier one). */
  devices: number;
}

/** A rollout's progress: per stage, and over every stage reached so far. */
export interface RolloutProgress {
  stages: StageProgress[];
  reached: OutcomeCounts & { devices: number };
  /** Every report received for this rollout, including devices no longer counted live. */
  reports: { installed: number; failed: number; total: number };
}

function outcomeOf(state: DeviceUpdateState | undefined): keyof OutcomeCounts {
  switch (state) {
    case undefined:
    case 'available':
      return 'pending';
    case 'downloaded':
    case 'installing':
      return 'downloaded';
    case 'installed':
      return 'installed';
    case 'failed':
    case 'rolledback':
      return 'failed';
    default: {
      const never: never = state;
      throw new Error(`unknown device update state ${String(never)}`);
    }
  }
}

const zero = (): OutcomeCounts => ({ pending: 0, downloaded: 0, installed: 0, failed: 0 });

/**
 * The rollout's live population: devices it targets that polled the feed since it was created (a
 * kiosk silent since before the rollout began is offline and would only hold the stage back).
 */
export function livePopulation(rollout: Rollout, devices: readonly KnownDevice[]): KnownDevice[] {
  const since = Date.parse(rollout.createdAt);
  return devices.filter(
    (d) => Date.parse(d.lastSeenAt) >= since && rolloutTargetsDevice({ channel: rollout.channel, targetMalls: rollout.target.malls, targetTags: rollout.target.tags }, d),
  );
}

/** Progress per stage, from the devices the feed has seen and each kiosk's latest report. */
export function rolloutProgress(rollout: Rollout, devices: readonly KnownDevice[], reportsByKiosk: ReadonlyMap<string, DeviceUpdateState>): RolloutProgress {
  const stages: StageProgress[] = rollout.stages.map((s, i) => ({ stage: i, percent: s.percent, open: i <= rollout.currentStage, devices: 0, ...zero() }));
  const limits = rollout.stages.map((s) => bucketsForPercent(s.percent));
  for (const device of livePopulation(rollout, devices)) {
    const bucket = rolloutBucket(rollout.rolloutId, device.deviceId);
    const index = limits.findIndex((limit) => bucket < limit);
    const stage = index >= 0 ? stages[index] : undefined;
    if (!stage) continue;
    stage.devices += 1;
    stage[outcomeOf(reportsByKiosk.get(device.kioskId))] += 1;
  }
  const reached = { devices: 0, ...zero() };
  for (const s of stages.filter((x) => x.open)) {
    reached.devices += s.devices;
    reached.pending += s.pending;
    reached.downloaded += s.downloaded;
    reached.installed += s.installed;
    reached.failed += s.failed;
  }
  const reports = { installed: 0, failed: 0, total: reportsByKiosk.size };
  for (const state of reportsByKiosk.values()) {
    const outcome = outcomeOf(state);
    if (outcome === 'installed' || outcome === 'failed') reports[outcome] += 1;
  }
  return { stages, reached, reports };
}
