import { fromKafkaRecord, toKafkaRecord, validateEvent, type ValidEvent } from '@atrium/contracts';
import { runsOf, type SequenceRange } from './sequenceRanges';
import { sequenceBucket, utcDay } from './sequenceBucket';

/**
 * One event as the event store keeps it: the CloudEvents Kafka binary record (headers and data
 * bytes), so reading it back is the same decoding the consumers do, plus the key columns.
 */
export interface EventStoreRow {
  kioskId: string;
  bucket: number;
  sequence: number;
  id: string;
  type: string;
  source: string;
  time: Date;
  day: string;
  data: Buffer;
  headers: Record<string, string>;
}

/** Maps a valid event to its row; every column comes from the event, so a rewrite is identical. */
export function eventStoreRow(event: ValidEvent): EventStoreRow {
  const record = toKafkaRecord(event);
  return {
    kioskId: event.kioskid,
    bucket: sequenceBucket(event.sequence),
    sequence: event.sequence,
    id: event.id,
    type: event.type,
    source: event.source,
    time: new Date(event.time),
    day: utcDay(event.time),
    data: Buffer.from(record.value, 'utf8'),
    headers: record.headers,
  };
}

/** Reads a stored row back into the event (throws if the stored bytes no longer validate). */
export function eventFromRow(row: { kioskId: string; data: Buffer | null; headers: Record<string, string> | null }): ValidEvent {
  const decoded = fromKafkaRecord({ key: row.kioskId, value: row.data ? row.data.toString('utf8') : null, headers: row.headers ?? {} });
  if (!decoded.ok) throw new Error(`stored event of ${row.kioskId} does not decode: ${decoded.message}`);
  const validation = validateEvent(decoded.event);
  if (!validation.ok) throw new Error(`stored event of ${row.kioskId} does not validate: ${validation.errors.map((e) => e.message).join('; ')}`);
  return validation.event;
}

/** The contiguous runs of sequences per kiosk among `events`: the summary rows a batch adds. */
export function sequenceRunsByKiosk(items: readonly { kioskId: string; sequence: number }[]): Map<string, SequenceRange[]> {
  const byKiosk = new Map<string, number[]>();
  for (const { kioskId, sequence } of items) {
    const list = byKiosk.get(kioskId) ?? [];
    list.push(sequence);
    byKiosk.set(kioskId, list);
  }
  return new Map([...byKiosk].map(([kioskId, seqs]) => [kioskId, runsOf(seqs)]));
}
