import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the stack remembers about a server process it started (one JSON file per process). */
export interface ProcessRecord {
  /** Unique within a profile, e.g. `kafka-2`; also the pid file's name. */
  name: string;
  /** The service it belongs to, e.g. `kafka`. */
  service: string;
  /** Process id, which is also its process-group id (spawned detached, so it leads its own group). */
  pid: number;
  /** Start time in clock ticks from /proc, so a recycled pid is not mistaken for our process. */
  startTicks: string;
  version: string;
  logFile: string;
  command: string[];
  startedAt: string;
  /** Service-specific facts, e.g. the Kafka topology. */
  meta: Record<string, string | number>;
}

/** Start time (field 22 of /proc/<pid>/stat) and state; undefined when no such process. */
export function readProcStat(pid: number): { startTicks: string; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    const startTicks = fields[19];
    return state && startTicks ? { state, startTicks } : undefined;
  } catch {
    return undefined;
  }
}

/** True while the recorded process (not merely some process with the same pid) is running. */
export function isRecordAlive(record: ProcessRecord): boolean {
  const stat = readProcStat(record.pid);
  return stat !== undefined && stat.startTicks === record.startTicks && stat.state !== 'Z';
}

export function writeProcessRecord(pidsDir: string, record: ProcessRecord): void {
  mkdirSync(pidsDir, { recursive: true });
  writeFileSync(join(pidsDir, `${record.name}.json`), JSON.stringify(record, null, 2) + '\n');
}

export function removeProcessRecord(pidsDir: string, name: string): void {
  rmSync(join(pidsDir, `${name}.json`), { force: true });
}

/** Every process record of a profile; unreadable files are skipped (a crash mid-write leaves nothing to stop). */
export function readProcessRecords(pidsDir: string): ProcessRecord[] {
  let files: string[];
  try {
    files = readdirSync(pidsDir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const records: ProcessRecord[] = [];
  for (const file of files.sort()) {
    try {
      records.push(JSON.parse(readFileSync(join(pidsDir, file), 'utf8')) as ProcessRecord);
    } catch {
      // A half-written record: its process, if any, is found by the state-dir scan in stackDown.
    }
  }
  return records;
}
