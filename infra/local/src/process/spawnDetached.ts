import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { StackError } from '../stackError';
import { readProcStat, writeProcessRecord, type ProcessRecord } from './processRecord';

/** How to launch one server process in the background. */
export interface DetachedSpawn {
  name: string;
  service: string;
  version: string;
  command: string;
  args: string[];
  cwd: string;
  logFile: string;
  pidsDir: string;
  env?: NodeJS.ProcessEnv;
  /** Drop to this user (PostgreSQL refuses to run as root). */
  runAs?: { uid: number; gid: number };
  meta?: Record<string, string | number>;
}

/**
 * Starts a server in its own process group (so `down` can signal the whole group), with stdout
 * and stderr appended to its log file, and records it; the CLI may exit while it keeps running.
 */
export function spawnDetached(spec: DetachedSpawn): ProcessRecord {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const logFd = openSync(spec.logFile, 'a');
  let pid: number | undefined;
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', logFd, logFd],
      ...(spec.runAs ? { uid: spec.runAs.uid, gid: spec.runAs.gid } : {}),
    });
    // An exec failure is reported asynchronously; pid is then undefined, which is handled below.
    child.on('error', () => undefined);
    child.unref();
    pid = child.pid;
  } finally {
    closeSync(logFd);
  }
  const stat = pid === undefined ? undefined : readProcStat(pid);
  if (pid === undefined || stat === undefined) {
    throw new StackError('START_FAILED', `could not start ${spec.name} (${spec.command})`, `see ${spec.logFile}`);
  }
  const record: ProcessRecord = {
    name: spec.name,
    service: spec.service,
    pid,
    startTicks: stat.startTicks,
    version: spec.version,
    logFile: spec.logFile,
    command: [spec.command, ...spec.args],
    startedAt: new Date().toISOString(),
    meta: spec.meta ?? {},
  };
  writeProcessRecord(spec.pidsDir, record);
  return record;
}
