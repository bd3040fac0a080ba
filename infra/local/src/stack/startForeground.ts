import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { appServices, type AppService, type AppServiceOptions } from '../appServices';
import { isRecordAlive, readProcessRecords } from '../process/processRecord';
import { reporterFor } from '../progress';
import type { StackConfig } from '../stackConfig';
import { endpointsToEnv, type StackEndpoints } from '../stackEndpoints';

function prefixLines(stream: NodeJS.ReadableStream | null, name: string): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
}

function spawnAppService(config: StackConfig, endpoints: StackEndpoints, app: AppService): ChildProcess {
  const child = spawn(app.command, app.args, {
    cwd: join(config.repoRoot, app.cwd ?? '.'),
    env: { ...process.env, ...endpointsToEnv(endpoints), ...(app.env?.(endpoints) ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(child.stdout, app.name);
  prefixLines(child.stderr, app.name);
  child.on('exit', (code, signal) => reporterFor(app.name)(`exited (${signal ?? `code ${code}`})`));
  return child;
}

/**
 * Runs the registered app services against the stack and stays in the foreground until Ctrl-C,
 * warning if a server of the stack dies meanwhile. On exit it stops only the app services;
 * `onExit` (e.g. bringing the stack down) runs when the caller asked for it.
 */
export async function runInForeground(config: StackConfig, endpoints: StackEndpoints, apps: AppServiceOptions, onExit: () => Promise<void>): Promise<void> {
  const report = reporterFor('start');
  const children = appServices(apps).map((app) => {
    report(`starting app service ${app.name}`);
    return spawnAppService(config, endpoints, app);
  });
  if (children.length === 0) report('no app services registered yet (infra/local/src/appServices.ts)');
  report('running; Ctrl-C to leave (the stack keeps running: npm run stack:down stops it)');

  const warned = new Set<string>();
  const watchdog = setInterval(() => {
    for (const record of readProcessRecords(config.pidsDir)) {
      if (!isRecordAlive(record) && !warned.has(record.name)) {
        warned.add(record.name);
        report(`warning: ${record.name} (pid ${record.pid}) has stopped; see ${record.logFile}`);
      }
    }
  }, 10_000);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  clearInterval(watchdog);
  report(`${signal}: stopping app services`);
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await onExit();
}
