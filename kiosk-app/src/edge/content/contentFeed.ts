import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { AtriumError, type ContentPage } from '@atrium/contracts';
import { ContentWriter, contentTables } from './contentWriter';
import { parseContentPage } from './contentPageValidation';

/** Where the kiosk stands in the content feed: what the sync client sends on its next pull. */
export interface ContentFeedPosition {
  /** The `nextCursor` of the last applied page; null before the first page. */
  cursor: string | null;
  /** The ETag of the last applied response, for `If-None-Match`; null when none was given. */
  etag: string | null;
  /** Bumped by every applied page. */
  contentVersion: number;
  /** Random per applied page and never reused (unlike the version after a rollback): the key for in-memory caches. */
  contentStamp: string;
}

/** What applying a page did. */
export interface ContentPageApplied {
  cursor: string;
  contentVersion: number;
  upserted: number;
  /** Upserts skipped because a newer version of the item was already stored. */
  staleSkipped: number;
  deleted: number;
}

/** Options of `applyContentPage`. */
export interface ApplyContentPageOptions {
  /** The response's ETag, stored with the cursor in the same transaction. */
  etag?: string | null;
  /** When the page was applied (ISO 8601), kept for diagnostics. */
  appliedAt?: Date;
}

/** What the content cache needs of the kiosk store (`KioskStore` fits): its database and its transaction. */
export interface ContentStoreHandle {
  readonly db: Database.Database;
  transaction<T>(fn: () => T): T;
}

interface FeedRow {
  cursor: string | null;
  etag: string | null;
  content_version: number;
  content_stamp: string;
}

/**
 * The content feed's state in SQLite and the one way content changes: a whole page, validated
 * first, then written in one transaction with its cursor and ETag. Either all of a page is
 * applied or none of it, cursor included.
 */
export class ContentFeed {
  private readonly readRow: Database.Statement<[], FeedRow>;
  private readonly writeRow: Database.Statement<[string, string | null, string, string]>;

  constructor(private readonly store: ContentStoreHandle) {
    const db = store.db;
    this.readRow = db.prepare('SELECT cursor, etag, content_version, content_stamp FROM content_feed WHERE singleton = 1');
    this.writeRow = db.prepare('UPDATE content_feed SET cursor = ?, etag = ?, applied_at = ?, content_stamp = ?, content_version = content_version + 1 WHERE singleton = 1');
  }

  /** The cursor and ETag for the next pull. */
  position(): ContentFeedPosition {
    const row = this.readRow.get();
    if (!row) throw new AtriumError('INTERNAL', 'content_feed row missing: the content migrations have not run');
    return { cursor: row.cursor, etag: row.etag, contentVersion: row.content_version, contentStamp: row.content_stamp };
  }

  /**
   * Replaces the whole content cache with a full pull of the feed (its pages in order, from no
   * cursor), for when the gateway refused the stored cursor. Every page is validated and the
   * chain of cursors checked before anything is written; then, in one transaction, every
   * content row goes and the pages are applied, with the last page's `nextCursor` and the
   * last response's ETag. Until that transaction commits the old content is what is served,
   * and a failure anywhere leaves it (and the old cursor) untouched.
   */
  replaceAll(input: readonly unknown[], options: ApplyContentPageOptions = {}): ContentPageApplied {
    const pages = input.map((page) => parseContentPage(page));
    const last = pages.at(-1);
    if (!last) throw new AtriumError('VALIDATION_FAILED', 'a full content pull needs at least one page');
    pages.forEach((page, i) => {
      const expected = i === 0 ? '' : pages[i - 1]!.nextCursor;
      if (page.cursor !== expected) throw new AtriumError('CONFLICT', `full content pull: page ${i} starts at cursor "${page.cursor}", expected "${expected}"`);
    });
    return this.store.transaction((): ContentPageApplied => {
      for (const table of [...Object.values(contentTables), 'content_store_categories']) this.store.db.prepare(`DELETE FROM ${table}`).run();
      this.store.db.prepare("INSERT INTO content_store_search (content_store_search) VALUES ('delete-all')").run();
      return this.write(pages, options);
    });
  }

  /**
   * Validates and applies one page of the feed (as it came off the wire). Throws
   * VALIDATION_FAILED (naming the item and field) for an invalid page and CONFLICT for a page
   * that does not continue from the stored cursor; in both cases nothing changes. Deletes are
   * applied after upserts, so an item in both is gone afterwards.
   */
  applyPage(input: unknown, options: ApplyContentPageOptions = {}): ContentPageApplied {
    const page = parseContentPage(input);
    return this.store.transaction((): ContentPageApplied => {
      const { cursor } = this.position();
      if (cursor !== null && page.cursor !== cursor) {
        throw new AtriumError('CONFLICT', `content page starts at cursor "${page.cursor}" but the kiosk is at "${cursor}"`);
      }
      return this.write([page], options);
    });
  }

  /** Writes validated pages in order, then the last one's cursor (inside the caller's transaction). */
  private write(pages: readonly ContentPage[], options: ApplyContentPageOptions): ContentPageApplied {
    const writer = new ContentWriter(this.store.db);
    let upserted = 0;
    let deleted = 0;
    let items = 0;
    for (const page of pages) {
      items += page.upserts.length;
      for (const item of page.upserts) if (writer.upsert(item)) upserted++;
      for (const d of page.deletes) if (writer.delete(d.kind, d.id)) deleted++;
    }
    writer.finish();
    const cursor = pages.at(-1)!.nextCursor;
    this.writeRow.run(cursor, options.etag ?? null, (options.appliedAt ?? new Date()).toISOString(), randomUUID());
    return { cursor, contentVersion: this.position().contentVersion, upserted, staleSkipped: items - upserted, deleted };
  }
}
