import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeRanges, runsOf, subtractRanges } from '../eventStore/sequenceRanges';
import { bucketsBetween, sequenceBucket } from '../eventStore/sequenceBucket';
import { auditKiosk, formatAuditTable } from './gapAudit';

describe('gap audit', () => {
  it('given stored runs with a hole, when audited, then the hole is the missing range and contiguity stops before it', () => {
    const audit = auditKiosk('mall-01-k001', [{ first: 1, last: 10 }, { first: 15, last: 20 }], []);
    expect(audit).toMatchObject({ highestContiguous: 10, highestSeen: 20, storedCount: 16, missing: [{ first: 11, last: 14 }], missingCount: 4 });
  });

  it('given dead-lettered sequences inside a hole, when audited, then they count as accounted for but apart', () => {
    const audit = auditKiosk('k-1', [{ first: 1, last: 4 }, { first: 6, last: 8 }], [{ first: 5, last: 5 }]);
    expect(audit).toMatchObject({ highestContiguous: 8, storedCount: 7, deadLetteredCount: 1, missingCount: 0 });
  });

  it('given sequence 1 is missing, when audited, then nothing is contiguous', () => {
    expect(auditKiosk('k-1', [{ first: 3, last: 5 }], []).highestContiguous).toBe(0);
  });

  it('given summary rows written twice, overlapping and in any order, when merged, then the union is the same (redelivery-safe)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 80 }), fc.integer({ min: 1, max: 5 }), (seqs, split) => {
        const once = runsOf(seqs);
        const chunks = [...seqs].reverse().reduce<number[][]>((acc, s, i) => (i % split === 0 ? [...acc, [s]] : (acc[acc.length - 1]!.push(s), acc)), []);
        const again = mergeRanges([...once, ...chunks.flatMap((c) => runsOf(c)), ...once]);
        expect(again).toEqual(once);
        expect(once.reduce((n, r) => n + r.last - r.first + 1, 0)).toBe(new Set(seqs).size);
      }),
    );
  });

  it('subtracts ranges', () => {
    expect(subtractRanges([{ first: 1, last: 10 }], [{ first: 3, last: 4 }, { first: 8, last: 12 }])).toEqual([{ first: 1, last: 2 }, { first: 5, last: 7 }]);
  });

  it('renders a table with one row per kiosk', () => {
    const table = formatAuditTable([auditKiosk('mall-01-k001', [{ first: 1, last: 3 }, { first: 5, last: 5 }], [])]);
    expect(table.split('\n')).toHaveLength(3);
    expect(table).toContain('mall-01-k001');
    expect(table).toContain('4');
  });
});

describe('sequence buckets', () => {
  it('keeps a bucket to 100,000 sequences and walks buckets in order', () => {
    expect(sequenceBucket(1)).toBe(0);
    expect(sequenceBucket(99_999)).toBe(0);
    expect(sequenceBucket(100_000)).toBe(1);
    expect(bucketsBetween(99_000, 250_000)).toEqual([0, 1, 2]);
  });
});
