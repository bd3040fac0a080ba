/** How retries back off: exponential with full jitter, capped. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * "Full jitter" backoff: a uniformly random delay between 0 and min(cap, base * 2^(attempt-1)).
 * Randomness is a parameter (`random` in [0, 1)), so the policy is pure and testable; spreading
 * retries over the whole window keeps a fleet of kiosks from retrying in lockstep after an outage.
 */
export function fullJitterDelayMs(policy: BackoffPolicy, attempt: number, random: number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const r = Math.min(Math.max(random, 0), 1);
  return Math.floor(r * ceiling);
}

/**
 * Parses an HTTP `Retry-After` value (delay-seconds or an HTTP-date) into milliseconds from
 * `nowMs`, or undefined when it is absent or unreadable. Never negative.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
