import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { elapsedSince, type Report } from '../progress';
import { requireGo } from '../prerequisites';
import { StackError } from '../stackError';
import { logTail } from '../waitUntilReady';

const MODULE = 'github.com/FerretDB/FerretDB';

/** Where the FerretDB binary lives once built (GOBIN-style `.cache/bin`). */
export function ferretdbBinaryPath(cacheDir: string): string {
  return join(cacheDir, 'bin', 'ferretdb');
}

function makeWritable(path: string): void {
  chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) makeWritable(join(path, entry));
}

/** True when the pinned FerretDB binary is already built. */
export function isFerretdbBuilt(cacheDir: string, version: string): boolean {
  const binary = ferretdbBinaryPath(cacheDir);
  const marker = `${binary}.version`;
  return existsSync(binary) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === version;
}

/**
 * Builds FerretDB from the Go module proxy once. A plain `go install …/cmd/ferretdb@v1.24.2` gives a
 * binary that panics at start: the module zip has an empty build/version/version.txt, which
 * FerretDB's release tooling normally fills in. So we take the same module from the module cache,
 * write that one file and `go build` it, which is what `go install` would have done otherwise.
 */
export async function ensureFerretdb(cacheDir: string, version: string, report: Report): Promise<string> {
  const binary = ferretdbBinaryPath(cacheDir);
  const marker = `${binary}.version`;
  if (isFerretdbBuilt(cacheDir, version)) return binary;

  requireGo();
  const started = Date.now();
  const buildDir = join(cacheDir, 'go-build');
  mkdirSync(buildDir, { recursive: true });
  const logFile = join(buildDir, `ferretdb-${version}.log`);
  report(`building FerretDB ${version} with Go (first time only, 1–3 minutes on 2 cores; log ${logFile})`);

  const download = spawnSync('go', ['mod', 'download', '-json', `${MODULE}@${version}`], { encoding: 'utf8', cwd: buildDir });
  const moduleDir = download.status === 0 ? (JSON.parse(download.stdout) as { Dir?: string }).Dir : undefined;
  if (!moduleDir) {
    throw new StackError('DOWNLOAD_FAILED', `go mod download ${MODULE}@${version} failed:\n${download.stderr}`, 'check that the Go module proxy is reachable');
  }
  const source = join(buildDir, `ferretdb-${version}`);
  rmSync(source, { recursive: true, force: true });
  cpSync(moduleDir, source, { recursive: true });
  makeWritable(source);
  writeFileSync(join(source, 'build', 'version', 'version.txt'), `${version}\n`);

  mkdirSync(join(cacheDir, 'bin'), { recursive: true });
  rmSync(marker, { force: true });
  const logFd = openSync(logFile, 'w');
  const ticker = setInterval(() => report(`  … still compiling FerretDB, ${elapsedSince(started)}`), 15_000);
  try {
    const code = await new Promise<number | null>((resolveCode, reject) => {
      const child = spawn('go', ['build', '-trimpath', '-buildvcs=false', '-o', binary, './cmd/ferretdb'], {
        cwd: source,
        stdio: ['ignore', logFd, logFd],
        env: { ...process.env, CGO_ENABLED: '0' },
      });
      child.on('error', reject);
      child.on('exit', resolveCode);
    });
    if (code !== 0) throw new StackError('DOWNLOAD_FAILED', `go build of FerretDB failed (exit ${code}):\n${logTail(logFile)}`, `see ${logFile}`);
  } finally {
    clearInterval(ticker);
    closeSync(logFd);
    rmSync(source, { recursive: true, force: true });
  }
  writeFileSync(marker, `${version}\n`);
  report(`built FerretDB ${version} in ${elapsedSince(started)}`);
  return binary;
}
