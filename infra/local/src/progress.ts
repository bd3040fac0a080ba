/** Where a step reports human progress; a CLI prints lines, a test setup may prefix or silence them. */
export type Report = (message: string) => void;

/** A reporter that prints `[service] message` lines to stderr, leaving stdout for data. */
export function reporterFor(label: string): Report {
  return (message) => process.stderr.write(`[${label}] ${message}\n`);
}

/** Seconds since `startMs`, with one decimal, for progress lines. */
export function elapsedSince(startMs: number): string {
  return `${((Date.now() - startMs) / 1000).toFixed(1)}s`;
}
