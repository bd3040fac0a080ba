import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

/** One record of the dead-letter topic, with where it sits. */
export interface DeadLetterRecord {
  partition: number;
  offset: string;
  message: KafkaMessage;
}

/**
 * Reads the dead-letter topic once, from its beginning up to the end it had when the read began
 * (records added meanwhile wait for the next run), handing each record to `onRecord` in order.
 * A throwaway consumer group is used and deleted afterwards, so nothing is committed anywhere:
 * re-reading is safe because every redrive applies an event only while its dead-letter mark exists.
 */
export async function readDeadLetters(kafka: Kafka, topic: string, groupPrefix: string, onRecord: (record: DeadLetterRecord) => Promise<void>, timeoutMs = 300_000): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${groupPrefix}.redrive.${randomUUID()}`;
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const pending = new Map(ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
    if (pending.size === 0) return 0;
    const consumer = kafka.consumer({ groupId });
    let read = 0;
    let finish!: () => void;
    let fail!: (error: Error) => void;
    const finished = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const timer = setTimeout(() => fail(new Error(`dead-letter topic ${topic} not read to its end within ${timeoutMs} ms`)), timeoutMs);
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const end = pending.get(partition);
          if (end === undefined) return;
          if (BigInt(message.offset) < end) {
            read += 1;
            await onRecord({ partition, offset: message.offset, message }).catch((error: Error) => fail(error));
          }
          if (BigInt(message.offset) + 1n >= end) {
            pending.delete(partition);
            if (pending.size === 0) finish();
          }
        },
      });
      await finished;
      return read;
    } finally {
      clearTimeout(timer);
      await consumer.disconnect().catch(() => undefined);
    }
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
