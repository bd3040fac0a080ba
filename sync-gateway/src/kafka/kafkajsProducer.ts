import { connect } from 'node:net';
import { Kafka, logLevel, type ISocketFactory, type Producer, type TopicMessages, type LogEntry } from 'kafkajs';
import type { FastifyBaseLogger } from 'fastify';
import type { EventProducer, ProducerRecord } from './eventProducer';

interface Waiting {
  records: readonly ProducerRecord[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

function kafkajsLogger(log: FastifyBaseLogger) {
  return () =>
    ({ level, log: entry }: LogEntry) => {
      const { message, ...extra } = entry;
      // kafkajs reports every refused connection as an error; the gateway answers 503 for those,
      // so they are warnings here and the 5xx metrics carry the signal.
      if (level <= logLevel.WARN) log.warn({ kafkajs: extra }, message);
    };
}

// kafkajs's own socket factory leaves Nagle's algorithm on, which holds small produce requests
// back behind delayed ACKs; the gateway waits on every acknowledgement, so it turns it off.
const noDelaySocketFactory: ISocketFactory = ({ host, port, onConnect }) => {
  const socket = connect({ host, port, noDelay: true }, onConnect);
  socket.setKeepAlive(true, 60_000);
  return socket;
};

/**
 * The kafkajs adapter. An idempotent producer allows one request in flight, so sends that
 * arrive while one is in flight are gathered into the next `sendBatch`: concurrent uploads
 * share one produce request instead of queueing one by one.
 */
export class KafkajsEventProducer implements EventProducer {
  readonly adapter = 'kafkajs' as const;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private queue: Waiting[] = [];
  private flushing: Promise<void> | undefined;

  constructor(brokers: readonly string[], log: FastifyBaseLogger, clientId = 'atrium-sync-gateway') {
    this.kafka = new Kafka({
      clientId,
      brokers: [...brokers],
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogger(log),
      socketFactory: noDelaySocketFactory,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      // Bounded, so a send to a dead cluster fails and frees its budget instead of retrying forever.
      retry: { retries: 6, initialRetryTime: 200, maxRetryTime: 3_000 },
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  send(records: readonly ProducerRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  async ping(timeoutMs: number): Promise<void> {
    const admin = this.kafka.admin();
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Kafka did not answer in time')), timeoutMs).unref());
    try {
      await Promise.race([admin.connect().then(() => admin.describeCluster()), timeout]);
    } finally {
      void admin.disconnect().catch(() => undefined);
    }
  }

  async disconnect(timeoutMs: number): Promise<void> {
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([this.flushing ?? Promise.resolve(), deadline]);
    await this.producer.disconnect();
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const byTopic = new Map<string, TopicMessages>();
      for (const waiting of batch) {
        for (const r of waiting.records) {
          let topic = byTopic.get(r.topic);
          if (!topic) byTopic.set(r.topic, (topic = { topic: r.topic, messages: [] }));
          topic.messages.push({ key: r.key, value: r.value, headers: r.headers });
        }
      }
      try {
        await this.producer.sendBatch({ topicMessages: [...byTopic.values()], acks: -1, timeout: 10_000 });
        for (const waiting of batch) waiting.resolve();
      } catch (err) {
        for (const waiting of batch) waiting.reject(err);
      }
    }
    this.flushing = undefined;
  }
}
