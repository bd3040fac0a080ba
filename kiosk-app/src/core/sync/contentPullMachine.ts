import { fullJitterDelayMs, type BackoffPolicy } from './backoff';
import { isTransient, jitteredWaitMs, retryAfterWaitMs, syncErrorOf, type SyncError, type SyncErrorCode, type UploadFailure } from './syncFailure';

/**
 * The content pull loop as a pure state machine (the downstream twin of `syncMachine`):
 * `decideContentPull(state, now)` says whether to pull, `evolveContentPull` folds in what
 * happened. Time and randomness arrive as parameters.
 */

/** How a pull failed: as an upload can fail, or the kiosk refused the page (cursor kept), or the store failed. */
export type ContentPullFailure = UploadFailure | { kind: 'refused'; code: SyncErrorCode; detail: string } | { kind: 'local'; code: 'LOCAL_FAILURE'; detail: string };

/** The pull loop's state. */
export interface ContentPullState {
  pulling: boolean;
  consecutiveFailures: number;
  /** No pull starts before this time (poll interval, backoff, Retry-After). */
  notBefore: number;
  /** Last pull that reached the end of the feed (a 304 or the last page applied). */
  lastSyncAt: number | null;
  /** Last page applied that carried upserts or deletes. */
  lastChangeAt: number | null;
  lastError: SyncError | null;
  /** A nudge came while a pull ran: that pull may have missed what prompted it, so another follows at once. */
  requestedDuringPull: boolean;
  /** The gateway refused the stored cursor: pulls fetch the whole feed again until it has replaced the cache. */
  resyncPending: boolean;
  /** When the whole cache was last replaced by a full pull. */
  lastResyncAt: number | null;
}

/** What happened, folded in by `evolveContentPull`. */
export type ContentPullInput =
  | { type: 'pullStarted' }
  | { type: 'pageApplied'; changes: number; at: number }
  | { type: 'cursorRejected'; at: number }
  | { type: 'contentReplaced'; changes: number; at: number }
  | { type: 'pullCompleted'; reachedEnd: boolean; at: number }
  | { type: 'pullFailed'; failure: ContentPullFailure; at: number; random: number }
  | { type: 'pullAborted' }
  | { type: 'pullRequested'; at: number };

/** The timing rules of the pull loop. */
export interface ContentPullPolicy {
  backoff: BackoffPolicy;
  pollIntervalMs: number;
  refusedRetryMs: number;
  maxRetryAfterMs: number;
}

/** Content sync status for the UI and technicians, shown alongside the upload status. */
export interface ContentSyncStatus {
  cursor: string | null;
  contentVersion: number;
  lastSyncAt: number | null;
  lastChangeAt: number | null;
  lastError: SyncError | null;
  consecutiveFailures: number;
  nextPullAt: number | null;
  pulling: boolean;
  /** The stored cursor was refused; the whole feed is being fetched again (the old content is served meanwhile). */
  resyncPending: boolean;
  lastResyncAt: number | null;
}

/** Nothing pulled yet: the first pull is due at once. */
export const initialContentPullState: ContentPullState = {
  pulling: false,
  consecutiveFailures: 0,
  notBefore: 0,
  lastSyncAt: null,
  lastChangeAt: null,
  lastError: null,
  requestedDuringPull: false,
  resyncPending: false,
  lastResyncAt: null,
};

/** Decides whether to pull now. */
export function decideContentPull(state: ContentPullState, now: number): { kind: 'pull' } | { kind: 'busy' } | { kind: 'wait'; until: number } {
  if (state.pulling) return { kind: 'busy' };
  return now < state.notBefore ? { kind: 'wait', until: state.notBefore } : { kind: 'pull' };
}

/**
 * True when the gateway refused the cursor the kiosk sent (its content store was rebuilt, or
 * the kiosk's cache came from another one): the delta cannot continue, so the whole feed is
 * pulled again. Without a cursor there is nothing to start over from.
 */
export function isCursorRejection(failure: ContentPullFailure, sentCursor: string | null): boolean {
  return sentCursor !== null && failure.kind === 'http' && failure.code === 'CURSOR_INVALID';
}

function isTransientPull(failure: ContentPullFailure): boolean {
  return failure.kind === 'refused' ? false : failure.kind === 'local' ? true : isTransient(failure);
}

/** How long after a failure the next pull waits: full jitter when retrying may help, a long jittered wait when the same request would be refused again; a Retry-After is honoured up to a cap. */
export function contentRetryDelayMs(failure: ContentPullFailure, failures: number, random: number, policy: ContentPullPolicy): number {
  const delay = isTransientPull(failure) ? fullJitterDelayMs(policy.backoff, failures, random) : jitteredWaitMs(policy.refusedRetryMs, random);
  return Math.max(delay, retryAfterWaitMs(failure, policy.maxRetryAfterMs));
}

/** Folds one input into the state. */
export function evolveContentPull(state: ContentPullState, input: ContentPullInput, policy: ContentPullPolicy): ContentPullState {
  switch (input.type) {
    case 'pullStarted':
      return { ...state, pulling: true, requestedDuringPull: false };
    case 'pageApplied':
      // Progress: whatever failed before has been got past.
      return { ...state, consecutiveFailures: 0, lastError: null, lastChangeAt: input.changes > 0 ? input.at : state.lastChangeAt };
    case 'cursorRejected':
      return { ...state, resyncPending: true };
    case 'contentReplaced':
      return { ...state, resyncPending: false, lastResyncAt: input.at, consecutiveFailures: 0, lastError: null, lastChangeAt: input.changes > 0 ? input.at : state.lastChangeAt };
    case 'pullCompleted': {
      const again = !input.reachedEnd || state.requestedDuringPull;
      const done: ContentPullState = { ...state, pulling: false, requestedDuringPull: false, notBefore: again ? input.at : input.at + policy.pollIntervalMs };
      return input.reachedEnd ? { ...done, consecutiveFailures: 0, lastError: null, lastSyncAt: input.at } : done;
    }
    case 'pullFailed': {
      const { failure, at } = input;
      const failures = state.consecutiveFailures + 1;
      const notBefore = state.requestedDuringPull ? at : at + contentRetryDelayMs(failure, failures, input.random, policy);
      return { ...state, pulling: false, requestedDuringPull: false, consecutiveFailures: failures, lastError: syncErrorOf(failure, at), notBefore };
    }
    case 'pullAborted':
      return { ...state, pulling: false };
    case 'pullRequested':
      return { ...state, notBefore: Math.min(state.notBefore, input.at), requestedDuringPull: state.pulling };
    default: {
      const never: never = input;
      return never;
    }
  }
}
