/**
 * Remembers signatures until they leave the accepted time window, so the same signature is
 * accepted once. Memory is bounded: past `maxEntries` the oldest entries are forgotten first
 * (size it to the signed requests one skew window can bring; the rate limit bounds that).
 */
export class ReplayCache {
  private readonly entries = new Map<string, number>();

  constructor(private readonly maxEntries: number) {}

  /** Records `signature` until `expiresAtMs`; false when it was already recorded and unexpired. */
  remember(signature: string, expiresAtMs: number, nowMs: number): boolean {
    this.sweep(nowMs);
    const seen = this.entries.get(signature);
    if (seen !== undefined && seen > nowMs) return false;
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(signature, expiresAtMs);
    return true;
  }

  /** Signatures remembered now. */
  get size(): number {
    return this.entries.size;
  }

  // Entries are roughly in expiry order (insertion order, created within the skew window), so
  // sweeping from the front until the first live entry keeps the cost per call small.
  private sweep(nowMs: number): void {
    for (const [signature, expiresAt] of this.entries) {
      if (expiresAt > nowMs) break;
      this.entries.delete(signature);
    }
  }
}
