import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMall, type StoreBody } from '@atrium/contracts';
import { ContentCache } from './contentCache';
import { demoMallPage, openContentTestStore } from './contentTestStore';

// Search quality on the 2,000-store demo mall (names are "<First> <Second>", e.g. "Aurora Shoes").
describe('directory search on the demo mall', () => {
  const store = openContentTestStore();
  const cache = new ContentCache(store);
  const stores = demoMall()
    .filter((u) => u.kind === 'store')
    .map((u) => u.body as unknown as StoreBody);
  const inCategory = (id: string) => new Set(stores.filter((s) => s.categoryIds.includes(id)).map((s) => s.id));
  beforeAll(() => {
    cache.applyContentPage(demoMallPage());
  });
  afterAll(() => store.close());

  it('given "sho" typed so far, then stores named "… Shoes" come first, matched by name as a prefix', () => {
    const hits = cache.searchStores('sho');
    expect(hits).toHaveLength(20);
    expect(hits[0]).toMatchObject({ matchedField: 'name', typos: 0 });
    expect(hits[0]!.name).toMatch(/\bShoes\b/);
  });

  it('given "shoos" (a typo), then the results are the Shoes stores, marked as found with one typo', () => {
    const hits = cache.searchStores('shoos');
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits.slice(0, 10)) expect(h).toMatchObject({ name: expect.stringMatching(/Shoes$/), typos: 1, matchedField: 'name' });
  });

  it('given "electornics" (letters swapped), then Electronics stores come first', () => {
    const hits = cache.searchStores('electornics');
    expect(hits[0]!.name).toMatch(/Electronics$/);
    expect(hits[0]!.typos).toBe(1);
  });

  it('given "electorn" still being typed, with a typo, then Electronics stores are already found', () => {
    expect(cache.searchStores('electorn')[0]!.name).toMatch(/Electronics$/);
  });

  it('given "shoes", then every name match ranks above every keyword or category match', () => {
    const hits = cache.searchStores('shoes', { limit: 100 });
    const named = stores.filter((s) => /\bShoes\b/.test(s.name)).length;
    expect(named).toBeLessThan(100);
    expect(hits.slice(0, named).every((h) => h.matchedField === 'name' && /\bShoes\b/.test(h.name))).toBe(true);
    expect(hits.slice(named).every((h) => h.matchedField === 'any')).toBe(true);
    expect(hits.slice(named).every((h) => h.categoryIds.includes('shoes'))).toBe(true);
  });

  it('given "boots", then exact matches rank above one-typo matches ("books")', () => {
    const hits = cache.searchStores('boots', { limit: 100 });
    const typos = hits.map((h) => h.typos);
    expect(typos).toEqual([...typos].sort((a, b) => a - b));
    expect(hits[0]!.name).toMatch(/Boots$/);
    expect(hits.some((h) => /Books$/.test(h.name) && h.typos === 1)).toBe(true);
  });

  it('given two words, then both must match: "aurora sho" finds Aurora Shoes before other Aurora shoe shops', () => {
    const hits = cache.searchStores('aurora sho', { limit: 50 });
    expect(hits[0]!.name).toBe('Aurora Shoes');
    for (const h of hits) expect(h.name.startsWith('Aurora')).toBe(true);
  });

  it('given a category filter, then only that category\'s stores come back', () => {
    const shoes = inCategory('shoes');
    const hits = cache.searchStores('aurora', { categoryId: 'shoes', limit: 100 });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(shoes.has(h.id)).toBe(true);
    expect(cache.searchStores('', { categoryId: 'shoes', limit: 100 }).every((h) => shoes.has(h.id) && h.matchedField === 'browse')).toBe(true);
  });

  it.each([
    ['Arabic', 'أحذية', 'shoes'],
    ['Arabic with the definite article', 'الأحذية', 'shoes'],
    ['Arabic, electronics', 'إلكترونيات', 'electronics'],
    ['Spanish', 'zapatos', 'shoes'],
    ['Spanish without its accent', 'electronica', 'electronics'],
  ])('given a category name in %s (%s), then its stores are found', (_, query, categoryId) => {
    const members = inCategory(categoryId);
    const hits = cache.searchStores(query, { limit: 30 });
    expect(hits).toHaveLength(30);
    for (const h of hits) expect(members.has(h.id)).toBe(true);
  });

  it('given nonsense, then nothing is found; given nothing, then stores are listed by name', () => {
    expect(cache.searchStores('qxzv')).toEqual([]);
    const listed = cache.searchStores('  ', { limit: 5 }).map((h) => h.name);
    expect(listed).toEqual([...stores.map((s) => s.name)].sort((a, b) => a.localeCompare(b)).slice(0, 5));
  });

  it('given an instant, then each hit says whether the store is open then (Madrid time)', () => {
    // Thursday 2026-01-15, 09:30 UTC = 10:30 in Madrid: every demo store opens at 10:00 on weekdays.
    expect(cache.searchStores('shoes', { now: new Date('2026-01-15T09:30:00Z') }).every((h) => h.openNow === true)).toBe(true);
    expect(cache.searchStores('shoes', { now: new Date('2026-01-15T08:30:00Z') }).every((h) => h.openNow === false)).toBe(true);
    expect(cache.searchStores('shoes')[0]!.openNow).toBeNull();
  });

  it('lists the 15 categories with their store counts, sorted in the chosen language', () => {
    const categories = cache.categories('es');
    expect(categories).toHaveLength(15);
    expect(categories.find((c) => c.id === 'shoes')!.storeCount).toBe(inCategory('shoes').size);
    const names = categories.map((c) => c.name.es!);
    expect(names).toEqual([...names].sort(new Intl.Collator('es').compare));
  });
});
