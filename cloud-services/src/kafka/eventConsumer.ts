import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { ValidEvent } from '@atrium/contracts';
import type { Logger } from '../log/logger';
import type { ServiceMetrics } from '../metrics/serviceMetrics';
import { decodeRecord, type DecodedRecord } from './decodeRecord';
import type { DeadLetterReason, DeadLetterSink } from './deadLetter';
import { failureKind } from './failureKind';
import { retryDelay } from './retryDelay';

/** An event that a stage gave up on, as the stage's `deadLettered` hook hears of it. */
export interface DeadLettered {
  kioskId?: string;
  sequence?: number;
  event?: ValidEvent;
  why: DeadLetterReason;
}

/** What a consumer stage does with the valid events of one partition batch. */
export interface EventApplier {
  /** Stage name, written into dead-letter headers (`event-store` or a projection name). */
  readonly stage: string;
  /** Applies events in partition order. Must be idempotent: a redelivery calls it again. */
  apply(events: readonly ValidEvent[]): Promise<void>;
  /** Records, after they reached the dead-letter topic, which events this stage did not apply. */
  deadLettered?(items: readonly DeadLettered[]): Promise<void>;
}

/** How a consumer runs. */
export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  applier: EventApplier;
  deadLetters: DeadLetterSink;
  log: Logger;
  metrics: ServiceMetrics;
  retry: { initialMs: number; maxMs: number };
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  /** Where a group with no committed offset starts; default the beginning. */
  fromBeginning?: boolean;
  now?: () => Date;
}

/** A running consumer's state, for /readyz and the ops API. */
export interface ConsumerStatus {
  stage: string;
  running: boolean;
  /** Set while the stage waits for a database to come back. */
  pausedSince: string | null;
  lastError: string | null;
}

/** A consumer group member that applies events and commits offsets only after they took effect. */
export interface EventConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): ConsumerStatus;
}

class BatchAbandoned extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `applier` under a Kafka consumer group. Per partition batch: decode and validate; apply the
 * valid events (a non-transient failure of the whole batch is narrowed down event by event); send
 * poison to the dead-letter topic; then commit. A transient failure pauses the batch and retries it,
 * heartbeating, with nothing committed; a rebalance or stop abandons it, to be redone by whoever
 * owns the partition next, which is safe because every sink is idempotent.
 */
