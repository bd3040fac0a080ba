import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readProcStat } from '../process/processRecord';
import type { Report } from '../progress';
import { StackError } from '../stackError';

interface LockHolder {
  pid: number;
  startTicks: string;
}

function holderAlive(holder: LockHolder): boolean {
  return readProcStat(holder.pid)?.startTicks === holder.startTicks;
}

/**
 * Runs `action` while holding the profile's lock file, so two test runs (or a test run and a
 * person) never start or stop the same stack at once. A lock left by a dead process is taken over.
 */
export async function withStackLock<T>(stateDir: string, report: Report, action: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  mkdirSync(stateDir, { recursive: true });
  const lockFile = join(stateDir, '.stack.lock');
  const self: LockHolder = { pid: process.pid, startTicks: readProcStat(process.pid)?.startTicks ?? '' };
  const started = Date.now();
  let lastReport = 0;
  for (;;) {
    try {
      writeFileSync(lockFile, JSON.stringify(self), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: LockHolder | undefined;
    try {
      holder = JSON.parse(readFileSync(lockFile, 'utf8')) as LockHolder;
    } catch {
      // Being written right now: look again shortly.
    }
    if (holder && !holderAlive(holder)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new StackError('LOCKED', `another stack command (pid ${holder?.pid ?? '?'}) holds ${lockFile}`, 'wait for it to finish, or stop it');
    }
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      report(`waiting for another stack command (pid ${holder?.pid ?? '?'}) to finish`);
    }
    await sleep(300);
  }
  try {
    return await action();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
