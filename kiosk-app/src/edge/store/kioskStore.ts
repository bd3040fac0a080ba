import type Database from 'better-sqlite3';
import type { StoreConfig } from './storeConfig';
import type { MigrationReport } from './migrate';

/** What happened when the store was found damaged at open. */
export interface StoreRecovery {
  reason: string;
  /** The damaged file's new name (in the data folder), or '' when there was no file to keep. */
  quarantinedFile: string;
  /** Full path of the kept file, for salvage; null when there was none. */
  quarantinedPath: string | null;
  at: string;
}

/** The meta key under which an unhandled recovery waits for the outbox (survives a crash). */
export const PENDING_RECOVERY_KEY = 'store.pendingRecovery';

interface Frame {
  onRollback: (() => void)[];
  afterCommit: (() => void)[];
}

/**
 * The kiosk's one SQLite database. `transaction(fn)` runs `fn` in one SQLite transaction (a
 * savepoint when nested); code that keeps in-memory mirrors of table state (the outbox's next
 * sequence, its byte count) registers `onRollback` to undo them if the transaction fails, and
 * `afterCommit` to act only once the data is durable.
 */
export class KioskStore {
  private readonly frames: Frame[] = [];
  private readonly runInTransaction: (fn: () => unknown) => unknown;
  private readonly getMeta: Database.Statement<[string], { value: string }>;
  private readonly setMeta: Database.Statement<[string, string]>;
  private readonly deleteMeta: Database.Statement<[string]>;

  constructor(
    readonly db: Database.Database,
    readonly path: string,
    readonly config: StoreConfig,
    readonly migrations: MigrationReport,
  ) {
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
    this.getMeta = db.prepare('SELECT value FROM store_meta WHERE key = ?');
    this.setMeta = db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.deleteMeta = db.prepare('DELETE FROM store_meta WHERE key = ?');
  }

  /** Runs `fn` atomically: a local state change and its outbox append commit together or not at all. */
  transaction<T>(fn: () => T): T {
    const frame: Frame = { onRollback: [], afterCommit: [] };
    this.frames.push(frame);
    let result: T;
    try {
      result = this.runInTransaction(fn) as T;
    } catch (err) {
      this.frames.pop();
      for (let i = frame.onRollback.length - 1; i >= 0; i--) frame.onRollback[i]!();
      throw err;
    }
    this.frames.pop();
    const parent = this.frames.at(-1);
    if (parent) {
      // A savepoint committed, but the outer transaction may still roll back.
      parent.onRollback.push(...frame.onRollback);
      parent.afterCommit.push(...frame.afterCommit);
    } else {
      for (const f of frame.afterCommit) f();
    }
    return result;
  }

  /** True inside `transaction(fn)`. */
  inTransaction(): boolean {
    return this.frames.length > 0;
  }

  /** Registers an undo for in-memory state, run if the current transaction rolls back. */
  onRollback(undo: () => void): void {
    this.currentFrame().onRollback.push(undo);
  }

  /** An opaque token naming the current transaction level (changes at each savepoint). */
  transactionToken(): object {
    return this.currentFrame();
  }

  /** Registers work to run once the current (outermost) transaction has committed. */
  afterCommit(work: () => void): void {
    this.currentFrame().afterCommit.push(work);
  }

  /** Reads a `store_meta` value. */
  meta(key: string): string | undefined {
    return this.getMeta.get(key)?.value;
  }

  /** Writes a `store_meta` value (inside the caller's transaction, if any). */
  setMetaValue(key: string, value: string): void {
    this.setMeta.run(key, value);
  }

  /** Deletes a `store_meta` value. */
  deleteMetaValue(key: string): void {
    this.deleteMeta.run(key);
  }

  /** The recovery recorded at open and not yet handled by the outbox, if any. */
  pendingRecovery(): StoreRecovery | null {
    const raw = this.meta(PENDING_RECOVERY_KEY);
    return raw ? (JSON.parse(raw) as StoreRecovery) : null;
  }

  /** Runs `PRAGMA integrity_check` and returns its lines (`['ok']` when sound). */
  integrityCheck(): string[] {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  }

  /** Closes the database (checkpointing the WAL). */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private currentFrame(): Frame {
    const frame = this.frames.at(-1);
    if (!frame) throw new Error('Not inside store.transaction(fn)');
    return frame;
  }
}
