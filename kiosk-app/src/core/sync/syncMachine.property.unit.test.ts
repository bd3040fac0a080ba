import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decide, evolve, initialSyncState, type SyncPolicy, type SyncState, type UploadFailure } from './syncMachine';

/**
 * Model-based check of the upload loop: a model outbox (what SQLite would hold), the pure
 * machine, and a model receiver that deduplicates by sequence and refuses gaps like the
 * gateway. Any interleaving of appends, uploads, acknowledgements, rejections, failures,
 * lost replies, crashes and restarts must deliver every event exactly once, in order.
 */

const policy: SyncPolicy = { backoff: { baseMs: 100, capMs: 10_000 }, maxBatchEvents: 8, headFailureLimit: 3, blockedRetryMs: 60_000, maxRetryAfterMs: 30_000 };

type Outcome =
  | { kind: 'ok' }
  | { kind: 'reply-lost' }
  | { kind: 'partial'; keep: number }
  | { kind: 'reject'; every: number }
  | { kind: 'unavailable'; retryAfterS: number }
  | { kind: 'network' }
  | { kind: 'too-large' };

type Step = { kind: 'append'; count: number } | { kind: 'step'; outcome: Outcome } | { kind: 'crash' } | { kind: 'prune' } | { kind: 'sync-now' };

const outcome: fc.Arbitrary<Outcome> = fc.oneof(
  fc.constant<Outcome>({ kind: 'ok' }),
  fc.constant<Outcome>({ kind: 'reply-lost' }),
  fc.integer({ min: 0, max: 8 }).map<Outcome>((keep) => ({ kind: 'partial', keep })),
  fc.integer({ min: 1, max: 4 }).map<Outcome>((every) => ({ kind: 'reject', every })),
  fc.integer({ min: 0, max: 40 }).map<Outcome>((retryAfterS) => ({ kind: 'unavailable', retryAfterS })),
  fc.constant<Outcome>({ kind: 'network' }),
  fc.constant<Outcome>({ kind: 'too-large' }),
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 12 }).map<Step>((count) => ({ kind: 'append', count })) },
  { weight: 5, arbitrary: outcome.map<Step>((o) => ({ kind: 'step', outcome: o })) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'crash' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'prune' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'sync-now' }) },
);

/** What SQLite keeps across crashes. */
interface ModelStore {
  rows: Map<number, string>;
  lastSequence: number;
  ackedThrough: number;
}

/** The gateway as the kiosk sees it: dedups by sequence, refuses gaps, acknowledges rejections too. */
class ModelReceiver {
  watermark = 0;
  readonly delivered: number[] = [];
  readonly rejected = new Set<number>();
  receive(batch: number[], keep: number, rejectEvery: number): { ackedThrough: number; rejections: number } | 'gap' {
    let rejections = 0;
    let processed = 0;
    for (const sequence of batch) {
      if (processed >= keep) break;
      if (sequence <= this.watermark) continue;
      if (sequence > this.watermark + 1) return processed === 0 ? 'gap' : { ackedThrough: this.watermark, rejections };
      if (rejectEvery > 0 && sequence % rejectEvery === 0) {
        this.rejected.add(sequence);
        rejections += 1;
      } else {
        this.delivered.push(sequence);
      }
      this.watermark = sequence;
      processed += 1;
    }
    return { ackedThrough: this.watermark, rejections };
  }
}

class World {
  store: ModelStore = { rows: new Map(), lastSequence: 0, ackedThrough: 0 };
  receiver = new ModelReceiver();
  state: SyncState = initialSyncState(0, 0, policy);
  now = 1_000;

  append(count: number): void {
    for (let i = 0; i < count; i++) {
      const sequence = ++this.store.lastSequence;
      this.store.rows.set(sequence, `event-${sequence}`);
    }
    this.state = evolve(this.state, { type: 'appended', lastSequence: this.store.lastSequence }, policy);
  }

  crash(): void {
    this.state = initialSyncState(this.store.ackedThrough, this.store.lastSequence, policy);
  }

