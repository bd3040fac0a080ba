import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';

/** A free TCP port on 127.0.0.1 (asked of the OS, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** How to run one of our services (gateway, cloud services, a simulated kiosk) as a child process. */
export interface ChildServiceSpec {
  name: string;
  /** TypeScript entry point relative to the repo root, run with tsx. */
  script: string;
  args?: string[];
  env: Record<string, string>;
  /** Output of every run is appended here. */
  logFile: string;
  /** Resolves when the started process is ready (polled until `readyTimeoutMs`). */
  ready?: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** Start it again when it dies on its own, as a process supervisor (systemd, Kubernetes) would. */
  supervise?: boolean;
}

/**
 * One of our services as a child process that a fault test may SIGKILL and start again. Only
 * processes this object started are ever signalled, by their own pid.
 */
export class ChildService {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private log: WriteStream;
  /** Number of times the process was started. */
  starts = 0;
  /** Times it died on its own (not killed by us) and the supervisor started it again. */
  crashes = 0;
  private stopping = false;

  constructor(public spec: ChildServiceSpec) {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until it is ready. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.spec.name} is already running`);
    this.starts += 1;
    this.log.write(`\n--- start ${this.starts} at ${new Date().toISOString()} ---\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', this.spec.script, ...(this.spec.args ?? [])], {
      cwd: findRepoPaths().root,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => {
      if (!this.spec.supervise || this.stopping || this.child !== child) return;
      this.crashes += 1;
      this.log.write(`\n--- exited on its own (code ${code}, signal ${signal}); supervisor restarts it ---\n`);
      setTimeout(() => {
        if (!this.stopping && !this.running) void this.start().catch((error: unknown) => this.log.write(`supervisor: restart failed: ${String(error)}\n`));
      }, 1_000);
    });
    if (!this.spec.ready) return;
    const deadline = Date.now() + (this.spec.readyTimeoutMs ?? 120_000);
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.spec.name} exited while starting (code ${child.exitCode}); see ${this.spec.logFile}`);
      if (await this.spec.ready().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.spec.name} was not ready within ${this.spec.readyTimeoutMs ?? 120_000} ms; see ${this.spec.logFile}`);
  }

  /** Waits for the process to end by itself (bounded); returns its exit code, or null on timeout. */
  async waitForExit(timeoutMs: number): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    const done = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs))]);
    return done ? child.exitCode : null;
  }

  /** Sends `signal` to the process and waits until it has exited. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 30_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.stopping = true;
    child.kill(signal);
    const done = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs))]);
    if (!done) {
      child.kill('SIGKILL');
      await this.exited;
    }
    this.stopping = false;
  }

  /** Stops gracefully (SIGTERM, then SIGKILL) and closes the log. */
  async stop(): Promise<void> {
    await this.kill('SIGTERM', 20_000);
    this.stopping = true;
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}

/** True when `url` answers 200. */
export async function answers200(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  await response.arrayBuffer();
  return response.status === 200;
}
