import Kafka from 'node-rdkafka';
import type { FastifyBaseLogger } from 'fastify';
import type { EventProducer, ProducerRecord } from './eventProducer';

/** Tracks one `send`: resolved when its last delivery report arrives, rejected on the first error. */
interface Tracker {
  remaining: number;
  failed: boolean;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The node-rdkafka (librdkafka) adapter: idempotent, acks=all, and a `send` resolves only on the
 * delivery reports of all its records. librdkafka batches records from concurrent uploads itself
 * (`linger.ms`), and `message.timeout.ms` bounds how long a record can stay undelivered, so every
 * send settles eventually and the in-flight budget is always given back.
 */
export class RdkafkaEventProducer implements EventProducer {
  readonly adapter = 'rdkafka' as const;
  private readonly producer: Kafka.Producer;
  private outstanding = 0;
  private drained: Array<() => void> = [];

  constructor(brokers: readonly string[], log: FastifyBaseLogger, options: { messageTimeoutMs?: number; clientId?: string } = {}) {
    this.producer = new Kafka.Producer({
      'client.id': options.clientId ?? 'atrium-sync-gateway',
      'metadata.broker.list': brokers.join(','),
      'enable.idempotence': true,
      dr_cb: true,
      'linger.ms': 2,
      'socket.keepalive.enable': true,
      // Acknowledgement latency is what an upload waits for: no Nagle delay on produce requests.
      'socket.nagle.disable': true,
      'reconnect.backoff.max.ms': 1_000,
      'topic.metadata.refresh.interval.ms': 30_000,
    }, { 'request.required.acks': -1, 'message.timeout.ms': options.messageTimeoutMs ?? 20_000 });
    this.producer.setPollInterval(1);
    this.producer.on('delivery-report', (err, report) => this.delivered(err, report.opaque as Tracker));
    this.producer.on('event.error', (err) => log.warn({ err }, 'librdkafka reported an error'));
  }

  connect(): Promise<void> {
    if (this.producer.isConnected()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.producer.connect({ timeout: 5_000 }, (err) => (err ? reject(err) : resolve()));
    });
  }

  send(records: readonly ProducerRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const tracker: Tracker = { remaining: records.length, failed: false, resolve, reject };
      this.outstanding += 1;
      for (const r of records) {
        const headers = Object.entries(r.headers).map(([k, v]) => ({ [k]: v }));
        try {
          this.producer.produce(r.topic, null, Buffer.from(r.value), r.key, null, tracker, headers);
        } catch (err) {
          // The local queue refused it (full, or not connected): records already queued still
          // report; this one and the rest never will.
          const notQueued = records.length - records.indexOf(r);
          tracker.remaining -= notQueued;
          this.fail(tracker, err);
          if (tracker.remaining === 0) this.settled();
          return;
        }
      }
    });
  }

  ping(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.producer.isConnected()) return reject(new Error('The producer is not connected'));
      this.producer.getMetadata({ timeout: timeoutMs }, (err, metadata) => {
        if (err) return reject(err);
        if (metadata.brokers.length === 0) return reject(new Error('No broker in the metadata'));
        resolve();
      });
    });
  }

  async disconnect(timeoutMs: number): Promise<void> {
    if (this.outstanding > 0) {
      await Promise.race([new Promise<void>((resolve) => this.drained.push(resolve)), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    }
    if (!this.producer.isConnected()) return;
    await new Promise<void>((resolve) => this.producer.flush(Math.max(100, timeoutMs), () => resolve()));
    this.producer.setPollInterval(0);
    await new Promise<void>((resolve) => this.producer.disconnect(timeoutMs, () => resolve()));
  }

  private delivered(err: unknown, tracker: Tracker): void {
    tracker.remaining -= 1;
    if (err) this.fail(tracker, err);
    if (tracker.remaining === 0) {
      if (!tracker.failed) tracker.resolve();
      this.settled();
    }
  }

  private fail(tracker: Tracker, err: unknown): void {
    if (tracker.failed) return;
    tracker.failed = true;
    tracker.reject(err);
  }

  private settled(): void {
    this.outstanding -= 1;
    if (this.outstanding === 0) {
      for (const resolve of this.drained.splice(0)) resolve();
    }
  }
}
