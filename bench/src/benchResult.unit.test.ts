import { describe, expect, it } from 'vitest';
import { benchResultTable, type BenchResult } from './benchResult';

describe('the results table', () => {
  it('shows one row per result with its ratio and whether the goal was met', () => {
    const r: BenchResult = {
      name: 'outboxAppend',
      candidate: { label: 'outbox', value: 9000 },
      baseline: { label: 'bare insert', value: 10000 },
      ratio: 0.9,
      unit: 'events/s',
      goal: 'ratio >= 0.9',
      goalMet: true,
      machine: '2x cpu',
      date: '2026-11-27T10:00:00.000Z',
    };
    const table = benchResultTable([r]).split('\n');
    expect(table).toHaveLength(3);
    expect(table[2]).toBe('| outboxAppend | outbox: 9000 | bare insert: 10000 | events/s | 0.9 | ratio >= 0.9 | met | 2x cpu | 2026-11-27 |');
  });
});
