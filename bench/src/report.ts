// Renders bench/results/*.json as the table in bench/README.md, between the markers.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchResultTable, type BenchResult } from './benchResult';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
if (process.argv.includes('--help')) {
  console.log('Usage: tsx bench/src/report.ts\nRewrites the results table in bench/README.md from bench/results/*.json.');
  process.exit(0);
}
const results: BenchResult[] = readdirSync(`${benchDir}results`)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(`${benchDir}results/${f}`, 'utf8')) as BenchResult);
const readmePath = `${benchDir}README.md`;
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- results:start -->';
const end = '<!-- results:end -->';
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
writeFileSync(readmePath, `${before}\n${benchResultTable(results)}\n${after}`);
console.log(`bench/README.md: ${results.length} results`);
