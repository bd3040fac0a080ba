import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { elapsedSince, type Report } from './progress';
import { StackError } from './stackError';

/** How to wait for one server to answer its own protocol. */
export interface ReadyWait<T> {
  what: string;
  /** Resolves once the server answers; throws while it does not yet. */
  check: () => Promise<T>;
  timeoutMs: number;
  /** The log to point at; a function when which log matters is known only at failure time. */
  logFile: string | (() => string);
  /** False once the process has died, so we fail at once instead of waiting out the timeout. */
  isAlive: () => boolean;
  report: Report;
  intervalMs?: number;
}

/** The last lines of a log, for an error message that shows why a server did not come up. */
export function logTail(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log yet)';
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.slice(0, 160) ?? '';
}

/** Polls `check` until it succeeds, printing progress every few seconds; fails with the log's tail. */
export async function waitUntilReady<T>(wait: ReadyWait<T>): Promise<T> {
  const started = Date.now();
  const logFile = (): string => (typeof wait.logFile === 'function' ? wait.logFile() : wait.logFile);
  let lastError: unknown;
  let lastReport = started;
  for (;;) {
    try {
      return await wait.check();
    } catch (error) {
      lastError = error;
    }
    if (!wait.isAlive()) {
      throw new StackError(
        'START_FAILED',
        `${wait.what} exited while starting; last lines of ${logFile()}:\n${logTail(logFile())}`,
        `see ${logFile()}`,
      );
    }
    if (Date.now() - started > wait.timeoutMs) {
      throw new StackError(
        'NOT_READY',
        `${wait.what} did not answer within ${Math.round(wait.timeoutMs / 1000)}s (last error: ${describe(lastError)})`,
        `see ${logFile()}; a slow machine can raise ATRIUM_STACK_READY_TIMEOUT_S`,
      );
    }
    if (Date.now() - lastReport >= 5_000) {
      lastReport = Date.now();
      wait.report(`waiting for ${wait.what} to answer… ${elapsedSince(started)} (${describe(lastError)})`);
    }
    await sleep(wait.intervalMs ?? 500);
  }
}
