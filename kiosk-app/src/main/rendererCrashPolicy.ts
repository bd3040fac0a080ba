/** How many renderer crashes, within what window, the kiosk absorbs by reloading. */
export interface CrashPolicyOptions {
  /** Reloads allowed inside the window before the app restarts instead. */
  maxReloads: number;
  /** The window over which crashes are counted. */
  windowMs: number;
}

/** The crashes the policy remembers (times in ms since the epoch, oldest first). */
export interface CrashPolicyState {
  crashesAt: readonly number[];
}

/** What to do about a crash: reload the page, or restart the whole app. */
export type CrashAction = { kind: 'reload'; attempt: number } | { kind: 'restart-app'; crashesInWindow: number };

export const defaultCrashPolicy: CrashPolicyOptions = { maxReloads: 3, windowMs: 10 * 60_000 };

export const initialCrashPolicyState: CrashPolicyState = { crashesAt: [] };

/**
 * Decides what a renderer crash at `nowMs` calls for. A crash now and then is absorbed by a
 * reload; crashes that keep coming inside the window mean the renderer cannot recover on
 * its own, so the app restarts (and starts counting afresh).
 */
export function decideOnCrash(state: CrashPolicyState, nowMs: number, options: CrashPolicyOptions = defaultCrashPolicy): { state: CrashPolicyState; action: CrashAction } {
  const recent = [...state.crashesAt.filter((t) => nowMs - t < options.windowMs), nowMs];
  if (recent.length > options.maxReloads) {
    return { state: initialCrashPolicyState, action: { kind: 'restart-app', crashesInWindow: recent.length } };
  }
  return { state: { crashesAt: recent }, action: { kind: 'reload', attempt: recent.length } };
}
