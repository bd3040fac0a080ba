import { readdirSync, readFileSync } from 'node:fs';

/** A running process whose command line names a folder of the stack. */
export interface FoundProcess {
  pid: number;
  commandLine: string;
}

/**
 * Every process whose command line mentions `stateDir/` (each server is started with a path
 * inside its profile's state folder), so `down` and `status` see a server even when its pid
 * record was lost. Scoped to one profile's folder, never a broad name match.
 */
export function findStackProcesses(stateDir: string): FoundProcess[] {
  const needle = stateDir.endsWith('/') ? stateDir : `${stateDir}/`;
  const found: FoundProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let commandLine: string;
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue;
    }
    if (commandLine.includes(needle)) found.push({ pid, commandLine });
  }
  return found;
}