export function createEventConsumer(options: EventConsumerOptions): EventConsumer {
  const { applier, log, metrics } = options;
  const stage = applier.stage;
  const now = options.now ?? (() => new Date());
  let consumer: Consumer | undefined;
  let running = false;
  let pausedSince: Date | null = null;
  let lastError: string | null = null;
  const sessionTimeoutMs = options.sessionTimeoutMs ?? 30_000;
  const heartbeatIntervalMs = Math.max(1_000, Math.floor(sessionTimeoutMs / 10));

  async function withRetry<T>(payload: EachBatchPayload, what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await keepingMembership(payload, fn);
        if (pausedSince) log.info({ stage, pausedMs: now().getTime() - pausedSince.getTime() }, `${stage}: resumed`);
        pausedSince = null;
        metrics.paused.set({ stage }, 0);
        return result;
      } catch (error) {
        if (failureKind(error) === 'poison') throw error;
        lastError = (error as Error).message;
        if (!pausedSince) {
          pausedSince = now();
          metrics.paused.set({ stage }, 1);
          log.warn({ stage, err: error, what }, `${stage}: transient failure, pausing`);
        }
        metrics.retries.inc({ stage });
        if (!payload.isRunning() || payload.isStale()) throw new BatchAbandoned(`${stage}: batch abandoned (${what})`);
        await sleep(retryDelay(attempt, options.retry.initialMs, options.retry.maxMs));
        // A refused heartbeat means the group is rebalancing: this member may lose the partition,
        // so the batch is given up (nothing committed) rather than let the error pass for the event's.
        await payload.heartbeat().catch((heartbeatError: unknown) => {
          throw new BatchAbandoned(`${stage}: batch abandoned (${what}; heartbeat: ${(heartbeatError as Error).message})`);
        });
      }
    }
  }

  /**
   * Runs `fn` while heartbeating. A database that stalls rather than refuses (a server stopping, a
   * socket half-open) can hold one attempt longer than the session timeout; without heartbeats the
   * group would drop this member mid-batch and the stage would sit out a rebalance for nothing.
   */
  async function keepingMembership<T>(payload: EachBatchPayload, fn: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => log.debug({ stage, err: error }, `${stage}: heartbeat during a slow attempt failed`));
    }, heartbeatIntervalMs);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  /** Applies all; on a poison failure, applies one by one and returns the events that failed. */
  async function applyNarrowing(payload: EachBatchPayload, events: readonly ValidEvent[]): Promise<DeadLettered[]> {
    if (events.length === 0) return [];
    try {
      await withRetry(payload, 'apply', () => applier.apply(events));
      return [];
    } catch (error) {
      // Only the event's own fault narrows; anything else (a rebalance, a stop) redoes the batch.
      if (error instanceof BatchAbandoned || failureKind(error) !== 'poison') throw error;
      if (events.length === 1) return [poisonOf(events[0]!, error)];
    }
    const failed: DeadLettered[] = [];
    for (const event of events) {
      try {
        await withRetry(payload, 'apply one', () => applier.apply([event]));
      } catch (error) {
        if (error instanceof BatchAbandoned || failureKind(error) !== 'poison') throw error;
        failed.push(poisonOf(event, error));
      }
    }
    return failed;
  }

  function poisonOf(event: ValidEvent, error: unknown): DeadLettered {
    log.error({ stage, err: error, kioskId: event.kioskid, sequence: event.sequence }, `${stage}: event cannot be applied, dead-lettering`);
    return { kioskId: event.kioskid, sequence: event.sequence, event, why: { code: 'EVENT_INVALID', reason: (error as Error).message || String(error), stage } };
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const startedAt = Date.now();
    const decoded: DecodedRecord[] = batch.messages.map(decodeRecord);
    const valid = decoded.flatMap((d) => (d.ok ? [d.event] : []));
    const messageOf = new Map(decoded.map((d, i) => [d.ok ? `${d.event.kioskid}#${d.event.sequence}` : `#${i}`, batch.messages[i]!]));
    try {
      const failed = await applyNarrowing(payload, valid);
      const invalid: DeadLettered[] = decoded.flatMap((d) =>
        d.ok ? [] : [{ ...(d.kioskId ? { kioskId: d.kioskId } : {}), ...(d.sequence ? { sequence: d.sequence } : {}), why: { code: d.code, reason: d.reason, stage } }],
      );
      const invalidMessages = decoded.flatMap((d) => (d.ok ? [] : [d.message]));
      const dead = [...invalid, ...failed];
      if (dead.length > 0) {
        const items = [
          ...invalid.map((d, i) => ({ message: invalidMessages[i]!, why: d.why })),
          ...failed.map((d) => ({ message: messageOf.get(`${d.kioskId}#${d.sequence}`)!, why: d.why })),
        ];
        await withRetry(payload, 'dead-letter', () => options.deadLetters.send(items, now()));
        if (applier.deadLettered) await withRetry(payload, 'record dead letters', () => applier.deadLettered!(dead));
        metrics.events.inc({ stage, outcome: 'dead_lettered' }, dead.length);
      }
      metrics.events.inc({ stage, outcome: 'applied' }, valid.length - failed.length);
      const last = batch.messages[batch.messages.length - 1]!.offset;
      payload.resolveOffset(last);
      const appliedAt = Date.now();
      await withRetry(payload, 'commit', () =>
        consumer!.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]),
      );
      lastError = null;
      // Where a batch's time goes (the pipeline benchmark's per-hop breakdown reads these).
      log.debug({ stage, partition: batch.partition, firstOffset: batch.messages[0]!.offset, lastOffset: last, events: batch.messages.length, startedAt, appliedAt }, `${stage}: batch committed`);
    } catch (error) {
      if (error instanceof BatchAbandoned) {
        log.info({ stage, partition: batch.partition }, error.message);
        return;
      }
      throw error;
    }
  }

  return {
    async start() {
      consumer = options.kafka.consumer({
        groupId: options.groupId,
        sessionTimeout: sessionTimeoutMs,
        heartbeatInterval: heartbeatIntervalMs,
        retry: { retries: 10 },
      });
      consumer.on(consumer.events.CRASH, (e) => log.error({ stage, err: e.payload.error }, `${stage}: consumer crashed`));
      if (log.isLevelEnabled('debug')) consumer.on(consumer.events.FETCH, (e) => log.debug({ stage, fetch: e.payload }, `${stage}: fetched`));
      await consumer.connect();
      await consumer.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning ?? true });
      running = true;
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
        eachBatch,
      });
      log.info({ stage, groupId: options.groupId, topic: options.topic }, `${stage}: consuming`);
    },
    async stop() {
      running = false;
      await consumer?.disconnect();
      consumer = undefined;
    },
    status() {
      return { stage, running, pausedSince: pausedSince?.toISOString() ?? null, lastError };
    },
  };
}