  prune(): void {
    for (const sequence of [...this.store.rows.keys()]) if (sequence <= this.store.ackedThrough) this.store.rows.delete(sequence);
  }

  /** One decide/act/evolve round; returns false when there is nothing to send. */
  run(o: Outcome): boolean {
    let command = decide(this.state, this.now);
    if (command.kind === 'wait') {
      this.now = command.until;
      command = decide(this.state, this.now);
    }
    if (command.kind !== 'upload') return false;
    const to = Math.min(this.store.lastSequence, command.from + command.maxEvents - 1);
    const batch: number[] = [];
    for (let s = command.from; s <= to; s++) {
      if (!this.store.rows.has(s)) throw new Error(`sequence ${s} is not in the outbox but was never acknowledged`);
      batch.push(s);
    }
    this.state = evolve(this.state, { type: 'uploadStarted', from: command.from, to, at: this.now }, policy);
    this.now += 5;
    const fail = (failure: UploadFailure): void => {
      this.state = evolve(this.state, { type: 'uploadFailed', failure, at: this.now, random: 0.5 }, policy);
    };
    switch (o.kind) {
      case 'network':
        fail({ kind: 'network', code: 'NETWORK', detail: 'reset' });
        return true;
      case 'unavailable':
        fail({ kind: 'http', status: 503, code: 'BACKEND_UNAVAILABLE', detail: '', retryAfterMs: o.retryAfterS * 1000 });
        return true;
      case 'too-large':
        fail({ kind: 'http', status: 413, code: 'BATCH_TOO_MANY_EVENTS', detail: '' });
        return true;
      case 'ok':
      case 'reply-lost':
      case 'partial':
      case 'reject': {
        const reply = this.receiver.receive(batch, o.kind === 'partial' ? o.keep : Infinity, o.kind === 'reject' ? o.every : 0);
        if (reply === 'gap') {
          fail({ kind: 'http', status: 422, code: 'SEQUENCE_GAP', detail: '' });
        } else if (o.kind === 'reply-lost') {
          fail({ kind: 'network', code: 'NETWORK', detail: 'socket hang up' });
        } else {
          this.state = evolve(this.state, { type: 'uploadAcked', ackedThrough: reply.ackedThrough, rejections: reply.rejections, at: this.now }, policy);
          // the edge persists exactly what the machine now believes
          this.store.ackedThrough = this.state.ackedThrough;
        }
        return true;
      }
      default: {
        const never: never = o;
        return never;
      }
    }
  }
}

describe('outbox and sync state machine (model-based)', () => {
  it('deliver every event exactly once, in sequence order, whatever happens', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const world = new World();
        for (const s of steps) {
          switch (s.kind) {
            case 'append':
              world.append(s.count);
              break;
            case 'step':
              world.run(s.outcome);
              break;
            case 'crash':
              world.crash();
              break;
            case 'prune':
              world.prune();
              break;
            case 'sync-now':
              world.state = evolve(world.state, { type: 'syncRequested', at: world.now }, policy);
              break;
            default: {
              const never: never = s;
              throw new Error(String(never));
            }
          }
          // the kiosk never believes more is delivered than the receiver has
          expect(world.store.ackedThrough).toBeLessThanOrEqual(world.receiver.watermark);
          // nothing unacknowledged is ever gone from the outbox
          for (let q = world.store.ackedThrough + 1; q <= world.store.lastSequence; q++) expect(world.store.rows.has(q)).toBe(true);
        }
        // then the network heals: drain
        for (let i = 0; i < 10_000 && world.state.ackedThrough < world.store.lastSequence; i++) {
          if (world.state.head?.blocked) world.state = evolve(world.state, { type: 'syncRequested', at: world.now }, policy);
          world.run({ kind: 'ok' });
        }
        const n = world.store.lastSequence;
        const all = [...world.receiver.delivered, ...world.receiver.rejected].sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        expect(world.receiver.delivered).toEqual([...world.receiver.delivered].sort((a, b) => a - b));
        expect(world.store.ackedThrough).toBe(n);
      }),
      { numRuns: 400 },
    );
  });
});
