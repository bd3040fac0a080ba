import { AtriumError, type ValidEvent } from '@atrium/contracts';
import type { CassandraClient } from '../eventStore/cassandraSession';
import type { CassandraEventStore } from '../eventStore/cassandraEventStore';
import { eventFromRow } from '../eventStore/eventStoreRow';
import { sequenceBucket } from '../eventStore/sequenceBucket';
import { mergeRanges } from '../eventStore/sequenceRanges';

/** One event of a kiosk's timeline; sealed PII is shown as sealed, never as its ciphertext. */
export interface TimelineEvent {
  id: string;
  type: string;
  time: string;
  sequence: number;
  data: Record<string, unknown>;
}

/** A page of a kiosk's timeline, newest first. */
export interface TimelinePage {
  events: TimelineEvent[];
  /** Opaque; absent at the end of the timeline. */
  nextCursor: string | null;
}

/** Where a page stops: the bucket being read and the driver's paging state inside it. */
interface Position {
  bucket: number;
  pageState: string | null;
}

const encode = (p: Position) => Buffer.from(JSON.stringify({ v: 1, b: p.bucket, p: p.pageState })).toString('base64url');

function decode(cursor: string): Position {
  try {
    const raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; b?: unknown; p?: unknown };
    if (raw.v === 1 && Number.isSafeInteger(raw.b) && (raw.b as number) >= 0 && (raw.p === null || (typeof raw.p === 'string' && /^[0-9a-f]{1,4000}$/.test(raw.p)))) {
      return { bucket: raw.b as number, pageState: raw.p as string | null };
    }
  } catch {
    // falls through to the refusal below
  }
  throw new AtriumError('CURSOR_INVALID', 'The timeline cursor is not one this service issued');
}

function shown(event: ValidEvent): TimelineEvent {
  const data = { ...(event.data as Record<string, unknown>) };
  if ('sealedPii' in data) data['sealedPii'] = '[sealed]';
  return { id: event.id, type: event.type, time: event.time, sequence: event.sequence, data };
}

const isInvalidPagingState = (error: unknown) => typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'ResponseError' && /paging state/i.test(String((error as { message?: unknown }).message));

/**
 * Reads a kiosk's events newest first from `events_by_kiosk`, one partition (bucket) at a time,
 * paged by the driver's `pageState`: the cursor carries the bucket and the paging state, so a page
 * continues exactly where the last one stopped, across buckets, without offsets or re-reading.
 */
export async function readKioskTimeline(client: CassandraClient, store: CassandraEventStore, kioskId: string, limit: number, cursor?: string): Promise<TimelinePage | undefined> {
  let position: Position;
  if (cursor) position = decode(cursor);
  else {
    const runs = mergeRanges((await store.summaryRows(kioskId)).filter((r) => r.kind === 'stored'));
    if (runs.length === 0) return undefined;
    position = { bucket: sequenceBucket(runs[runs.length - 1]!.last), pageState: null };
  }
  const events: TimelineEvent[] = [];
  for (;;) {
    const wanted = limit - events.length;
    let result;
    try {
      result = await client.execute('SELECT kiosk_id, data, headers FROM events_by_kiosk WHERE kiosk_id = ? AND bucket = ? ORDER BY sequence DESC', [kioskId, position.bucket], {
        prepare: true,
        fetchSize: wanted,
        ...(position.pageState ? { pageState: position.pageState } : {}),
      });
    } catch (error) {
      if (isInvalidPagingState(error)) throw new AtriumError('CURSOR_INVALID', 'The timeline cursor does not fit this kiosk');
      throw error;
    }
    for (const row of result.rows) events.push(shown(eventFromRow({ kioskId, data: row.get('data') as Buffer | null, headers: row.get('headers') as Record<string, string> | null })));
    const next: Position | null = result.pageState ? { bucket: position.bucket, pageState: result.pageState } : position.bucket > 0 ? { bucket: position.bucket - 1, pageState: null } : null;
    if (!next) return { events, nextCursor: null };
    if (events.length >= limit) return { events, nextCursor: encode(next) };
    position = next;
  }
}
