/**
 * How the event store partitions one kiosk's events (infra/migrations/cassandra/001): the
 * partition is (kiosk_id, bucket) with bucket = floor(sequence / 100000), so a partition holds at
 * most 100,000 events and a kiosk's ordered read walks buckets 0, 1, … up to the bucket of its
 * highest sequence. The bucket is derived from the key, so a redelivered event lands on its row.
 */
export const SEQUENCE_BUCKET_SIZE = 100_000;

/** The bucket that holds `sequence`. */
export function sequenceBucket(sequence: number): number {
  return Math.floor(sequence / SEQUENCE_BUCKET_SIZE);
}

/** The buckets to read, in order, for sequences `from..through` (inclusive). */
export function bucketsBetween(from: number, through: number): number[] {
  if (through < from) return [];
  const buckets: number[] = [];
  for (let b = sequenceBucket(from); b <= sequenceBucket(through); b += 1) buckets.push(b);
  return buckets;
}

/** The UTC calendar day (`YYYY-MM-DD`) of an RFC 3339 time, the day of `events_by_type_day`. */
export function utcDay(time: string): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a time: ${time}`);
  return date.toISOString().slice(0, 10);
}
