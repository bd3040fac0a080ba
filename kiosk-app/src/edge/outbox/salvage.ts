import Database from 'better-sqlite3';
import { validateEvent } from '@atrium/contracts';
import type { OutboxRow } from './outboxStatements';

/** What could be read back from a damaged store. */
export interface Salvage {
  /** Every sequence at or below this is treated as gone (sent before, or unreadable). */
  base: number;
  /** Events above `base` that were never sent, read back intact and contiguous. */
  rows: OutboxRow[];
  /** The highest sequence the damaged file claimed, when it could be read. */
  damagedLastSequence: number | null;
}

function tryRead<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/**
 * Reads what it can from a damaged store: its delivery watermark and the never-sent events
 * above `max(floor, watermark)`, stopping at the first row that is missing, unreadable or
 * invalid. Only never-sent events are carried over, so none of them can collide with a
 * sequence the gateway already holds. Best effort: any failure just salvages less.
 */
export function salvageOutbox(damagedPath: string | null, kioskId: string, sentThrough: number): Salvage {
  const empty: Salvage = { base: sentThrough, rows: [], damagedLastSequence: null };
  if (!damagedPath) return empty;
  const db = tryRead(() => new Database(damagedPath, { fileMustExist: true }));
  if (!db) return empty;
  try {
    const acked = tryRead(() => (db.prepare('SELECT max(acked_through) AS a FROM outbox_acks').get() as { a: number | null }).a) ?? 0;
    const pruned = Number(tryRead(() => (db.prepare("SELECT value FROM store_meta WHERE key = 'outbox.prunedThrough'").get() as { value: string } | undefined)?.value) ?? 0);
    const last = tryRead(() => (db.prepare('SELECT max(sequence) AS s FROM outbox').get() as { s: number | null }).s);
    const base = Math.max(sentThrough, acked, Number.isSafeInteger(pruned) ? pruned : 0);
    const rows: OutboxRow[] = [];
    tryRead(() => {
      for (const row of db.prepare('SELECT * FROM outbox WHERE sequence > ? ORDER BY sequence').iterate(base) as Iterable<OutboxRow>) {
        if (row.sequence !== base + rows.length + 1) break;
        const check = validateEvent(JSON.parse(row.payload));
        if (!check.ok || check.event.sequence !== row.sequence || check.event.kioskid !== kioskId || check.event.id !== row.id) break;
        rows.push(row);
      }
    });
    return { base, rows, damagedLastSequence: last ?? null };
  } finally {
    db.close();
  }
}
