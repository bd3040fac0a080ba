/** One record for Kafka: topic, key, value and headers (strings; adapters make the bytes). */
export interface ProducerRecord {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * An idempotent Kafka producer with acks=all. `send` resolves only when Kafka acknowledged
 * every record (for node-rdkafka: when every delivery report came back without error) and
 * rejects if any record failed. Both adapters must pass the same integration suite.
 */
export interface EventProducer {
  readonly adapter: 'kafkajs' | 'rdkafka';
  /** Connects; rejects when the brokers cannot be reached (the caller retries). */
  connect(): Promise<void>;
  /** Resolves when Kafka acknowledged every record. */
  send(records: readonly ProducerRecord[]): Promise<void>;
  /** Resolves when the cluster answers a metadata request within `timeoutMs`. */
  ping(timeoutMs: number): Promise<void>;
  /** Waits for outstanding sends (up to `timeoutMs`), then closes. */
  disconnect(timeoutMs: number): Promise<void>;
}

/** Bytes a record occupies in memory, roughly: what the in-flight budget counts. */
export function recordBytes(record: ProducerRecord): number {
  let bytes = record.key.length + record.value.length + 64;
  for (const name in record.headers) bytes += name.length + (record.headers[name]?.length ?? 0);
  return bytes;
}
