import { describe, expect, it } from 'vitest';
import {
  contentRetryDelayMs,
  decideContentPull,
  evolveContentPull,
  initialContentPullState,
  isCursorRejection,
  type ContentPullFailure,
  type ContentPullPolicy,
  type ContentPullState,
} from './contentPullMachine';

const policy: ContentPullPolicy = { backoff: { baseMs: 1_000, capMs: 60_000 }, pollIntervalMs: 300_000, refusedRetryMs: 900_000, maxRetryAfterMs: 3_600_000 };
const network: ContentPullFailure = { kind: 'network', code: 'NETWORK', detail: 'ECONNREFUSED' };
const refused: ContentPullFailure = { kind: 'refused', code: 'VALIDATION_FAILED', detail: 'upserts[3] store "s-1": /name: Expected string' };

function fold(state: ContentPullState, ...inputs: Parameters<typeof evolveContentPull>[1][]): ContentPullState {
  return inputs.reduce((s, input) => evolveContentPull(s, input, policy), state);
}

describe('content pull: when to pull', () => {
  it('given a kiosk that never pulled, then a pull is due at once', () => {
    expect(decideContentPull(initialContentPullState, 0)).toEqual({ kind: 'pull' });
  });

  it('given a pull running, then another one is not started', () => {
    expect(decideContentPull(fold(initialContentPullState, { type: 'pullStarted' }), 10)).toEqual({ kind: 'busy' });
  });

  it('given a pull that reached the end of the feed, then the next one waits for the poll interval', () => {
    const state = fold(initialContentPullState, { type: 'pullStarted' }, { type: 'pageApplied', changes: 40, at: 1_000 }, { type: 'pullCompleted', reachedEnd: true, at: 1_200 });
    expect(decideContentPull(state, 1_300)).toEqual({ kind: 'wait', until: 1_200 + policy.pollIntervalMs });
    expect(state).toMatchObject({ pulling: false, lastSyncAt: 1_200, lastChangeAt: 1_000, lastError: null });
  });

  it('given a pull stopped by the page bound before the end, then the next one is due at once and the sync time is not claimed', () => {
    const state = fold(initialContentPullState, { type: 'pullStarted' }, { type: 'pullCompleted', reachedEnd: false, at: 5_000 });
    expect(decideContentPull(state, 5_000)).toEqual({ kind: 'pull' });
    expect(state.lastSyncAt).toBeNull();
  });

  it('given the poll interval not over, when a sync-now nudge arrives, then a pull is due at once', () => {
    const waiting = fold(initialContentPullState, { type: 'pullStarted' }, { type: 'pullCompleted', reachedEnd: true, at: 1_000 });
    expect(decideContentPull(fold(waiting, { type: 'pullRequested', at: 2_000 }), 2_000)).toEqual({ kind: 'pull' });
  });

  it('given a nudge while a pull runs, when that pull ends, then another is due at once (it may have missed what prompted the nudge), once', () => {
    const ended = fold(initialContentPullState, { type: 'pullStarted' }, { type: 'pullRequested', at: 50 }, { type: 'pullCompleted', reachedEnd: true, at: 80 });
    expect(decideContentPull(ended, 80)).toEqual({ kind: 'pull' });
    const next = fold(ended, { type: 'pullStarted' }, { type: 'pullCompleted', reachedEnd: true, at: 90 });
    expect(decideContentPull(next, 91)).toEqual({ kind: 'wait', until: 90 + policy.pollIntervalMs });
    const failed = fold(initialContentPullState, { type: 'pullStarted' }, { type: 'pullRequested', at: 50 }, { type: 'pullFailed', failure: refused, at: 80, random: 1 });
    expect(decideContentPull(failed, 80)).toEqual({ kind: 'pull' });
  });

  it('given an empty page applied (a 304-able poll), then the last change time does not move', () => {
    const state = fold(initialContentPullState, { type: 'pullStarted' }, { type: 'pageApplied', changes: 0, at: 9_000 });
    expect(state.lastChangeAt).toBeNull();
  });
});

