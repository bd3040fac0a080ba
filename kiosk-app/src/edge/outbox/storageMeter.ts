import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { diskUse, type DiskUse } from '../../core/outbox/storageUse';

/**
 * Reads the database's size on disk: SQLite's page counts (one prepared statement over the
 * pragma table functions, which read the header SQLite already holds) and the WAL file's size
 * (one `stat`). Cheap, but not free, so the outbox calls it now and then (see core/outbox/storageUse.ts).
 */
export class StorageMeter {
  private readonly pages: Database.Statement<[], { page_count: number; freelist_count: number; page_size: number }>;
  private readonly walPath: string;

  constructor(db: Database.Database, databasePath: string) {
    this.pages = db.prepare('SELECT page_count, freelist_count, page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()');
    this.walPath = `${databasePath}-wal`;
  }

  /** The database's use now (as this connection sees it, its open transaction included). */
  measure(): DiskUse {
    const p = this.pages.get();
    if (!p) throw new Error('SQLite returned no page counts');
    const walBytes = statSync(this.walPath, { throwIfNoEntry: false })?.size ?? 0;
    return diskUse({ pageCount: p.page_count, freelistCount: p.freelist_count, pageSize: p.page_size }, walBytes);
  }
}
