import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { partitionBatches, type PartitionStatement } from './partitionBatches';

const statement = (table: string, key: string, n: number, bytes = 100): PartitionStatement => ({ query: `INSERT ${table}`, params: [key, n], partition: [table, key], bytes });

describe('single-partition batches of the event store', () => {
  it('given rows of two kiosks in two tables, when grouped, then each batch writes one partition and keeps the rows in order', () => {
    const rows = [statement('by_kiosk', 'k1', 1), statement('by_type', 'viewed', 1), statement('by_kiosk', 'k2', 1), statement('by_kiosk', 'k1', 2), statement('by_type', 'viewed', 2)];
    const batches = partitionBatches(rows);
    expect(batches.map((b) => b.map((s) => `${s.partition.join('/')}#${s.params[1]}`))).toEqual([
      ['by_kiosk/k1#1', 'by_kiosk/k1#2'],
      ['by_type/viewed#1', 'by_type/viewed#2'],
      ['by_kiosk/k2#1'],
    ]);
  });

  it('given a partition with more rows than a batch may hold, when grouped, then it is cut by count and by size', () => {
    const many = Array.from({ length: 7 }, (_, i) => statement('by_kiosk', 'k1', i, 40));
    expect(partitionBatches(many, { maxStatements: 3, maxBytes: 1_000 }).map((b) => b.length)).toEqual([3, 3, 1]);
    expect(partitionBatches(many, { maxStatements: 100, maxBytes: 100 }).map((b) => b.length)).toEqual([2, 2, 2, 1]);
  });

  it('given any statements, when grouped, then every statement is in exactly one batch, each batch is one partition within the limits', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('k1', 'k2', 'k3'), fc.integer({ min: 1, max: 500 })), { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (specs, maxStatements) => {
        const rows = specs.map(([table, key, bytes], i) => statement(table, key, i, bytes));
        const batches = partitionBatches(rows, { maxStatements, maxBytes: 1_000 });
        expect(batches.flat().map((s) => s.params[1]).sort((x, y) => Number(x) - Number(y))).toEqual(rows.map((s) => s.params[1]));
        for (const batch of batches) {
          expect(new Set(batch.map((s) => JSON.stringify(s.partition))).size).toBe(1);
          expect(batch.length).toBeLessThanOrEqual(maxStatements);
          // a single statement larger than the byte limit still goes, alone
          if (batch.length > 1) expect(batch.reduce((n, s) => n + s.bytes, 0)).toBeLessThanOrEqual(1_000);
        }
      }),
    );
  });
});
