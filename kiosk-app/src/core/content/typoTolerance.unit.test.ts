import { describe, expect, it } from 'vitest';
import { editDistance, termCorrections, typoBudget } from './typoTolerance';

const vocabulary = ['shoes', 'shoe', 'show', 'electronics', 'electronica', 'sneakers', 'books', 'boots', 'cafe'].map((term, i) => ({ term, documents: 100 - i }));

describe('typo tolerance', () => {
  it('allows no typo below 4 letters, one up to 7 and two from 8', () => {
    expect([3, 4, 7, 8, 12].map(typoBudget)).toEqual([0, 1, 1, 2, 2]);
  });

  it('counts a swap of neighbouring letters as one typo', () => {
    expect(editDistance('electornics', 'electronics', 2)).toBe(1);
    expect(editDistance('shoos', 'shoes', 1)).toBe(1);
    expect(editDistance('sneakrs', 'sneakers', 1)).toBe(1);
  });

  it('stops at the budget: anything further is budget + 1', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });

  it('measures a term still being typed against the closest prefix', () => {
    expect(editDistance('electorn', 'electronics', 2, true)).toBe(1);
    expect(editDistance('shoo', 'shoes', 1, true)).toBe(1);
    expect(editDistance('electorn', 'electronics', 2, false)).toBe(3);
  });

  it('given "shoos", then corrections offer "shoes" with one typo first', () => {
    expect(termCorrections('shoos', vocabulary, { prefix: false })[0]).toEqual({ term: 'shoes', typos: 1, documents: 100 });
  });

  it('given "electornics", then corrections offer "electronics" with one typo before "electronica" with two', () => {
    expect(termCorrections('electornics', vocabulary, { prefix: false }).map((c) => [c.term, c.typos])).toEqual([
      ['electronics', 1],
      ['electronica', 2],
    ]);
  });

  it('given a short term, then no corrections are made (too many false friends)', () => {
    expect(termCorrections('sho', vocabulary, { prefix: true })).toEqual([]);
  });

  it('given a term the index already holds or starts, then it is not offered as a typo', () => {
    expect(termCorrections('shoe', vocabulary, { prefix: true }).map((c) => c.term)).not.toContain('shoes');
    expect(termCorrections('boots', vocabulary, { prefix: false }).map((c) => c.term)).toEqual(['books']);
  });
});
