import type { CatalogueEvent, MaintenanceWindow } from '@atrium/contracts';

/** Tuning of the kiosk updater (validated once by the edge config). */
export interface UpdaterPolicy {
  /** After the new version starts, its health check must pass within this long, or it is rolled back. */
  healthDeadlineMs: number;
  /** Definite failures (bad digest, failed install) of one version before the kiosk stops trying it. */
  maxAttemptsPerVersion: number;
  /** Pause after a failed or interrupted download before trying again. */
  retryDelayMs: number;
  /** Used when the feed names no window for the mall; null means never install without one. */
  fallbackWindow: MaintenanceWindow | null;
}

/** The update the feed names, as the updater needs it. */
export interface UpdateTarget {
  version: string;
  /** Where to download it, as the feed gave it (relative to the feed URL). */
  url: string;
  /** base64 SHA-512 the download must have. */
  sha512: string;
  size: number;
  rolloutId?: string;
}

/** Where the updater is in one update. */
export type UpdaterStep =
  | { step: 'idle' }
  | { step: 'downloading'; target: UpdateTarget; startedAt: number }
  | { step: 'downloaded'; target: UpdateTarget }
  | { step: 'installing'; target: UpdateTarget; fromVersion: string; startedAt: number }
  | { step: 'verifying'; target: UpdateTarget; fromVersion: string; deadline: number; lastHealth: HealthReport | null }
  | { step: 'rollingBack'; target: UpdateTarget; fromVersion: string; reason: string };

/** What the health check saw after an update. */
export interface HealthReport {
  rendererUp: boolean;
  syncOk: boolean;
}

/** What the kiosk is doing, as far as installing is concerned. */
export interface KioskActivity {
  /** A shopper session is open. */
  sessionActive: boolean;
  /** The attract loop is on screen (nobody is using the kiosk). */
  attractLoop: boolean;
}

/** The updater's whole state; the edge persists it so an update survives the restart it causes. */
export interface UpdaterState {
  runningVersion: string;
  current: UpdaterStep;
  /** The window the feed last named for this kiosk's mall. */
  installWindow: MaintenanceWindow | null;
  /** Definite failures per version. */
  attempts: Record<string, number>;
  /** Versions rolled back or given up on; not tried again (a fix ships as a new version). */
  rejected: string[];
  /** The version last announced as available, so a retry does not announce it again. */
  announced: string | null;
  /** No download starts before this time (after a failure). */
  notBefore: number;
}

/** What the edge adapter must do for a decision. */
export type UpdaterEffect =
  | { kind: 'download'; target: UpdateTarget }
  | { kind: 'discardStaged'; version: string }
  | { kind: 'install'; target: UpdateTarget; fromVersion: string }
  | { kind: 'rollback'; toVersion: string; fromVersion: string };

/** Everything the updater is told. */
export type UpdaterInput =
  | { type: 'started'; runningVersion: string; at: number }
  | { type: 'feedChecked'; target: UpdateTarget | null; installWindow: MaintenanceWindow | null; at: number }
  | { type: 'downloadFinished'; version: string; sha512: string; size: number; at: number }
  | { type: 'downloadInterrupted'; version: string; reason: string; at: number }
  | { type: 'tick'; activity: KioskActivity; at: number }
  | { type: 'installDeferred'; at: number }
  | { type: 'installFailed'; reason: string; at: number }
  | { type: 'healthReported'; health: HealthReport; at: number };

/** The state after an input, the events to record and the effects to carry out, in that order. */
export interface UpdaterDecision {
  state: UpdaterState;
  events: CatalogueEvent[];
  effects: UpdaterEffect[];
}

/** A fresh state for a kiosk running `runningVersion`. */
export function initialUpdaterState(runningVersion: string): UpdaterState {
  return { runningVersion, current: { step: 'idle' }, installWindow: null, attempts: {}, rejected: [], announced: null, notBefore: 0 };
}
