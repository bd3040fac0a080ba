import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoMall } from '@atrium/contracts';
import { openKioskStore } from '../store/openKioskStore';
import { ContentCache } from './contentCache';
import { contentPage } from './contentTestStore';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('the content cache in the kiosk store file', () => {
  it('given a page applied through the kiosk store, when the kiosk restarts, then content, cursor and ETag are all still there', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atrium-content-'));
    dirs.push(dataDir);
    const first = openKioskStore({ dataDir, synchronous: 'NORMAL' });
    new ContentCache(first).applyContentPage(contentPage(demoMall({ stores: 40, offers: 4 }), { nextCursor: 'c7' }), { etag: '"v7"' });
    first.close();

    const again = openKioskStore({ dataDir });
    const cache = new ContentCache(again);
    expect(cache.feedPosition()).toMatchObject({ cursor: 'c7', etag: '"v7"', contentVersion: 1 });
    expect(cache.searchStores('', { limit: 100 })).toHaveLength(40);
    expect(cache.routeToStore('store-0002').found).toBe(true);
    again.close();
  });

  it('given a page applied inside an outer kiosk-store transaction that then fails, then the page is rolled back with it, in-memory caches too', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atrium-content-'));
    dirs.push(dataDir);
    const store = openKioskStore({ dataDir, synchronous: 'NORMAL' });
    const cache = new ContentCache(store);
    expect(() =>
      store.transaction(() => {
        cache.applyContentPage(contentPage(demoMall({ stores: 5, offers: 1 }), { nextCursor: 'c1' }));
        expect(cache.searchStores('')).toHaveLength(5);
        expect(cache.route('n-f0-kiosk1', 'n-store-0001').found).toBe(true);
        throw new Error('the caller changed its mind');
      }),
    ).toThrow(/changed its mind/);
    expect(cache.currentCursor()).toBeNull();
    expect(cache.searchStores('')).toEqual([]);
    // A different page now takes the same content_version the rolled-back one had.
    cache.applyContentPage(contentPage(demoMall({ stores: 3, offers: 1, seed: 9 }), { nextCursor: 'c1' }));
    expect(cache.feedPosition().contentVersion).toBe(1);
    expect(cache.searchStores('')).toHaveLength(3);
    expect(cache.route('n-f0-kiosk1', 'n-store-0005')).toEqual({ found: false, reason: 'unknown-destination' });
    store.close();
  });
});
