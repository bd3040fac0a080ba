import { searchTerms } from './searchText';
import { termCorrections, type VocabularyTerm } from './typoTolerance';

/** Which part of a store a tier matches: its name only, or any indexed field. */
export type SearchField = 'name' | 'any';

/** One full-text query of a search, run in order until the result limit is filled. */
export interface SearchTier {
  /** Typos allowed per term in this tier (0 = exact words or prefixes). */
  typos: number;
  field: SearchField;
  /** An SQLite FTS5 MATCH expression. */
  match: string;
}

/** What a typed query becomes: its normalised terms and the tiers to run, best first. */
export interface SearchPlan {
  terms: string[];
  tiers: SearchTier[];
}

const MAX_TERMS = 8;
const MAX_TERM_LENGTH = 40;
const NAME_COLUMN = 'name';

const quote = (term: string) => `"${term.replaceAll('"', '""')}"`;

/**
 * Plans a directory search. Tiers go from strict to lenient, and within a typo level the store
 * name comes before any field, which gives the ranking: stores whose name matches every term
 * first, then keyword/category/description matches, then the same with one typo, then two.
 * Every typed term matches as a prefix (search as you type); typo alternatives come from the
 * index's own vocabulary (see `termCorrections`), the last term still being typed unless the
 * query ends in a space.
 */
export function planSearch(query: string, vocabulary: readonly VocabularyTerm[]): SearchPlan {
  const terms = searchTerms(query)
    .slice(0, MAX_TERMS)
    .map((t) => t.slice(0, MAX_TERM_LENGTH));
  if (terms.length === 0) return { terms, tiers: [] };
  const stillTyping = !/\s$/u.test(query);
  const corrections = terms.map((t, i) => termCorrections(t, vocabulary, { prefix: stillTyping && i === terms.length - 1 }));

  const tiers: SearchTier[] = [];
  for (let typos = 0; typos <= 2; typos++) {
    const grew = typos === 0 || corrections.some((c) => c.some((x) => x.typos === typos));
    if (!grew) continue;
    const expr = terms
      .map((t, i) => {
        const alternatives = [`${quote(t)}*`, ...(corrections[i] ?? []).filter((c) => c.typos <= typos).map((c) => quote(c.term))];
        return alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' OR ')})`;
      })
      .join(' AND ');
    tiers.push({ typos, field: 'name', match: `{${NAME_COLUMN}} : (${expr})` });
    tiers.push({ typos, field: 'any', match: expr });
  }
  return { terms, tiers };
}
