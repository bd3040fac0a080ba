import { setTimeout as sleep } from 'node:timers/promises';
import { descendantsOf, type ProcessIdentity } from './findStackProcesses';
import { isRecordAlive, readProcStat, type ProcessRecord } from './processRecord';

/** True while any process of the group led by `pgid` exists. */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else; treat as alive so we never claim success wrongly.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isAlive(identity: ProcessIdentity): boolean {
  const stat = readProcStat(identity.pid);
  return stat !== undefined && stat.startTicks === identity.startTicks && stat.state !== 'Z';
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // Already gone.
  }
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (done()) return true;
    await sleep(200);
  }
  return done();
}

/** How a stop went, for the `down` summary. */
export type StopOutcome = 'not-running' | 'stopped' | 'killed';

/**
 * Asks the group leader to shut down cleanly with `stopSignal` (PostgreSQL wants SIGINT for a fast
 * shutdown; SIGTERM would wait for clients), waits until its group and every descendant (some
 * leave the group) have exited, then SIGKILLs whatever is left.
 */
export async function stopProcessGroup(record: ProcessRecord, stopSignal: NodeJS.Signals, graceMs: number): Promise<StopOutcome> {
  // A recycled pid is someone else's: never signal it. Survivors of a dead leader are found
  // by the state-folder scan in stackDown instead.
  if (!isRecordAlive(record)) return 'not-running';
  const descendants = descendantsOf(record.pid);
  const allGone = (): boolean => !isGroupAlive(record.pid) && !descendants.some(isAlive);
  signal(record.pid, stopSignal);
  if (await waitUntil(allGone, graceMs)) return 'stopped';
  signal(-record.pid, 'SIGKILL');
  for (const descendant of descendants) if (isAlive(descendant)) signal(descendant.pid, 'SIGKILL');
  await waitUntil(allGone, 5_000);
  return 'killed';
}
