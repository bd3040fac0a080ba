import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { decide, evolve, initialSyncState, type SyncCommand, type SyncPolicy, type SyncState, type UploadFailure } from '../../core/sync/syncMachine';
import { syncStatusOf, type SyncStatus } from '../../core/sync/syncStatus';
import type { Outbox } from '../outbox/outbox';
import type { BatchUploader } from './httpBatchUploader';
import { SyncLoop } from './syncLoop';

/** Tuning of the sync loop. */
export const SyncClientConfig = Type.Object({
  maxBatchEvents: Type.Integer({ minimum: 1, default: 500 }),
  maxBatchBytes: Type.Integer({ minimum: 1, default: 1024 * 1024, description: 'uncompressed JSON bytes per batch' }),
  backoffBaseMs: Type.Integer({ minimum: 1, default: 1_000 }),
  backoffCapMs: Type.Integer({ minimum: 1, default: 5 * 60_000 }),
  headFailureLimit: Type.Integer({ minimum: 1, default: 5 }),
  blockedRetryMs: Type.Integer({ minimum: 1, default: 15 * 60_000 }),
  maxRetryAfterMs: Type.Integer({ minimum: 0, default: 60 * 60_000 }),
  /** With nothing queued the loop sleeps this long at most (new events wake it at once). */
  idlePollMs: Type.Integer({ minimum: 1, default: 60_000 }),
});

/** Validated sync loop configuration. */
export type SyncClientConfig = Static<typeof SyncClientConfig>;

/** What one step of the loop did. */
export type SyncStep = Exclude<SyncCommand, { kind: 'upload' }> | { kind: 'uploaded'; from: number; to: number; ackedThrough: number } | { kind: 'failed'; from: number; to: number; failure: UploadFailure } | { kind: 'aborted' };

/** Everything the sync client needs. */
export interface SyncClientOptions {
  outbox: Outbox;
  uploader: BatchUploader;
  config?: Partial<SyncClientConfig>;
  /** Randomness for jitter, a parameter so tests can pin it. */
  random?: () => number;
}

/**
 * The edge upload loop: drives the pure state machine (`decide`/`evolve`) with the outbox,
 * the clock and a real uploader. One loop at a time; an AbortSignal stops it between or
 * during requests, leaving nothing half-marked (events are marked only on an acknowledgement).
 */
export class SyncClient {
  readonly config: SyncClientConfig;
  private readonly policy: SyncPolicy;
  private state: SyncState;
  private readonly loop = new SyncLoop('sync');
  private readonly random: () => number;

  constructor(private readonly options: SyncClientOptions) {
    const config = Value.Default(SyncClientConfig, structuredClone(options.config ?? {})) as SyncClientConfig;
    if (!Value.Check(SyncClientConfig, config)) throw new Error(`Invalid sync config: ${[...Value.Errors(SyncClientConfig, config)][0]?.message}`);
    this.config = config;
    this.policy = {
      backoff: { baseMs: config.backoffBaseMs, capMs: config.backoffCapMs },
      maxBatchEvents: config.maxBatchEvents,
      headFailureLimit: config.headFailureLimit,
      blockedRetryMs: config.blockedRetryMs,
      maxRetryAfterMs: config.maxRetryAfterMs,
    };
    this.random = options.random ?? Math.random;
    const { ackedThrough, lastSequence } = options.outbox.watermarks();
    this.state = initialSyncState(ackedThrough, lastSequence, this.policy);
    options.outbox.onCommitted((lastSequence) => {
      this.state = evolve(this.state, { type: 'appended', lastSequence }, this.policy);
      this.loop.wake();
    });
  }

  private now(): number {
    return this.options.outbox.clock.nowMs();
  }

  /** One decide/act/evolve round. Does not sleep: a `wait` step says until when. */
  async syncOnce(signal: AbortSignal = new AbortController().signal): Promise<SyncStep> {
    const { outbox, uploader } = this.options;
    const command = decide(this.state, this.now());
    if (command.kind !== 'upload') return command;
    const batch = outbox.readBatch(command.from, command.maxEvents, this.config.maxBatchBytes);
    if (!batch) {
      // The machine's view lags the outbox (should not happen): take the outbox's word.
      const marks = outbox.watermarks();
      this.state = { ...this.state, ackedThrough: marks.ackedThrough, lastSequence: marks.lastSequence };
      return { kind: 'idle' };
    }
    this.state = evolve(this.state, { type: 'uploadStarted', from: batch.from, to: batch.to, at: this.now() }, this.policy);
    const sentMonoMs = outbox.clock.read().monoMs;
    let outcome;
    try {
      outbox.prepareToSend(batch.to);
      outcome = await uploader.upload(batch, { signal, createdMs: this.now() });
    } catch (err) {
      if (signal.aborted) {
        this.state = evolve(this.state, { type: 'uploadAborted' }, this.policy);
        return { kind: 'aborted' };
      }
      const failure: UploadFailure = { kind: 'http', status: 0, code: 'LOCAL_FAILURE', detail: (err as Error).message.slice(0, 500) };
      this.state = evolve(this.state, { type: 'uploadFailed', failure, at: this.now(), random: this.random() }, this.policy);
      return { kind: 'failed', from: batch.from, to: batch.to, failure };
    }
    if (outcome.serverTime) outbox.clock.observe({ ...outcome.serverTime, sentMonoMs });
    const at = this.now();
    if (!outcome.ok) {
      this.state = evolve(this.state, { type: 'uploadFailed', failure: outcome.failure, at, random: this.random() }, this.policy);
      return { kind: 'failed', from: batch.from, to: batch.to, failure: outcome.failure };
    }
    const { ackedThrough, rejections } = outcome.response;
    // Persist first: if this throws, the machine has not moved and the batch is simply resent.
    const through = Math.min(ackedThrough, batch.to);
    outbox.markDelivered(through, rejections.filter((r) => r.sequence <= through), at);
    this.state = evolve(this.state, { type: 'uploadAcked', ackedThrough, rejections: rejections.length, at }, this.policy);
    outbox.prune(at);
    return { kind: 'uploaded', from: batch.from, to: batch.to, ackedThrough: this.state.ackedThrough };
  }

  /**
   * Runs the loop until `signal` aborts. Only one loop may run at a time (a second call is
   * refused with CONFLICT). Resolves once the loop has stopped cleanly.
   */
  run(signal: AbortSignal): Promise<void> {
    return this.loop.run(signal, async () => this.waitAfter(await this.syncOnce(signal)));
  }

  /** How long the loop sleeps after a step. */
  private waitAfter(step: SyncStep): number {
    switch (step.kind) {
      case 'wait':
        return step.until - this.now();
      case 'idle':
      case 'busy':
        return this.config.idlePollMs;
      case 'uploaded':
      case 'failed':
      case 'aborted':
        return 0;
      default: {
        const never: never = step;
        throw new Error(`Unexpected step ${JSON.stringify(never)}`);
      }
    }
  }

  /** Asks for a sync now (technician, urgent channel `sync-now`): lifts backoff and a blocked head once. */
  requestSync(): void {
    this.state = evolve(this.state, { type: 'syncRequested', at: this.now() }, this.policy);
    this.loop.wake();
  }

  /** True while `run` is looping. */
  isRunning(): boolean {
    return this.loop.isRunning();
  }

  /** Status for the kiosk UI and technicians. */
  status(): SyncStatus {
    const { outbox } = this.options;
    return syncStatusOf(this.state, outbox.stats(), outbox.clock.offsetMs(), this.now());
  }
}
