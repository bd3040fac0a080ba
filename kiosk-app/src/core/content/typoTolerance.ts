// Typo tolerance for directory search, done the way Meilisearch and Typesense do it: a typed term
// may match an indexed term within a small edit distance that grows with the term's length, and
// results with fewer typos rank first. The distance is optimal string alignment (Levenshtein plus
// adjacent transpositions), since "electornics" is one slip of the fingers, not two.

/** An indexed term and how many documents hold it. */
export interface VocabularyTerm {
  term: string;
  documents: number;
}

/** A vocabulary term that a typed term may stand for, and at what edit distance. */
export interface TermCorrection {
  term: string;
  typos: number;
  documents: number;
}

/** How many typos a typed term of this length may carry: none below 4 letters, 1 up to 7, then 2. */
export function typoBudget(length: number): number {
  if (length < 4) return 0;
  if (length < 8) return 1;
  return 2;
}

/**
 * Optimal string alignment distance between `typed` and `term`, or between `typed` and the
 * closest prefix of `term` when `prefix` is set (the shopper is still typing). Returns
 * `max + 1` as soon as the distance is known to exceed `max`, so a scan over a vocabulary stays
 * cheap.
 */
export function editDistance(typed: string, term: string, max: number, prefix = false): number {
  const a = Array.from(typed);
  const b = Array.from(term);
  if (!prefix && Math.abs(a.length - b.length) > max) return max + 1;
  // Past a.length + max letters a prefix of `term` cannot come within `max` of `typed`.
  const cols = prefix ? Math.min(b.length, a.length + max) : b.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: cols + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prevPrev[j - 2] as number) + 1);
      row.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  const distance = prefix ? Math.min(...prev) : (prev[cols] as number);
  return Math.min(distance, max + 1);
}

/**
 * The vocabulary terms a typed term may stand for with at least one typo, best first (fewer
 * typos, then more documents). Exact and plain-prefix matches are left out: the full-text
 * index finds those itself. `prefix` is for the term still being typed.
 */
export function termCorrections(typed: string, vocabulary: readonly VocabularyTerm[], options: { prefix: boolean; maxTypos?: number; limit?: number }): TermCorrection[] {
  const budget = Math.min(typoBudget(Array.from(typed).length), options.maxTypos ?? 2);
  if (budget === 0) return [];
  const out: TermCorrection[] = [];
  for (const v of vocabulary) {
    if (v.term === typed || (options.prefix && v.term.startsWith(typed))) continue;
    const typos = editDistance(typed, v.term, budget, options.prefix);
    if (typos >= 1 && typos <= budget) out.push({ term: v.term, typos, documents: v.documents });
  }
  out.sort((x, y) => x.typos - y.typos || y.documents - x.documents || (x.term < y.term ? -1 : 1));
  return out.slice(0, options.limit ?? 24);
}
