/** An inclusive run of sequences `first..last`. */
export interface SequenceRange {
  first: number;
  last: number;
}

/** How many sequences a range holds. */
export function rangeSize(range: SequenceRange): number {
  return range.last - range.first + 1;
}

/**
 * The union of ranges as sorted, disjoint, non-adjacent runs. Union is idempotent, commutative
 * and associative, which is why summary rows built on it stay correct under redelivery and
 * compaction: writing a range twice, or in another order, changes nothing.
 */
export function mergeRanges(ranges: readonly SequenceRange[]): SequenceRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first || a.last - b.last);
  const merged: SequenceRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.first <= last.last + 1) last.last = Math.max(last.last, range.last);
    else merged.push({ first: range.first, last: range.last });
  }
  return merged;
}

/** Contiguous runs of a set of sequences (duplicates and order do not matter). */
export function runsOf(sequences: Iterable<number>): SequenceRange[] {
  return mergeRanges([...sequences].map((s) => ({ first: s, last: s })));
}

/** `ranges` minus `remove`, both merged first. */
export function subtractRanges(ranges: readonly SequenceRange[], remove: readonly SequenceRange[]): SequenceRange[] {
  const out: SequenceRange[] = [];
  const cuts = mergeRanges(remove);
  for (const range of mergeRanges(ranges)) {
    let start = range.first;
    for (const cut of cuts) {
      if (cut.last < start || cut.first > range.last) continue;
      if (cut.first > start) out.push({ first: start, last: cut.first - 1 });
      start = Math.max(start, cut.last + 1);
      if (start > range.last) break;
    }
    if (start <= range.last) out.push({ first: start, last: range.last });
  }
  return out;
}

/** Total number of sequences in merged ranges. */
export function countOf(ranges: readonly SequenceRange[]): number {
  return mergeRanges(ranges).reduce((sum, r) => sum + rangeSize(r), 0);
}
