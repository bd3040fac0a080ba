import { AtriumError } from '@atrium/contracts';

/**
 * The loop both sync clients run (events up, content down): one step, then a sleep of the
 * length the step asks for, until the AbortSignal stops it. One loop at a time; `wake()` cuts
 * the current sleep short (new events, a `sync-now` nudge). The retry rules themselves are the
 * pure machines' (core/sync); this only turns their waits into sleeps.
 */
export class SyncLoop {
  private running = false;
  private wakeUp: (() => void) | null = null;

  constructor(private readonly name: string) {}

  /**
   * Runs `step` until `signal` aborts; each step returns how long to sleep before the next (0:
   * go on at once). A second loop is refused with CONFLICT. Resolves once the loop has stopped.
   */
  async run(signal: AbortSignal, step: () => Promise<number>): Promise<void> {
    if (this.running) throw new AtriumError('CONFLICT', `The ${this.name} loop is already running`);
    this.running = true;
    try {
      while (!signal.aborted) await this.sleep(await step(), signal);
    } finally {
      this.running = false;
    }
  }

  /** True while `run` is looping. */
  isRunning(): boolean {
    return this.running;
  }

  /** Ends the current sleep now, if the loop is sleeping. */
  wake(): void {
    this.wakeUp?.();
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wakeUp = done;
    });
  }
}
