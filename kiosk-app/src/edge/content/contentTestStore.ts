import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { demoMall, type ContentPage, type ContentUpsert } from '@atrium/contracts';
import type { ContentStoreHandle } from './contentFeed';

const MIGRATIONS_DIR = fileURLToPath(new URL('../store/migrations', import.meta.url));
const CONTENT_MIGRATION = /^(0[5-9]\d)_[a-z0-9_]+\.sql$/;

/**
 * An in-memory database with the content cache's migrations (050–099) applied, for tests and
 * benchmarks that need nothing else of the kiosk store.
 */
export function openContentTestStore(): ContentStoreHandle & { close(): void } {
  const db = new Database(':memory:');
  for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => CONTENT_MIGRATION.test(f)).sort()) {
    db.exec(readFileSync(`${MIGRATIONS_DIR}/${file}`, 'utf8'));
  }
  const run = db.transaction((fn: () => unknown) => fn());
  return { db, transaction: <T>(fn: () => T) => run(fn) as T, close: () => db.close() };
}

/** A content page carrying `upserts`, continuing from `cursor`. */
export function contentPage(upserts: ContentUpsert[], options: Partial<Omit<ContentPage, 'upserts'>> = {}): ContentPage {
  return { cursor: '', nextCursor: 'c1', hasMore: false, upserts, deletes: [], serverTime: '2026-01-15T10:00:00.000Z', ...options };
}

/** The whole demo mall as one first page. */
export function demoMallPage(): ContentPage {
  return contentPage(demoMall(), { nextCursor: 'demo-1' });
}
