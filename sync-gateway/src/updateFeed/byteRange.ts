import parseRange from 'range-parser';

/** How to answer a download given its Range and If-Range headers. */
export type RangeDecision =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

/**
 * Decides a GET of a `size`-byte artefact whose strong validator is `etag`. One range gets 206.
 * A malformed Range, several ranges (we send no multipart/byteranges) or an If-Range that no longer
 * matches get the whole artefact with 200, which RFC 9110 allows; a range past the end gets 416.
 */
export function decideRange(size: number, etag: string, rangeHeader: string | undefined, ifRange: string | undefined): RangeDecision {
  if (!rangeHeader) return { kind: 'full' };
  if (ifRange !== undefined && ifRange !== etag) return { kind: 'full' };
  const ranges = parseRange(size, rangeHeader, { combine: true });
  if (ranges === -1) return { kind: 'unsatisfiable' };
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return { kind: 'full' };
  const [range] = ranges;
  return { kind: 'partial', start: range!.start, end: range!.end };
}
