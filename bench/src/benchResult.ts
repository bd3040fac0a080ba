import os from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One side of a benchmark: what ran and its figures (the headline figure is `value`). */
export interface BenchSide {
  label: string;
  value: number;
  [figure: string]: number | string;
}

/** A benchmark result as stored in bench/results/<name>.json. */
export interface BenchResult {
  name: string;
  candidate: BenchSide;
  baseline: BenchSide;
  /** candidate.value / baseline.value, so above 1 means the candidate is larger. */
  ratio: number;
  unit: string;
  /** The goal in words, e.g. "ratio >= 0.9" or "p99 <= 10 ms". */
  goal: string;
  /** Whether the goal was met in this run. */
  goalMet: boolean;
  machine: string;
  date: string;
  notes?: string;
}

/** Describes this machine in one line for the results table. */
export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus.length}x ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
}

/** Builds a result with the ratio, machine and date filled in, and writes it to bench/results. */
export function writeBenchResult(r: Omit<BenchResult, 'ratio' | 'machine' | 'date'>): BenchResult {
  const result: BenchResult = {
    ...r,
    ratio: Number((r.candidate.value / r.baseline.value).toFixed(3)),
    machine: machineDescription(),
    date: new Date().toISOString(),
  };
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${r.name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

/** Renders results as a Markdown table. */
export function benchResultTable(results: readonly BenchResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.candidate.label}: ${r.candidate.value} | ${r.baseline.label}: ${r.baseline.value} | ${r.unit} | ${r.ratio} | ${r.goal} | ${r.goalMet ? 'met' : 'missed'} | ${r.machine} | ${r.date.slice(0, 10)} |`,
  );
  return ['| benchmark | candidate | baseline | unit | ratio | goal | met | machine | date |', '|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}
