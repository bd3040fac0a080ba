import { fullJitterDelayMs, type BackoffPolicy } from './backoff';
import { isTransient, jitteredWaitMs, syncErrorOf, transientRetryDelayMs, type SyncError, type SyncErrorCode, type UploadFailure } from './syncFailure';

export { isTransient, type LocalSyncErrorCode, type SyncError, type SyncErrorCode, type UploadFailure } from './syncFailure';

/**
 * The upload loop as a pure state machine: `decide(state, now)` says what to do next,
 * `evolve(state, input)` folds in what happened. Time and randomness arrive as parameters;
 * the edge loop supplies the real clock, `Math.random` and the network.
 */

/** Tuning of the upload loop (validated once by the edge config). */
export interface SyncPolicy {
  backoff: BackoffPolicy;
  /** Most events in one batch; a 413 halves the live limit down to 1. */
  maxBatchEvents: number;
  /** After this many consecutive client-side (4xx) failures of the same head batch, it is blocked. */
  headFailureLimit: number;
  /** A blocked head is retried only this rarely (jittered), never hot. */
  blockedRetryMs: number;
  /** A server's `Retry-After` is honoured up to this much. */
  maxRetryAfterMs: number;
}

/** A head batch that keeps failing with a client-side error. */
export interface HeadTrouble {
  from: number;
  failures: number;
  code: SyncErrorCode;
  since: number;
  blocked: boolean;
}

/** The upload loop's state. */
export interface SyncState {
  /** Every sequence at or below this is acknowledged by the gateway. */
  ackedThrough: number;
  /** The highest committed local sequence. */
  lastSequence: number;
  batchLimit: number;
  inFlight: { from: number; to: number; startedAt: number } | null;
  consecutiveFailures: number;
  /** No upload starts before this time (backoff, Retry-After, blocked head). */
  notBefore: number;
  head: HeadTrouble | null;
  link: 'unknown' | 'online' | 'offline';
  lastSuccessAt: number | null;
  lastContactAt: number | null;
  lastError: SyncError | null;
  rejectionsSeen: number;
}

/** What happened, folded in by `evolve`. */
export type SyncInput =
  | { type: 'appended'; lastSequence: number }
  | { type: 'uploadStarted'; from: number; to: number; at: number }
  | { type: 'uploadAcked'; ackedThrough: number; rejections: number; at: number }
  | { type: 'uploadFailed'; failure: UploadFailure; at: number; random: number }
  | { type: 'uploadAborted' }
  | { type: 'syncRequested'; at: number };

/** What to do next. */
export type SyncCommand =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'wait'; until: number }
  | { kind: 'upload'; from: number; maxEvents: number };

/** The state after a (re)start: acknowledged and committed sequences come from the store. */
export function initialSyncState(ackedThrough: number, lastSequence: number, policy: SyncPolicy): SyncState {
  return {
    ackedThrough,
    lastSequence: Math.max(lastSequence, ackedThrough),
    batchLimit: policy.maxBatchEvents,
    inFlight: null,
    consecutiveFailures: 0,
    notBefore: 0,
    head: null,
    link: 'unknown',
    lastSuccessAt: null,
    lastContactAt: null,
    lastError: null,
    rejectionsSeen: 0,
  };
}

/** Decides the next step. */
export function decide(state: SyncState, now: number): SyncCommand {
  if (state.inFlight) return { kind: 'busy' };
  if (state.ackedThrough >= state.lastSequence) return { kind: 'idle' };
  if (now < state.notBefore) return { kind: 'wait', until: state.notBefore };
  return { kind: 'upload', from: state.ackedThrough + 1, maxEvents: state.batchLimit };
}

const TOO_LARGE = new Set<SyncErrorCode>(['BODY_TOO_LARGE', 'BODY_DECOMPRESSED_TOO_LARGE', 'BATCH_TOO_MANY_EVENTS']);

function failed(state: SyncState, failure: UploadFailure, at: number, random: number, policy: SyncPolicy): SyncState {
  const inFlight = state.inFlight;
  const from = inFlight?.from ?? state.ackedThrough + 1;
  const sent = inFlight ? inFlight.to - inFlight.from + 1 : state.batchLimit;
  const base: SyncState = {
    ...state,
    inFlight: null,
    consecutiveFailures: state.consecutiveFailures + 1,
    link: failure.kind === 'network' ? 'offline' : 'online',
    lastContactAt: failure.kind === 'network' ? state.lastContactAt : at,
    lastError: syncErrorOf(failure, at),
  };
  if (isTransient(failure)) {
    return { ...base, notBefore: at + transientRetryDelayMs(failure, base.consecutiveFailures, random, policy.backoff, policy.maxRetryAfterMs) };
  }
  // A batch too large for the gateway: halve it and try again at once (at most log2 steps).
  if (TOO_LARGE.has(failure.code) && sent > 1) {
    return { ...base, batchLimit: Math.max(1, Math.floor(sent / 2)), notBefore: at };
  }
  const sameHead = state.head && state.head.from === from;
  const failures = sameHead ? state.head!.failures + 1 : 1;
  const blocked = failures >= policy.headFailureLimit;
  const head: HeadTrouble = { from, failures, code: failure.code, since: sameHead ? state.head!.since : at, blocked };
  const delay = blocked ? jitteredWaitMs(policy.blockedRetryMs, random) : fullJitterDelayMs(policy.backoff, base.consecutiveFailures, random);
  return { ...base, head, notBefore: at + delay };
}

function acked(state: SyncState, ackedThrough: number, rejections: number, at: number, policy: SyncPolicy): SyncState {
  const inFlight = state.inFlight;
  const to = inFlight ? inFlight.to : state.lastSequence;
  // Never beyond what this batch carried (safe: more is resent and deduplicated), never backwards.
  const next = Math.max(state.ackedThrough, Math.min(ackedThrough, to));
  const contacted: SyncState = { ...state, inFlight: null, link: 'online', lastContactAt: at, rejectionsSeen: state.rejectionsSeen + rejections };
  if (next === state.ackedThrough) {
    // A 200 that acknowledges nothing of the head must not be retried hot.
    return failed(contacted, { kind: 'http', status: 200, code: 'NO_PROGRESS', detail: `ackedThrough ${ackedThrough} does not cover sequence ${state.ackedThrough + 1}` }, at, 1, policy);
  }
  return {
    ...contacted,
    ackedThrough: next,
    lastSequence: Math.max(state.lastSequence, next),
    batchLimit: Math.min(policy.maxBatchEvents, state.batchLimit * 2),
    consecutiveFailures: 0,
    notBefore: at,
    head: null,
    lastSuccessAt: at,
    lastError: null,
  };
}

/** Folds one input into the state. */
export function evolve(state: SyncState, input: SyncInput, policy: SyncPolicy): SyncState {
  switch (input.type) {
    case 'appended':
      return input.lastSequence > state.lastSequence ? { ...state, lastSequence: input.lastSequence } : state;
    case 'uploadStarted':
      return { ...state, inFlight: { from: input.from, to: input.to, startedAt: input.at } };
    case 'uploadAcked':
      return acked(state, input.ackedThrough, input.rejections, input.at, policy);
    case 'uploadFailed':
      return failed(state, input.failure, input.at, input.random, policy);
    case 'uploadAborted':
      return { ...state, inFlight: null };
    case 'syncRequested':
      // A technician or the urgent channel asks for a sync now: lift backoff and a blocked head once.
      return { ...state, notBefore: input.at, head: state.head ? { ...state.head, blocked: false, failures: 0 } : null };
    default: {
      const never: never = input;
      return never;
    }
  }
}
