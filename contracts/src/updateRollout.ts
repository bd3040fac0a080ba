import { Type, type Static } from '@sinclair/typebox';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

// The rules both the cloud (progress, thresholds) and the gateway's update feed (what to serve)
// must apply bit for bit the same, so they live here, pure, rather than in either service.

/** The release channels a kiosk can follow. */
export const ReleaseChannel = Type.Union([Type.Literal('stable'), Type.Literal('beta')]);
/** The release channels a kiosk can follow. */
export type ReleaseChannel = Static<typeof ReleaseChannel>;

/** Lifecycle of a rollout; `completed`, `cancelled` and `rolledback` are final. */
export const RolloutStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('paused'),
  Type.Literal('halted'),
  Type.Literal('completed'),
  Type.Literal('cancelled'),
  Type.Literal('rolledback'),
]);
/** Lifecycle of a rollout. */
export type RolloutStatus = Static<typeof RolloutStatus>;

/** The latest `kiosk.update.*` report of one device for one rollout. */
export const DeviceUpdateState = Type.Union([
  Type.Literal('available'),
  Type.Literal('downloaded'),
  Type.Literal('installing'),
  Type.Literal('installed'),
  Type.Literal('failed'),
  Type.Literal('rolledback'),
]);
/** The latest `kiosk.update.*` report of one device for one rollout. */
export type DeviceUpdateState = Static<typeof DeviceUpdateState>;

/** Buckets per rollout: a stage of p percent takes the buckets below p × 100. */
export const ROLLOUT_BUCKETS = 10_000;

/**
 * The device's bucket in a rollout, 0..9999: the first 32 bits of SHA-256(rolloutId ":" deviceId)
 * modulo 10,000. Deterministic, so a device chosen at 5% is still chosen at 25% and at 100%; and
 * salted by the rollout, so the same kiosks are not always the first to get every release.
 */
export function rolloutBucket(rolloutId: string, deviceId: string): number {
  const digest = sha256(utf8ToBytes(`${rolloutId}:${deviceId}`));
  const first32 = ((digest[0]! << 24) >>> 0) + (digest[1]! << 16) + (digest[2]! << 8) + digest[3]!;
  return first32 % ROLLOUT_BUCKETS;
}

/** The number of buckets (of 10,000) that a stage of `percent` takes; percent has 0.01 precision. */
export function bucketsForPercent(percent: number): number {
  return Math.min(ROLLOUT_BUCKETS, Math.max(0, Math.round(percent * 100)));
}

/** True when the device's bucket falls inside a stage of `percent`. */
export function isChosenAt(rolloutId: string, deviceId: string, percent: number): boolean {
  return rolloutBucket(rolloutId, deviceId) < bucketsForPercent(percent);
}

/** What the feed knows about the polling device. */
export interface FeedDevice {
  deviceId: string;
  mallId: string;
  tags: readonly string[];
  channel: ReleaseChannel;
}

/** A release as the feed serves it. */
export interface FeedRelease {
  releaseId: string;
  version: string;
  fileName: string;
  /** base64 SHA-512 of the artefact, electron-updater style. */
  sha512: string;
  size: number;
  releaseNotes?: string;
  releasedAt: string;
}

/** One rollout as the feed needs it, with the polling device's latest report for it. */
export interface FeedRollout {
  rolloutId: string;
  channel: ReleaseChannel;
  /** Empty means every mall. */
  targetMalls: readonly string[];
  /** Empty means every device; otherwise a device carrying any of these tags. */
  targetTags: readonly string[];
  status: RolloutStatus;
  /** Percent of the stage the rollout is at now. */
  stagePercent: number;
  release: FeedRelease;
  deviceState?: DeviceUpdateState;
}

/** True when the rollout is aimed at this device at all (channel, malls, tags). */
export function rolloutTargetsDevice(rollout: Pick<FeedRollout, 'channel' | 'targetMalls' | 'targetTags'>, device: FeedDevice): boolean {
  if (rollout.channel !== device.channel) return false;
  if (rollout.targetMalls.length > 0 && !rollout.targetMalls.includes(device.mallId)) return false;
  if (rollout.targetTags.length > 0 && !rollout.targetTags.some((t) => device.tags.includes(t))) return false;
  return true;
}

/**
 * True when this rollout's release is what the device should run. A halted or cancelled rollout
 * keeps the devices that already installed it (taking it away would be a second, unplanned
 * rollout) and gives nothing to the rest; a rolled-back rollout gives nothing to anyone.
 */
export function rolloutServesDevice(rollout: FeedRollout, device: FeedDevice): boolean {
  if (!rolloutTargetsDevice(rollout, device)) return false;
  const chosen = isChosenAt(rollout.rolloutId, device.deviceId, rollout.stagePercent);
  const keeps = rollout.deviceState === 'installed' || rollout.deviceState === 'installing';
  switch (rollout.status) {
    case 'active':
    case 'paused':
    case 'completed':
      return chosen;
    case 'halted':
    case 'cancelled':
      return chosen && keeps;
    case 'rolledback':
      return false;
    default: {
      const never: never = rollout.status;
      throw new Error(`unknown rollout status ${String(never)}`);
    }
  }
}

/** The release a device should run now and the rollout that brought it. */
export interface DeviceReleaseChoice {
  rolloutId: string;
  release: FeedRelease;
}

/**
 * Which release the device should run now: the newest rollout that serves it. When the newest
 * does not (not chosen yet, halted, rolled back), the device falls back to what the rollout
 * before it gave, which is how a rollback serves the previous version.
 */
export function chooseDeviceRelease(device: FeedDevice, rolloutsNewestFirst: readonly FeedRollout[]): DeviceReleaseChoice | null {
  for (const rollout of rolloutsNewestFirst) {
    if (rolloutServesDevice(rollout, device)) return { rolloutId: rollout.rolloutId, release: rollout.release };
  }
  return null;
}
