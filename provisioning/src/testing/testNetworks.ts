import { randomInt } from 'node:crypto';

/** The hub tunnel address the service-level tests use; never inside a test pool. */
export const TEST_HUB_TUNNEL_ADDRESS = '100.64.0.1';

/**
 * A random pool in 100.65.0.0–100.127.255.255 (shared address space, never routed here), so
 * concurrent or leftover runs on the shared database practically never overlap.
 */
export function randomTestPool(prefix: number): string {
  const second = randomInt(65, 128);
  const third = randomInt(0, 256);
  const size = 2 ** (32 - prefix);
  const fourth = prefix >= 24 ? randomInt(0, 256 / size) * size : 0;
  return `100.${second}.${third}.${fourth}/${prefix}`;
}
