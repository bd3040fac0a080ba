import { describe, expect, it } from 'vitest';
import { failureKind, PoisonEventError } from './failureKind';
import { retryDelay } from './retryDelay';

describe('consumer failure handling', () => {
  it('classifies data errors as poison and outages as transient', () => {
    expect(failureKind(new PoisonEventError('bad'))).toBe('poison');
    expect(failureKind(Object.assign(new Error('x'), { code: '23505', severity: 'ERROR' }))).toBe('poison');
    expect(failureKind(Object.assign(new Error('x'), { code: '57P01', severity: 'FATAL' }))).toBe('transient');
    expect(failureKind(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe('transient');
    expect(failureKind(Object.assign(new Error('unconfigured table x'), { name: 'ResponseError', code: 0x2200 }))).toBe('transient');
  });

  it('backs off exponentially with jitter up to the ceiling', () => {
    expect(retryDelay(0, 100, 1_000, () => 1)).toBe(100);
    expect(retryDelay(3, 100, 1_000, () => 1)).toBe(800);
    expect(retryDelay(10, 100, 1_000, () => 0)).toBe(500);
  });
});
