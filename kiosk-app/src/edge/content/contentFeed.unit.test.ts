import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoMall, isAtriumError, type ContentUpsert } from '@atrium/contracts';
import { ContentCache } from './contentCache';
import { contentPage, openContentTestStore } from './contentTestStore';
import { contentTables } from './contentWriter';

type TestStore = ReturnType<typeof openContentTestStore>;

/** Every row the content cache holds, feed state and search index included. */
function snapshot(store: TestStore) {
  const tables = Object.values(contentTables).map((t) => store.db.prepare(`SELECT * FROM ${t} ORDER BY id`).all());
  return {
    tables,
    links: store.db.prepare('SELECT * FROM content_store_categories ORDER BY category_id, store_id').all(),
    terms: store.db.prepare('SELECT term, doc, cnt FROM content_store_search_terms').all(),
    feed: store.db.prepare('SELECT * FROM content_feed').get(),
  };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

const small = () => demoMall({ stores: 30, offers: 5 });

describe('applying content pages', () => {
  let store: TestStore;
  let cache: ContentCache;
  beforeEach(() => {
    store = openContentTestStore();
    cache = new ContentCache(store);
  });
  afterEach(() => store.close());

  it('given an empty cache, when the first page is applied, then every item lands and the cursor and ETag are stored with it', () => {
    expect(cache.currentCursor()).toBeNull();
    const items = small();
    const result = cache.applyContentPage(contentPage(items, { nextCursor: 'c1' }), { etag: 'W/"v1"' });
    expect(result).toMatchObject({ cursor: 'c1', contentVersion: 1, upserted: items.length, staleSkipped: 0, deleted: 0 });
    expect(cache.currentCursor()).toBe('c1');
    expect(cache.feedPosition()).toMatchObject({ cursor: 'c1', etag: 'W/"v1"', contentVersion: 1 });
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM content_stores').get()).toEqual({ n: 30 });
  });

  it('given a page with one invalid item in the middle, when applied, then it is rejected naming the item and field, and nothing changes', () => {
    cache.applyContentPage(contentPage(small(), { nextCursor: 'c1' }), { etag: '"e1"' });
    const before = snapshot(store);
    const upserts: ContentUpsert[] = [
      { kind: 'store', id: 'store-0001', version: 2, body: { ...small().find((u) => u.id === 'store-0001')!.body, name: 'Renamed' } },
      { kind: 'store', id: 'store-0999', version: 1, body: { id: 'store-0999', name: 42, categoryIds: [], floor: 0, unit: 'X', nodeId: 'n-x', keywords: [] } },
      { kind: 'category', id: 'new', version: 1, body: { id: 'new', name: { en: 'New' } } },
    ];
    const err = thrown(() => cache.applyContentPage(contentPage(upserts, { cursor: 'c1', nextCursor: 'c2' }), { etag: '"e2"' }));
    expect(isAtriumError(err) && err.code).toBe('VALIDATION_FAILED');
    expect((err as Error).message).toContain('upserts[1] store "store-0999": /name');
    expect(isAtriumError(err) && err.errors?.[0]?.path).toBe('/upserts/1/body/name');
    expect(snapshot(store)).toEqual(before);
    expect(cache.currentCursor()).toBe('c1');
  });

  it('given SQLite fails half-way through a valid page, then the whole page rolls back, cursor included', () => {
    cache.applyContentPage(contentPage(small(), { nextCursor: 'c1' }));
    const before = snapshot(store);
    // A real SQLite failure on the last item, after earlier items were written.
    store.db.exec("CREATE TRIGGER refuse_boom BEFORE INSERT ON content_offers WHEN NEW.id = 'offer-boom' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    const renamed = { ...small().find((u) => u.id === 'store-0002')!, version: 2 };
    renamed.body = { ...renamed.body, name: 'Half Applied' };
    const boom = { ...small().find((u) => u.kind === 'offer')!, id: 'offer-boom' };
    boom.body = { ...boom.body, id: 'offer-boom' };
    expect(() => cache.applyContentPage(contentPage([renamed, boom], { cursor: 'c1', nextCursor: 'c2' }))).toThrow(/disk trouble/);
    expect(snapshot(store)).toEqual(before);
    expect(cache.searchStores('half applied')).toEqual([]);
  });

  it.each([
    ['a body id that differs from the item id', { kind: 'category', id: 'a', version: 1, body: { id: 'b', name: { en: 'A' } } }, '/id'],
    [
      'an offer that ends before it starts',
      { kind: 'offer', id: 'o', version: 1, body: { id: 'o', storeId: 's', title: { en: 'x' }, validFrom: '2026-02-01T00:00:00Z', validTo: '2026-01-01T00:00:00Z', perShopperLimit: 1 } },
      '/validTo',
    ],
    [
      'a kiosk config in a time zone that does not exist',
      { kind: 'kiosk-config', id: 'default', version: 1, body: { id: 'default', mallId: 'm', mallName: 'M', timeZone: 'Europe/Atlantis', idleTimeoutS: 60, languages: ['en'], attractOfferIds: [] } },
      '/timeZone',
    ],
    ['an unknown field', { kind: 'category', id: 'a', version: 1, body: { id: 'a', name: { en: 'A' }, colour: 'red' } }, '/colour'],
    ['an exception with an open time but no close', { kind: 'opening-hours', id: 'h', version: 1, body: { id: 'h', weekly: [], exceptions: [{ date: '2026-01-01', closed: false, open: '10:00' }] } }, '/exceptions/0'],
  ] as Array<[string, ContentUpsert, string]>)('given %s, then the page is rejected at that field', (_, item, field) => {
    const err = thrown(() => cache.applyContentPage(contentPage([item])));
    expect(isAtriumError(err) && err.code).toBe('VALIDATION_FAILED');
    expect(isAtriumError(err) && err.errors?.[0]?.path.startsWith(`/upserts/0/body${field}`)).toBe(true);
    expect(cache.currentCursor()).toBeNull();
  });

  it('given a malformed envelope, then it is rejected before anything is read from it', () => {
    const err = thrown(() => cache.applyContentPage({ cursor: '', upserts: 'nope' }));
    expect(isAtriumError(err) && err.code).toBe('VALIDATION_FAILED');
    expect(cache.feedPosition().contentVersion).toBe(0);
  });

  it('given a page that does not start at the stored cursor, then it is refused as a conflict and nothing changes', () => {
    cache.applyContentPage(contentPage(small(), { nextCursor: 'c1' }));
    const before = snapshot(store);
    const err = thrown(() => cache.applyContentPage(contentPage([], { cursor: 'c0', nextCursor: 'c9' })));
    expect(isAtriumError(err) && err.code).toBe('CONFLICT');
    expect(snapshot(store)).toEqual(before);
  });

  it('given an item already stored at a newer version, when an older version arrives, then it is skipped', () => {
    const category = (version: number, en: string): ContentUpsert => ({ kind: 'category', id: 'toys', version, body: { id: 'toys', name: { en } } });
    cache.applyContentPage(contentPage([category(3, 'Toys v3')], { nextCursor: 'c1' }));
    const result = cache.applyContentPage(contentPage([category(2, 'Toys v2')], { cursor: 'c1', nextCursor: 'c2' }));
    expect(result).toMatchObject({ upserted: 0, staleSkipped: 1, cursor: 'c2' });
    expect(cache.categories().map((c) => c.name.en)).toEqual(['Toys v3']);
  });

  it('given a page without an ETag, then the previous ETag is cleared (it described another response)', () => {
    cache.applyContentPage(contentPage([], { nextCursor: 'c1' }), { etag: '"e1"' });
    cache.applyContentPage(contentPage([], { cursor: 'c1', nextCursor: 'c2' }));
    expect(cache.feedPosition()).toMatchObject({ cursor: 'c2', etag: null });
  });

  it('given a renamed category, then its stores are found by the new name; given a deleted store, then it is gone from search and counts', () => {
    cache.applyContentPage(contentPage(small(), { nextCursor: 'c1' }));
    const someStore = cache.searchStores('', { limit: 1 })[0]!;
    const categoryId = someStore.categoryIds[0]!;
    cache.applyContentPage(
      contentPage([{ kind: 'category', id: categoryId, version: 2, body: { id: categoryId, name: { en: 'Footgear', es: 'Calzado' } } }], { cursor: 'c1', nextCursor: 'c2' }),
    );
    expect(cache.searchStores('calzado').map((h) => h.id)).toContain(someStore.id);
    const countBefore = cache.categories().find((c) => c.id === categoryId)!.storeCount;
    cache.applyContentPage(contentPage([], { cursor: 'c2', nextCursor: 'c3', deletes: [{ kind: 'store', id: someStore.id }] }));
    expect(cache.searchStores('calzado', { limit: 100 }).map((h) => h.id)).not.toContain(someStore.id);
    expect(cache.categories().find((c) => c.id === categoryId)!.storeCount).toBe(countBefore - 1);
    expect(cache.storeDetail(someStore.id, new Date())).toBeNull();
  });

  describe('replacing the whole cache with a full pull', () => {
    beforeEach(() => {
      cache.applyContentPage(contentPage(small(), { nextCursor: 'old-9' }), { etag: '"old"' });
      // The old store also had an item the new one holds, at a version the new one has not reached.
      const renamed = { ...freshStore, version: 5, body: { ...freshStore.body, name: 'Old name' } };
      cache.applyContentPage(contentPage([{ kind: 'category', id: 'ghost', version: 7, body: { id: 'ghost', name: { en: 'Ghost' } } }, renamed], { cursor: 'old-9', nextCursor: 'old-10' }));
    });

    const fresh = demoMall({ stores: 12, offers: 3, seed: 99 });
    const freshStore = fresh.find((u) => u.kind === 'store')!;
    const fullPull = () => [contentPage(fresh.slice(0, 20), { cursor: '', nextCursor: 'n1', hasMore: true }), contentPage(fresh.slice(20), { cursor: 'n1', nextCursor: 'n2' })];

    it('given the pages of a full pull, then the cache holds exactly them, at the last cursor, with stale and newer-versioned items gone, in one new version', () => {
      const version = cache.feedPosition().contentVersion;
      const result = cache.replaceContent(fullPull(), { etag: '"n2"' });
      expect(result).toMatchObject({ cursor: 'n2', contentVersion: version + 1, upserted: fresh.length, staleSkipped: 0 });
      expect(cache.feedPosition()).toMatchObject({ cursor: 'n2', etag: '"n2"', contentVersion: version + 1 });
      const held = Object.entries(contentTables).flatMap(([kind, t]) => (store.db.prepare(`SELECT id FROM ${t}`).all() as { id: string }[]).map((r) => `${kind}/${r.id}`));
      expect(held.sort()).toEqual(fresh.map((u) => `${u.kind}/${u.id}`).sort());
      expect(cache.storeDetail(freshStore.id, new Date())?.store.name).toBe(freshStore.body['name']);
      expect(cache.searchStores(String(freshStore.body['name'])).map((h) => h.id)).toContain(freshStore.id);
      expect(cache.searchStores('old name')).toEqual([]);
      expect(store.db.prepare("SELECT count(*) AS n FROM content_store_search_terms WHERE term = 'ghost'").get()).toEqual({ n: 0 });
    });

    it.each([
      ['pages that do not chain', () => [contentPage(fresh.slice(0, 20), { cursor: '', nextCursor: 'n1', hasMore: true }), contentPage(fresh.slice(20), { cursor: 'nX', nextCursor: 'n2' })], 'CONFLICT'],
      ['a first page that is not the start of the feed', () => [contentPage(fresh, { cursor: 'n0', nextCursor: 'n1' })], 'CONFLICT'],
      ['one invalid item on the last page', () => [contentPage(fresh.slice(0, 20), { cursor: '', nextCursor: 'n1', hasMore: true }), contentPage([{ kind: 'category', id: 'a', version: 1, body: { id: 'b', name: { en: 'A' } } }], { cursor: 'n1', nextCursor: 'n2' })], 'VALIDATION_FAILED'],
      ['no pages at all', () => [], 'VALIDATION_FAILED'],
    ] as Array<[string, () => unknown[], string]>)('given %s, then the full pull is refused and nothing changes', (_, pages, code) => {
      const before = snapshot(store);
      const err = thrown(() => cache.replaceContent(pages()));
      expect(isAtriumError(err) && err.code).toBe(code);
      expect(snapshot(store)).toEqual(before);
    });
  });
});