describe('content pull: failures', () => {
  it('given network failures in a row, then each waits a jittered delay under a growing ceiling', () => {
    expect(contentRetryDelayMs(network, 1, 0.5, policy)).toBe(500);
    expect(contentRetryDelayMs(network, 3, 0.5, policy)).toBe(2_000);
    expect(contentRetryDelayMs(network, 30, 0.999, policy)).toBeLessThan(policy.backoff.capMs);
  });

  it('given a 503 with Retry-After longer than the jitter, then the Retry-After is honoured, up to the cap', () => {
    const busy: ContentPullFailure = { kind: 'http', status: 503, code: 'BACKEND_UNAVAILABLE', detail: 'Kafka away', retryAfterMs: 30_000 };
    expect(contentRetryDelayMs(busy, 1, 0.1, policy)).toBe(30_000);
    expect(contentRetryDelayMs({ ...busy, retryAfterMs: 10 * 3_600_000 }, 1, 0.1, policy)).toBe(policy.maxRetryAfterMs);
  });

  it('given a page the kiosk refused, then it is retried only after a long jittered wait, never hot', () => {
    expect(contentRetryDelayMs(refused, 1, 0, policy)).toBe(policy.refusedRetryMs / 2);
    expect(contentRetryDelayMs(refused, 1, 1, policy)).toBe(policy.refusedRetryMs);
  });

  it('given a 4xx such as CURSOR_INVALID with no cursor to start over from, then it waits like a refused page; a 429 backs off like a transient failure', () => {
    const cursor: ContentPullFailure = { kind: 'http', status: 400, code: 'CURSOR_INVALID', detail: 'start again' };
    expect(contentRetryDelayMs(cursor, 1, 0, policy)).toBe(policy.refusedRetryMs / 2);
    expect(contentRetryDelayMs({ kind: 'http', status: 429, code: 'RATE_LIMITED', detail: 'slow down' }, 1, 0, policy)).toBe(0);
  });

  it('given a refused page, then the error shows in the status with its code, and the pull is no longer running', () => {
    const state = fold(initialContentPullState, { type: 'pullStarted' }, { type: 'pullFailed', failure: refused, at: 7_000, random: 0 });
    expect(state).toMatchObject({ pulling: false, consecutiveFailures: 1, lastError: { code: 'VALIDATION_FAILED', detail: refused.detail, at: 7_000 } });
    expect(decideContentPull(state, 7_001)).toEqual({ kind: 'wait', until: 7_000 + policy.refusedRetryMs / 2 });
  });

  it('given an http failure, then its status is kept with the error', () => {
    const state = fold(initialContentPullState, { type: 'pullFailed', failure: { kind: 'http', status: 401, code: 'SIGNATURE_INVALID', detail: 'bad' }, at: 1, random: 0 });
    expect(state.lastError).toEqual({ code: 'SIGNATURE_INVALID', status: 401, detail: 'bad', at: 1 });
  });

  it('given failures, when a page is applied again, then the error clears and the failure count restarts', () => {
    const failed = fold(initialContentPullState, { type: 'pullFailed', failure: network, at: 1, random: 0 }, { type: 'pullFailed', failure: network, at: 2, random: 0 });
    expect(failed.consecutiveFailures).toBe(2);
    const recovered = fold(failed, { type: 'pullStarted' }, { type: 'pageApplied', changes: 3, at: 10 });
    expect(recovered).toMatchObject({ consecutiveFailures: 0, lastError: null, lastChangeAt: 10 });
  });

  it('given a pull aborted, then nothing is recorded as failed and the wait is unchanged', () => {
    const before = fold(initialContentPullState, { type: 'pullCompleted', reachedEnd: true, at: 100 }, { type: 'pullStarted' });
    const after = fold(before, { type: 'pullAborted' });
    expect(after).toEqual({ ...before, pulling: false });
  });
});

describe('content pull: a refused cursor', () => {
  const rejected: ContentPullFailure = { kind: 'http', status: 400, code: 'CURSOR_INVALID', detail: 'The cursor is ahead of this content store' };

  it('given CURSOR_INVALID for a cursor the kiosk sent, then the whole feed is pulled again; without a cursor, or for another code, it is an ordinary failure', () => {
    expect(isCursorRejection(rejected, 'c-42')).toBe(true);
    expect(isCursorRejection(rejected, null)).toBe(false);
    expect(isCursorRejection({ kind: 'http', status: 400, code: 'VALIDATION_FAILED', detail: 'limit' }, 'c-42')).toBe(false);
    expect(isCursorRejection(refused, 'c-42')).toBe(false);
  });

  it('given the cursor refused, then a full pull is pending until the content is replaced, which counts as progress', () => {
    const pending = fold(initialContentPullState, { type: 'pullStarted' }, { type: 'cursorRejected', at: 100 });
    expect(pending).toMatchObject({ resyncPending: true, pulling: true, lastError: null });
    const interrupted = fold(pending, { type: 'pullFailed', failure: network, at: 200, random: 0.5 });
    expect(interrupted).toMatchObject({ resyncPending: true, consecutiveFailures: 1, lastError: { code: 'NETWORK' } });
    const replaced = fold(interrupted, { type: 'pullStarted' }, { type: 'contentReplaced', changes: 9_000, at: 900 }, { type: 'pullCompleted', reachedEnd: true, at: 950 });
    expect(replaced).toMatchObject({ resyncPending: false, lastResyncAt: 900, lastChangeAt: 900, consecutiveFailures: 0, lastError: null, lastSyncAt: 950 });
  });
});
