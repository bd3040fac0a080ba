import { setTimeout as sleep } from 'node:timers/promises';
import { isRecordAlive, type ProcessRecord } from './processRecord';

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

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // Already gone.
  }
}

async function waitGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isGroupAlive(pgid)) return true;
    await sleep(200);
  }
  return !isGroupAlive(pgid);
}

/** How a stop went, for the `down` summary. */
export type StopOutcome = 'not-running' | 'stopped' | 'killed';

/**
 * Asks the group leader to shut down cleanly with `stopSignal` (PostgreSQL wants SIGINT for a fast
 * shutdown; SIGTERM would wait for clients), waits for the whole group to exit, then SIGKILLs
 * the group so nothing of it survives.
 */
export async function stopProcessGroup(record: ProcessRecord, stopSignal: NodeJS.Signals, graceMs: number): Promise<StopOutcome> {
  // A recycled pid is someone else's: never signal it. Survivors of a dead leader are found
  // by the state-folder scan in stackDown instead.
  if (!isRecordAlive(record)) return 'not-running';
  signal(record.pid, stopSignal);
  if (await waitGone(record.pid, graceMs)) return 'stopped';
  signal(-record.pid, 'SIGKILL');
  await waitGone(record.pid, 5_000);
  return 'killed';
}
