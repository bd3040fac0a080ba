import { spawn, type ChildProcess } from 'node:child_process';

/** A process a test started, with its output kept for the failure message. */
export interface TestChild {
  name: string;
  pid: number;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a process and resolves once a line of its output matches `ready` (or rejects when it
 * exits first or `timeoutMs` passes, quoting what it printed).
 */
export function startChild(name: string, file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; ready: RegExp; timeoutMs: number }): Promise<TestChild> {
  const child: ChildProcess = spawn(file, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const handle: TestChild = {
    name,
    pid: child.pid ?? -1,
    output: () => text,
    async stop(graceMs = 5_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void handle.stop(500);
      reject(new Error(`${name} was not ready after ${options.timeoutMs} ms:\n${text.slice(-3000)}`));
    }, options.timeoutMs);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      if (text.length > 200_000) text = text.slice(-100_000);
      if (options.ready.test(text)) {
        clearTimeout(timer);
        resolve(handle);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready:\n${text.slice(-3000)}`));
    });
  });
}
