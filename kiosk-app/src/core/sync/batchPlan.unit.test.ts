import { describe, expect, it } from 'vitest';
import { batchCount } from './batchPlan';

describe('batch planning', () => {
  it('stops at the event bound', () => expect(batchCount([10, 10, 10, 10], 3, 1_000)).toBe(3));
  it('stops before the byte bound', () => expect(batchCount([400, 400, 400], 10, 1_000)).toBe(2));
  it('always carries one event, even an oversize one', () => expect(batchCount([5_000, 10], 10, 1_000)).toBe(1));
  it('carries nothing when nothing is queued', () => expect(batchCount([], 10, 1_000)).toBe(0));
});
