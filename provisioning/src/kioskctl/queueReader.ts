import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

/** The kiosk outbox as kioskctl sees it: events not yet acknowledged, and the last acknowledgement. */
export interface QueueSnapshot {
  depth: number | null;
  lastSyncAt: string | null;
  /** Why the numbers are missing, when they are. */
  unavailable: string | null;
}

/**
 * Reads the kiosk's outbox from its SQLite file, read-only (the kiosk app owns the file and its
 * schema: `outbox` rows above the highest `outbox_acks.acked_through` are still queued).
 */
export function readQueue(kioskDbPath: string): QueueSnapshot {
  if (!existsSync(kioskDbPath)) return { depth: null, lastSyncAt: null, unavailable: `no kiosk database at ${kioskDbPath} (the kiosk app has not run yet)` };
  let db: Database.Database | undefined;
  try {
    db = new Database(kioskDbPath, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 1000');
    const acked = db.prepare('SELECT max(acked_through) AS through, max(acked_at_ms) AS at FROM outbox_acks').get() as { through: number | null; at: number | null };
    const depth = db.prepare('SELECT count(*) AS n FROM outbox WHERE sequence > ?').get(acked.through ?? 0) as { n: number };
    return { depth: depth.n, lastSyncAt: acked.at === null ? null : new Date(acked.at).toISOString(), unavailable: null };
  } catch (error) {
    return { depth: null, lastSyncAt: null, unavailable: `could not read the outbox: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    db?.close();
  }
}
