import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How the shell runs Chromium in front of the shopper. */
export interface ChromiumOptions {
  executablePath: string;
  url: string;
  userDataDir?: string;
  headless?: boolean;
  /** Exposes the DevTools protocol on loopback (for the tests that drive the real launch). */
  remoteDebuggingPort?: number;
  log?: (entry: Record<string, unknown>) => void;
}

/** Flags that keep Chromium from calling anywhere but the shell, and from showing browser chrome. */
export function chromiumArgs(options: ChromiumOptions, userDataDir: string): string[] {
  return [
    `--app=${options.url}`,
    '--kiosk',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-translate',
    '--disable-features=Translate,MediaRouter,OptimizationHints',
    '--disable-gpu',
    '--password-store=basic',
    '--overscroll-history-navigation=0',
    '--disable-pinch',
    `--user-data-dir=${userDataDir}`,
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(options.headless ? ['--headless'] : []),
    ...(options.remoteDebuggingPort !== undefined ? [`--remote-debugging-port=${options.remoteDebuggingPort}`, '--remote-debugging-address=127.0.0.1'] : []),
  ];
}

/**
 * The delay before restarting a browser that died: at once after a long run, backing off
 * while it keeps dying young (so a broken install does not spin the CPU).
 */
export function restartDelayMs(consecutiveQuickExits: number): number {
  return consecutiveQuickExits === 0 ? 0 : Math.min(30_000, 500 * 2 ** (consecutiveQuickExits - 1));
}

const QUICK_EXIT_MS = 10_000;

/** Keeps Chromium up in kiosk mode: restarts it whenever it exits, until stopped. */
export class ChromiumLauncher {
  private child: ChildProcess | null = null;
  private stopped = false;
  private quickExits = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly userDataDir: string;
  /** How many times the browser was (re)started. */
  starts = 0;

  constructor(private readonly options: ChromiumOptions) {
    this.userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'atrium-chromium-'));
  }

  /** The running browser's process id, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.stopped) return;
    const startedAt = Date.now();
    const child = spawn(this.options.executablePath, chromiumArgs(this.options, this.userDataDir), { stdio: 'ignore' });
    this.child = child;
    this.starts += 1;
    this.options.log?.({ level: 'info', msg: 'browser started', pid: child.pid, starts: this.starts });
    child.once('exit', (code, signal) => {
      this.child = null;
      if (this.stopped) return;
      this.quickExits = Date.now() - startedAt < QUICK_EXIT_MS ? this.quickExits + 1 : 0;
      const delay = restartDelayMs(this.quickExits);
      this.options.log?.({ level: 'warn', msg: 'browser exited; restarting', code, signal, delayMs: delay });
      this.timer = setTimeout(() => this.start(), delay);
    });
  }

  /** Stops the browser for good and waits for it to exit. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
