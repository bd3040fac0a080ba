import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fullJitterDelayMs, parseRetryAfterMs } from './backoff';

const policy = { baseMs: 500, capMs: 60_000 };

describe('full-jitter backoff', () => {
  it('spreads the first retry over [0, base)', () => {
    expect(fullJitterDelayMs(policy, 1, 0)).toBe(0);
    expect(fullJitterDelayMs(policy, 1, 0.5)).toBe(250);
    expect(fullJitterDelayMs(policy, 1, 0.999)).toBe(499);
  });

  it('doubles the window per attempt', () => {
    expect(fullJitterDelayMs(policy, 4, 0.5)).toBe(2_000);
  });

  it('never exceeds the cap, however many attempts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, random) => {
        const delay = fullJitterDelayMs(policy, attempt, random);
        return delay >= 0 && delay <= policy.capMs;
      }),
    );
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-27T10:00:00Z');
  it('reads delay-seconds', () => expect(parseRetryAfterMs('120', now)).toBe(120_000));
  it('reads an HTTP date', () => expect(parseRetryAfterMs('Fri, 27 Nov 2026 10:00:30 GMT', now)).toBe(30_000));
  it('treats a date in the past as now', () => expect(parseRetryAfterMs('Fri, 27 Nov 2026 09:00:00 GMT', now)).toBe(0));
  it('ignores garbage and absence', () => {
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });
});
