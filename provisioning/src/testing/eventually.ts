import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` every `intervalMs` until it returns a value, and returns it; throws naming
 * `what` when `limitMs` passes first. A bound on waiting, never a timing assertion.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, limitMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${limitMs} ms`);
    await sleep(intervalMs);
  }
}
