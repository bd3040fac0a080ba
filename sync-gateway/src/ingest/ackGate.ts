import { AtriumError } from '@atrium/contracts';
import type { EventProducer, ProducerRecord } from '../kafka/eventProducer';
import { recordBytes } from '../kafka/eventProducer';

/** Limits of the gate: how long a reply waits for Kafka and how much may wait at once. */
export interface AckGateLimits {
  produceTimeoutMs: number;
  inFlightBytes: number;
  retryAfterS: number;
}

/**
 * Stands between the ingest route and the producer. A batch is answered only when Kafka
 * acknowledged it; if that takes longer than the produce timeout, or the bytes awaiting
 * acknowledgement exceed the budget, the reply is 503 BACKEND_UNAVAILABLE with Retry-After at
 * once. A timed-out send keeps its share of the budget until the producer settles it, so memory
 * stays bounded however slow Kafka is. On shutdown new batches get 503 SHUTTING_DOWN while the
 * ones in flight finish.
 */
export class AckGate {
  private bytesInFlight = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing = false;

  constructor(
    private readonly producer: EventProducer,
    private readonly limits: AckGateLimits,
  ) {}

  /** Bytes of records waiting for Kafka now. */
  get pendingBytes(): number {
    return this.bytesInFlight;
  }

  /** Resolves when Kafka acknowledged every record; throws a 503 AtriumError otherwise. */
  async produce(records: readonly ProducerRecord[]): Promise<void> {
    if (this.closing) throw new AtriumError('SHUTTING_DOWN', undefined, { retryAfterS: this.limits.retryAfterS });
    if (records.length === 0) return;
    let bytes = 0;
    for (const r of records) bytes += recordBytes(r);
    if (this.bytesInFlight + bytes > this.limits.inFlightBytes) {
      throw new AtriumError('BACKEND_UNAVAILABLE', 'Kafka is not keeping up; too much is waiting for acknowledgement', { retryAfterS: this.limits.retryAfterS });
    }
    this.bytesInFlight += bytes;
    const sent = this.producer.send(records);
    const tracked = sent.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => {
      this.bytesInFlight -= bytes;
      this.inFlight.delete(tracked);
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.limits.produceTimeoutMs);
    });
    try {
      const outcome = await Promise.race([sent.then(() => 'acked' as const), timeout]);
      if (outcome === 'timeout') {
        throw new AtriumError('BACKEND_UNAVAILABLE', 'Kafka did not acknowledge in time', { retryAfterS: this.limits.retryAfterS });
      }
    } catch (err) {
      if (err instanceof AtriumError) throw err;
      throw new AtriumError('BACKEND_UNAVAILABLE', 'Kafka did not acknowledge the batch', { retryAfterS: this.limits.retryAfterS, cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Refuses new batches and waits (up to `timeoutMs`) for the ones in flight to settle. */
  async drain(timeoutMs: number): Promise<void> {
    this.closing = true;
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.all([...this.inFlight]), deadline]);
  }
}
