import { readdirSync, readFileSync } from 'node:fs';

/** A running process whose command line names a folder of the stack. */
export interface FoundProcess {
  pid: number;
  commandLine: string;
}

/** Programs the stack runs; a shell or `tail -f` that merely names a log file is not one. */
const SERVER_PROGRAMS = new Set(['java', 'postgres', 'ferretdb']);

/**
 * Every server process whose command line mentions `stateDir/` (each server is started with a
 * path inside its profile's state folder), so `down` and `status` see a server even when its pid
 * record was lost. Scoped to one profile's folder, never a broad name match.
 */
export function findStackProcesses(stateDir: string): FoundProcess[] {
  const needle = stateDir.endsWith('/') ? stateDir : `${stateDir}/`;
  const found: FoundProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const program = (argv[0] ?? '').split('/').pop() ?? '';
    const commandLine = argv.join(' ').trim();
    if (SERVER_PROGRAMS.has(program) && commandLine.includes(needle)) found.push({ pid, commandLine });
  }
  return found;
}

/** A process identified by pid and start time, so a recycled pid is never mistaken for it. */
export interface ProcessIdentity {
  pid: number;
  startTicks: string;
}

/**
 * Every descendant of `rootPid`, found through parent pids in /proc. PostgreSQL's children call
 * setsid(), so they leave the postmaster's process group; this is how `down` still sees them.
 */
export function descendantsOf(rootPid: number): ProcessIdentity[] {
  const children = new Map<number, ProcessIdentity[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const startTicks = fields[19] ?? '';
    const list = children.get(ppid) ?? [];
    list.push({ pid, startTicks });
    children.set(ppid, list);
  }
  const found: ProcessIdentity[] = [];
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child.pid);
    }
  };
  visit(rootPid);
  return found;
}
