// Shared pieces of the cloud-services benchmarks: endpoints of the test stack, an isolated
// keyspace/schema per run, and the result file format (name, candidate, baseline, ratio, …).
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { endpointsFor } from '../../infra/local/src/stackEndpoints';
import { resolveStackConfig } from '../../infra/local/src/stackConfig';
import { findRepoPaths } from '../../infra/local/src/repoPaths';
import { endpointsFromEnv, type StackEndpoints } from '../../infra/local/src/stackEndpoints';

/** The running test stack's endpoints (env vars when set, else the test profile's ports). */
export function benchEndpoints(): StackEndpoints {
  try {
    return endpointsFromEnv(process.env);
  } catch {
    return endpointsFor(resolveStackConfig({ profile: 'test', brokers: 1 }, process.env, findRepoPaths()));
  }
}

/** One side of a comparison. */
export interface BenchSide {
  label: string;
  [figure: string]: string | number;
}

/** Writes bench/results/<name>.json. */
export function writeBenchResult(name: string, result: { candidate: BenchSide; baseline: BenchSide; ratio: number; unit: string; goal: string; notes?: string }): void {
  const file = join(findRepoPaths().root, 'bench', 'results', `${name}.json`);
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB`;
  writeFileSync(file, `${JSON.stringify({ name, ...result, machine, date: new Date().toISOString() }, null, 2)}\n`);
  process.stdout.write(`${name}: candidate ${JSON.stringify(result.candidate)} baseline ${JSON.stringify(result.baseline)} ratio ${result.ratio.toFixed(3)} (${result.goal})\n`);
}
