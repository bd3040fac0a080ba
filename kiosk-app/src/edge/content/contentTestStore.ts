import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { demoMall, type ContentPage, type ContentUpsert } from '@atrium/contracts';
import { KioskStore } from '../store/kioskStore';
import { migrate } from '../store/migrate';
import { storeConfig } from '../store/openKioskStore';

/**
 * A kiosk store on an in-memory database with every store migration applied (the content
 * cache's 050–099 among them), for tests and benchmarks that need no file on disk.
 */
export function openContentTestStore(): KioskStore {
  const db = new Database(':memory:');
  const report = migrate(db);
  return new KioskStore(db, ':memory:', storeConfig({ dataDir: tmpdir() }), report);
}

/** A content page carrying `upserts`, continuing from `cursor`. */
export function contentPage(upserts: ContentUpsert[], options: Partial<Omit<ContentPage, 'upserts'>> = {}): ContentPage {
  return { cursor: '', nextCursor: 'c1', hasMore: false, upserts, deletes: [], serverTime: '2026-01-15T10:00:00.000Z', ...options };
}

/** The whole demo mall as one first page. */
export function demoMallPage(): ContentPage {
  return contentPage(demoMall(), { nextCursor: 'demo-1' });
}
