import type Database from 'better-sqlite3';
import type { DeliveryClass } from '@atrium/contracts';

/** One outbox row as stored. */
export interface OutboxRow {
  sequence: number;
  id: string;
  type: string;
  delivery_class: DeliveryClass;
  time_ms: number;
  raw_time_ms: number;
  boot_id: string;
  mono_ms: number;
  bytes: number;
  payload: string;
}

/** The outbox's prepared statements, compiled once per store. */
export function outboxStatements(db: Database.Database) {
  return {
    insert: db.prepare<[number, string, string, DeliveryClass, number, number, string, number, number, string]>(
      'INSERT INTO outbox (sequence, id, type, delivery_class, time_ms, raw_time_ms, boot_id, mono_ms, bytes, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    maxSequence: db.prepare<[], { s: number | null }>('SELECT max(sequence) AS s FROM outbox'),
    maxAcked: db.prepare<[], { a: number | null }>('SELECT max(acked_through) AS a FROM outbox_acks'),
    eventBytes: db.prepare<[], { b: number }>('SELECT coalesce(sum(bytes), 0) AS b FROM outbox'),
    countByClassAbove: db.prepare<[number], { delivery_class: DeliveryClass; n: number }>(
      'SELECT delivery_class, count(*) AS n FROM outbox WHERE sequence > ? GROUP BY delivery_class',
    ),
    countByClassBetween: db.prepare<[number, number], { delivery_class: DeliveryClass; n: number }>(
      'SELECT delivery_class, count(*) AS n FROM outbox WHERE sequence > ? AND sequence <= ? GROUP BY delivery_class',
    ),
    batch: db.prepare<[number, number], Pick<OutboxRow, 'sequence' | 'bytes' | 'payload'>>(
      'SELECT sequence, bytes, payload FROM outbox WHERE sequence >= ? ORDER BY sequence LIMIT ?',
    ),
    timeOf: db.prepare<[number], { time_ms: number }>('SELECT time_ms FROM outbox WHERE sequence = ?'),
    insertAck: db.prepare<[number, number]>('INSERT OR IGNORE INTO outbox_acks (acked_through, acked_at_ms) VALUES (?, ?)'),
    ackedBefore: db.prepare<[number], { a: number | null }>('SELECT max(acked_through) AS a FROM outbox_acks WHERE acked_at_ms <= ?'),
    bytesThrough: db.prepare<[number], { b: number }>('SELECT coalesce(sum(bytes), 0) AS b FROM outbox WHERE sequence <= ?'),
    deleteThrough: db.prepare<[number]>('DELETE FROM outbox WHERE sequence <= ?'),
    deleteAcksBelow: db.prepare<[number]>('DELETE FROM outbox_acks WHERE acked_through < ?'),
    insertRejection: db.prepare<[number, string, string, string, number]>(
      'INSERT OR IGNORE INTO outbox_rejections (sequence, id, code, reason, rejected_at_ms) VALUES (?, ?, ?, ?, ?)',
    ),
    deleteRejectionsBefore: db.prepare<[number]>('DELETE FROM outbox_rejections WHERE rejected_at_ms < ?'),
    countRejections: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox_rejections'),
    recentRejections: db.prepare<[number], { sequence: number; id: string; code: string; reason: string; rejected_at_ms: number }>(
      'SELECT sequence, id, code, reason, rejected_at_ms FROM outbox_rejections ORDER BY sequence DESC LIMIT ?',
    ),
    upsertDrop: db.prepare<[string, string, number, number]>(
      `INSERT INTO outbox_drops (reason, type, count, first_time_ms, last_time_ms) VALUES (?, ?, 1, ?, ?)
       ON CONFLICT (reason, type) DO UPDATE SET count = count + 1, last_time_ms = excluded.last_time_ms`,
    ),
    drops: db.prepare<[], { reason: string; type: string; count: number; first_time_ms: number; last_time_ms: number }>(
      'SELECT reason, type, count, first_time_ms, last_time_ms FROM outbox_drops ORDER BY reason, type',
    ),
    deleteDrops: db.prepare('DELETE FROM outbox_drops'),
  };
}

/** The prepared statements' type. */
export type OutboxStatements = ReturnType<typeof outboxStatements>;
