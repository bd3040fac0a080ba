import { Kafka, logLevel, type ITopicConfig } from 'kafkajs';
import { topics } from '@atrium/contracts';
import type { Report } from '../progress';

/** Partitions of the kiosk-events topic locally: kiosk ids hash across them, each kiosk's events stay in order on one. */
const KIOSK_EVENT_PARTITIONS = 3;

/**
 * The topics Atrium needs, for a cluster of `brokers` brokers. They are made here rather than
 * left to the broker's auto-creation: the gateway must not meet a missing topic on a fresh
 * stack (its first batches would be refused until the broker made one), and with three brokers
 * every topic is replicated three times and acknowledges a write only from two in-sync replicas.
 */
export function atriumTopics(brokers: number): ITopicConfig[] {
  const replicationFactor = Math.min(brokers, 3);
  const configEntries = replicationFactor >= 3 ? [{ name: 'min.insync.replicas', value: '2' }] : [];
  return [
    { topic: topics.kioskEvents, numPartitions: KIOSK_EVENT_PARTITIONS, replicationFactor, configEntries },
    { topic: topics.ingestDeadLetter, numPartitions: 1, replicationFactor, configEntries },
    { topic: topics.processingDeadLetter, numPartitions: 1, replicationFactor, configEntries },
  ];
}

/** Creates the topics that are missing (leaving existing ones as they are); returns the names it created. */
export async function ensureKafkaTopics(brokers: readonly string[], report: Report): Promise<string[]> {
  const admin = new Kafka({ clientId: 'atrium-migrate', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = atriumTopics(brokers.length).filter((t) => !existing.has(t.topic));
    for (const t of missing) report(`kafka: creating topic ${t.topic} (${t.numPartitions} partitions, replication ${t.replicationFactor})`);
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}
