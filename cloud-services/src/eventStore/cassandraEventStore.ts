import cassandra from 'cassandra-driver';
import type { ValidEvent } from '@atrium/contracts';
import type { CassandraClient } from './cassandraSession';
import { eventFromRow, eventStoreRow, sequenceRunsByKiosk } from './eventStoreRow';
import { partitionBatches, type PartitionStatement } from './partitionBatches';
import { bucketsBetween } from './sequenceBucket';
import type { SequenceRange } from './sequenceRanges';

const { types } = cassandra;

/** Kinds of summary rows in `kiosk_sequences`. */
export type SequenceKind = 'stored' | 'dead_lettered';

/** One summary row: sequences first..last of a kiosk are stored (or were dead-lettered). */
export interface SequenceSummaryRow extends SequenceRange {
  kind: SequenceKind;
}

// The driver's result stream is a Readable (typed as a plain emitter), so it iterates asynchronously.
const rowStream = (stream: unknown) => stream as AsyncIterable<cassandra.types.Row>;

const INSERT_BY_KIOSK =
  'INSERT INTO events_by_kiosk (kiosk_id, bucket, sequence, id, type, source, time, data, headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
const INSERT_BY_TYPE_DAY = 'INSERT INTO events_by_type_day (type, day, kiosk_id, sequence, id, time) VALUES (?, ?, ?, ?, ?, ?)';
const INSERT_RANGE = 'INSERT INTO kiosk_sequences (kiosk_id, kind, first_seq, last_seq) VALUES (?, ?, ?, ?)';

/** The insert statements for events' rows in both event tables, each with the partition it writes. */
export function eventInsertStatements(events: readonly ValidEvent[]): PartitionStatement[] {
  const statements: PartitionStatement[] = [];
  for (const event of events) {
    const row = eventStoreRow(event);
    const id = types.Uuid.fromString(row.id);
    const day = types.LocalDate.fromString(row.day);
    statements.push({ query: INSERT_BY_KIOSK, params: [row.kioskId, row.bucket, row.sequence, id, row.type, row.source, row.time, row.data, row.headers], partition: ['events_by_kiosk', row.kioskId, row.bucket], bytes: row.data.length + 256 });
    statements.push({ query: INSERT_BY_TYPE_DAY, params: [row.type, day, row.kioskId, row.sequence, id, row.time], partition: ['events_by_type_day', row.type, row.day], bytes: 128 });
  }
  return statements;
}

/**
 * Writes statements as unlogged single-partition batches (one request and one mutation per
 * partition instead of one per row), `concurrency` requests at a time. Resolves only when every
 * batch was acknowledged at the session's consistency level; rejects on the first failure.
 */
async function writePartitions(client: CassandraClient, statements: readonly PartitionStatement[], concurrency: number): Promise<void> {
  const chunks = partitionBatches(statements);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < chunks.length; i = next++) {
      const chunk = chunks[i]!;
      if (chunk.length === 1) await client.execute(chunk[0]!.query, chunk[0]!.params, { prepare: true });
      else await client.batch(chunk.map(({ query, params }) => ({ query, params })), { prepare: true, logged: false });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
}

/** The Cassandra event store: insert-only rows keyed by (kiosk, sequence) and per-kiosk summaries. */
export class CassandraEventStore {
  constructor(
    private readonly client: CassandraClient,
    private readonly concurrency: number,
  ) {}

  /**
   * Writes the events' rows, then the summary ranges of what was written. Resolves only when every
   * insert was acknowledged at the session's consistency level; rejects on the first failure.
   */
  async append(events: readonly ValidEvent[]): Promise<void> {
    if (events.length === 0) return;
    await writePartitions(this.client, eventInsertStatements(events), this.concurrency);
    const runs = sequenceRunsByKiosk(events.map((e) => ({ kioskId: e.kioskid, sequence: e.sequence })));
    await this.recordRanges('stored', runs);
  }

