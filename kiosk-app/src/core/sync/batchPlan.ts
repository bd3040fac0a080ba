/**
 * How many of the next events fit one batch: at most `maxEvents` and `maxBytes` (sum of the
 * events' JSON sizes), but always at least one, so a single large event still travels.
 */
export function batchCount(sizes: readonly number[], maxEvents: number, maxBytes: number): number {
  let bytes = 0;
  let count = 0;
  for (const size of sizes) {
    if (count >= maxEvents) break;
    if (count > 0 && bytes + size > maxBytes) break;
    bytes += size;
    count += 1;
  }
  return count;
}
