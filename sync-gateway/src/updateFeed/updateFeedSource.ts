import type { DeviceReleaseChoice, FeedDevice, MaintenanceWindow } from '@atrium/contracts';

/** Who is polling, as the gateway's device authentication established it. */
export interface FeedIdentity {
  deviceId: string;
  kioskId: string;
  mallId: string;
  /** Registry tags of the device (rollouts may target them); none if the registry has none. */
  tags?: readonly string[];
  /** The release channel the device follows; `stable` if unset. */
  channel?: FeedDevice['channel'];
}

/** What the feed should answer one device. */
export interface FeedAnswer {
  choice: DeviceReleaseChoice | null;
  installWindow: MaintenanceWindow | null;
}

/** A release artefact the feed may serve, and where the artefact store keeps it. */
export interface FeedArtefact {
  key: string;
  size: number;
  sha512: string;
}

/** Where the feed reads rollouts, releases and windows from (PostgreSQL in production). */
export interface UpdateFeedSource {
  /** Records that the device polled (with the version it says it runs) and decides what it should run. */
  answer(device: FeedDevice & { kioskId: string; runningVersion: string | null }, now: Date): Promise<FeedAnswer>;
  /** The artefact of a ready release, or null when there is no such release or file. */
  artefact(releaseId: string, fileName: string): Promise<FeedArtefact | null>;
}