  /** Adds summary rows; rows are facts (never updated), so writing one twice changes nothing. */
  async recordRanges(kind: SequenceKind, runs: ReadonlyMap<string, readonly SequenceRange[]>): Promise<void> {
    const statements = [...runs].flatMap(([kioskId, ranges]) => ranges.map((r) => ({ query: INSERT_RANGE, params: [kioskId, kind, r.first, r.last], partition: ['kiosk_sequences', kioskId], bytes: 64 })));
    if (statements.length === 0) return;
    await writePartitions(this.client, statements, this.concurrency);
  }

  /** Every kiosk with a summary (distinct partition keys of the small summary table). */
  async kioskIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const row of rowStream(this.client.stream('SELECT DISTINCT kiosk_id FROM kiosk_sequences', [], { prepare: true, fetchSize: 1_000 }))) {
      ids.push(String(row.get('kiosk_id')));
    }
    return ids.sort();
  }

  /** The summary rows of one kiosk. */
  async summaryRows(kioskId: string): Promise<SequenceSummaryRow[]> {
    const result = await this.client.execute('SELECT kind, first_seq, last_seq FROM kiosk_sequences WHERE kiosk_id = ?', [kioskId], { prepare: true, fetchSize: 100_000 });
    return result.rows.map((row) => ({ kind: row.get('kind') as SequenceKind, first: Number(row.get('first_seq')), last: Number(row.get('last_seq')) }));
  }

  /**
   * Replaces one kiosk's summary rows by their union: writes the merged rows first, then deletes
   * each row the merge subsumes. A row a writer adds meanwhile is a fact the merge either implies
   * or never read, so nothing it says can be lost.
   */
  async compactSummary(kioskId: string, kind: SequenceKind, rows: readonly SequenceRange[], merged: readonly SequenceRange[]): Promise<void> {
    const keep = new Set(merged.map((r) => `${r.first}-${r.last}`));
    await this.recordRanges(kind, new Map([[kioskId, merged.filter((r) => !rows.some((x) => x.first === r.first && x.last === r.last))]]));
    const drop = rows.filter((r) => !keep.has(`${r.first}-${r.last}`));
    if (drop.length === 0) return;
    await writePartitions(
      this.client,
      drop.map((r) => ({ query: 'DELETE FROM kiosk_sequences WHERE kiosk_id = ? AND kind = ? AND first_seq = ? AND last_seq = ?', params: [kioskId, kind, r.first, r.last], partition: ['kiosk_sequences', kioskId], bytes: 64 })),
      this.concurrency,
    );
  }

  /** One kiosk's events in sequence order, from `from` through `through`, bucket by bucket. */
  async *readKiosk(kioskId: string, from: number, through: number): AsyncGenerator<ValidEvent> {
    for (const bucket of bucketsBetween(from, through)) {
      const rows = this.client.stream(
        'SELECT kiosk_id, data, headers FROM events_by_kiosk WHERE kiosk_id = ? AND bucket = ? AND sequence >= ? AND sequence <= ?',
        [kioskId, bucket, from, through],
        { prepare: true, fetchSize: 1_000 },
      );
      for await (const row of rowStream(rows)) {
        yield eventFromRow({ kioskId, data: row.get('data') as Buffer | null, headers: row.get('headers') as Record<string, string> | null });
      }
    }
  }

  /** Keys of the events of one type on one UTC day. */
  async eventsOfTypeOnDay(type: string, day: string): Promise<{ kioskId: string; sequence: number; id: string }[]> {
    const result = await this.client.execute('SELECT kiosk_id, sequence, id FROM events_by_type_day WHERE type = ? AND day = ?', [type, types.LocalDate.fromString(day)], {
      prepare: true,
      fetchSize: 100_000,
    });
    return result.rows.map((row) => ({ kioskId: String(row.get('kiosk_id')), sequence: Number(row.get('sequence')), id: String(row.get('id')) }));
  }
}
