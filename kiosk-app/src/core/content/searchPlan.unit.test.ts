import { describe, expect, it } from 'vitest';
import { planSearch } from './searchPlan';
import { foldSearchText, searchTerms } from './searchText';

const vocabulary = ['shoes', 'aurora', 'electronics', 'zapatos', 'احذيه'].map((term) => ({ term, documents: 10 }));

describe('search text', () => {
  it('folds case and accents so typed and indexed text meet', () => {
    expect(foldSearchText('Café Electrónica NIÑOS')).toBe('cafe electronica ninos');
  });

  it('folds Arabic letter variants and drops the definite article', () => {
    expect(searchTerms('الأحذية')).toEqual(searchTerms('أحذية'));
    expect(searchTerms('أحذية')).toEqual(['احذيه']);
  });

  it('splits on anything that is not a letter or digit', () => {
    expect(searchTerms("  Zephyr's  Kids-Shoes/2 ")).toEqual(['zephyr', 's', 'kids', 'shoes', '2']);
  });
});

describe('search plan', () => {
  it('given nothing typed, then there is nothing to run', () => {
    expect(planSearch('   ', vocabulary)).toEqual({ terms: [], tiers: [] });
  });

  it('given a prefix, then one exact level: name first, then any field, every term as a prefix', () => {
    expect(planSearch('Aur sho', vocabulary).tiers).toEqual([
      { typos: 0, field: 'name', match: '{name} : ("aur"* AND "sho"*)' },
      { typos: 0, field: 'any', match: '"aur"* AND "sho"*' },
    ]);
  });

  it('given a typo, then a one-typo level adds the corrected term as an alternative', () => {
    const plan = planSearch('shoos', vocabulary);
    expect(plan.tiers.map((t) => [t.typos, t.field])).toEqual([
      [0, 'name'],
      [0, 'any'],
      [1, 'name'],
      [1, 'any'],
    ]);
    expect(plan.tiers[3]?.match).toBe('("shoos"* OR "shoes")');
  });

  it('given FTS5 operators or quotes typed by a shopper, then they are searched as plain words, never parsed', () => {
    expect(planSearch('NOT "shoes" OR*', vocabulary).tiers[1]?.match).toBe('"not"* AND "shoes"* AND "or"*');
    expect(planSearch('"*)(:', vocabulary).tiers).toEqual([]);
  });

  it('given a long misspelt word still being typed, then the correction is found from its prefix', () => {
    const plan = planSearch('electorn', vocabulary);
    expect(plan.tiers.at(-1)?.match).toBe('("electorn"* OR "electronics")');
  });
});
