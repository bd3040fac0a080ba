import type { KafkaMessage, Producer } from 'kafkajs';
import { deadLetterHeaders, topics, type ErrorCode } from '@atrium/contracts';

/** Why and where a record was dead-lettered. */
export interface DeadLetterReason {
  code: ErrorCode;
  reason: string;
  /** The consumer that gave up: `event-store` or a projection name. */
  stage: string;
}

/** Sends records to the processing dead-letter topic with their original key, value and headers. */
export interface DeadLetterSink {
  send(items: readonly { message: KafkaMessage; why: DeadLetterReason }[], failedAt: Date): Promise<void>;
}

/** A sink on a kafkajs producer (idempotent, acks from all in-sync replicas). */
export function kafkaDeadLetterSink(producer: Producer, topic: string = topics.processingDeadLetter): DeadLetterSink {
  return {
    async send(items, failedAt) {
      if (items.length === 0) return;
      await producer.send({
        topic,
        acks: -1,
        messages: items.map(({ message, why }) => ({
          key: message.key,
          value: message.value,
          headers: {
            ...(message.headers ?? {}),
            [deadLetterHeaders.reason]: why.reason.slice(0, 2_000),
            [deadLetterHeaders.code]: why.code,
            [deadLetterHeaders.stage]: why.stage,
            [deadLetterHeaders.failedAt]: failedAt.toISOString(),
          },
        })),
      });
    },
  };
}
