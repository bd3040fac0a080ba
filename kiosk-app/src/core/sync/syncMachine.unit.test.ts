import { describe, expect, it } from 'vitest';
import { decide, evolve, initialSyncState, type SyncPolicy, type SyncState } from './syncMachine';

const policy: SyncPolicy = {
  backoff: { baseMs: 1_000, capMs: 60_000 },
  maxBatchEvents: 100,
  headFailureLimit: 3,
  blockedRetryMs: 600_000,
  maxRetryAfterMs: 3_600_000,
};

function started(state: SyncState, at: number): SyncState {
  const command = decide(state, at);
  if (command.kind !== 'upload') throw new Error(`expected an upload, got ${command.kind}`);
  return evolve(state, { type: 'uploadStarted', from: command.from, to: Math.min(state.lastSequence, command.from + command.maxEvents - 1), at }, policy);
}

describe('sync state machine', () => {
  it('given nothing queued, then it idles', () => {
    expect(decide(initialSyncState(5, 5, policy), 0)).toEqual({ kind: 'idle' });
  });

  it('given queued events, then it uploads from the lowest undelivered sequence', () => {
    const state = evolve(initialSyncState(5, 5, policy), { type: 'appended', lastSequence: 9 }, policy);
    expect(decide(state, 0)).toEqual({ kind: 'upload', from: 6, maxEvents: 100 });
  });

  it('given an upload in flight, then a second one does not start', () => {
    const state = started(initialSyncState(0, 3, policy), 0);
    expect(decide(state, 0)).toEqual({ kind: 'busy' });
  });

  it('given an acknowledgement, then it marks delivered up to ackedThrough and not beyond the batch', () => {
    let state = started(initialSyncState(0, 250, policy), 0);
    state = evolve(state, { type: 'uploadAcked', ackedThrough: 10_000, rejections: 0, at: 5 }, policy);
    expect(state.ackedThrough).toBe(100);
    expect(state.lastSuccessAt).toBe(5);
    expect(decide(state, 5)).toEqual({ kind: 'upload', from: 101, maxEvents: 100 });
  });

  it('given a partial acknowledgement, then the next batch starts right after it', () => {
    let state = started(initialSyncState(0, 50, policy), 0);
    state = evolve(state, { type: 'uploadAcked', ackedThrough: 20, rejections: 2, at: 1 }, policy);
    expect(decide(state, 1)).toMatchObject({ kind: 'upload', from: 21 });
    expect(state.rejectionsSeen).toBe(2);
  });

  it('given a network failure, then it backs off with jitter and shows offline', () => {
    let state = started(initialSyncState(0, 5, policy), 0);
    state = evolve(state, { type: 'uploadFailed', failure: { kind: 'network', code: 'NETWORK', detail: 'ECONNREFUSED' }, at: 100, random: 0.5 }, policy);
    expect(state.link).toBe('offline');
    expect(decide(state, 100)).toEqual({ kind: 'wait', until: 600 });
    expect(state.lastError).toMatchObject({ code: 'NETWORK', at: 100 });
  });

  it('given a 503 with Retry-After longer than the jitter, then it waits for Retry-After', () => {
    let state = started(initialSyncState(0, 5, policy), 0);
    const failure = { kind: 'http', status: 503, code: 'BACKEND_UNAVAILABLE', detail: 'kafka down', retryAfterMs: 30_000 } as const;
    state = evolve(state, { type: 'uploadFailed', failure, at: 0, random: 0.99 }, policy);
    expect(decide(state, 0)).toEqual({ kind: 'wait', until: 30_000 });
    expect(state.link).toBe('online');
  });

  it('given a 413, then it halves the batch and retries at once', () => {
    let state = started(initialSyncState(0, 500, policy), 0);
    state = evolve(state, { type: 'uploadFailed', failure: { kind: 'http', status: 413, code: 'BATCH_TOO_MANY_EVENTS', detail: '' }, at: 7, random: 0.5 }, policy);
    expect(decide(state, 7)).toEqual({ kind: 'upload', from: 1, maxEvents: 50 });
  });

  it('given a head batch that keeps failing with a 4xx, then it is blocked and shown instead of retried hot', () => {
    let state = initialSyncState(0, 5, policy);
    let at = 0;
    for (let i = 0; i < 3; i++) {
      at = state.notBefore;
      state = started(state, at);
      state = evolve(state, { type: 'uploadFailed', failure: { kind: 'http', status: 422, code: 'SEQUENCE_GAP', detail: '' }, at, random: 0.5 }, policy);
    }
    expect(state.head).toMatchObject({ from: 1, failures: 3, code: 'SEQUENCE_GAP', blocked: true });
    // blocked: the next try waits 0.5..1 of blockedRetryMs (0.75 with random 0.5)
    expect(decide(state, at)).toEqual({ kind: 'wait', until: at + 450_000 });
  });

  it('given a blocked head, when a sync is requested, then it is retried once at once', () => {
    let state = initialSyncState(0, 5, policy);
    for (let i = 0; i < 3; i++) {
      state = started(state, state.notBefore);
      state = evolve(state, { type: 'uploadFailed', failure: { kind: 'http', status: 400, code: 'VALIDATION_FAILED', detail: '' }, at: state.notBefore, random: 0 }, policy);
    }
    state = evolve(state, { type: 'syncRequested', at: 42 }, policy);
    expect(decide(state, 42)).toMatchObject({ kind: 'upload', from: 1 });
    expect(state.head?.blocked).toBe(false);
  });

  it('given a 200 that acknowledges nothing, then it is treated as a failure, not retried hot', () => {
    let state = started(initialSyncState(10, 20, policy), 0);
    state = evolve(state, { type: 'uploadAcked', ackedThrough: 3, rejections: 0, at: 0 }, policy);
    expect(state.ackedThrough).toBe(10);
    expect(state.lastError?.code).toBe('NO_PROGRESS');
    expect(decide(state, 0).kind).toBe('wait');
  });

  it('given success after failures, then backoff and head trouble are reset', () => {
    let state = started(initialSyncState(0, 5, policy), 0);
    state = evolve(state, { type: 'uploadFailed', failure: { kind: 'http', status: 401, code: 'SIGNATURE_EXPIRED', detail: '' }, at: 0, random: 0.1 }, policy);
    state = started(state, state.notBefore);
    state = evolve(state, { type: 'uploadAcked', ackedThrough: 5, rejections: 0, at: 9 }, policy);
    expect(state).toMatchObject({ consecutiveFailures: 0, head: null, lastError: null, ackedThrough: 5 });
  });

  it('given an aborted upload, then nothing is marked and it may start again', () => {
    let state = started(initialSyncState(0, 5, policy), 0);
    state = evolve(state, { type: 'uploadAborted' }, policy);
    expect(decide(state, 0)).toMatchObject({ kind: 'upload', from: 1 });
  });
});
