/** A step that failed, with the one thing the technician should do next. */
export class StepFailed extends Error {
  readonly step: string;
  readonly next: string;
  constructor(step: string, message: string, next: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StepFailed';
    this.step = step;
    this.next = next;
  }
}

/** Shows progress of numbered steps: to stdout for people, to stderr as JSON lines for scripts. */
export interface Progress {
  step<T>(title: string, run: () => Promise<T>, nextStep: (error: unknown) => string): Promise<T>;
  note(message: string): void;
}

/** Progress for `total` steps, human or JSON. */
export function progress(total: number, mode: 'human' | 'json', now: () => number = Date.now): Progress {
  let index = 0;
  const write = (line: string): void => void (mode === 'human' ? process.stdout.write(`${line}\n`) : process.stderr.write(`${line}\n`));
  return {
    async step(title, run, nextStep) {
      index += 1;
      const started = now();
      if (mode === 'human') process.stdout.write(`[${index}/${total}] ${title} … `);
      else write(JSON.stringify({ step: index, of: total, title, status: 'started' }));
      try {
        const result = await run();
        const ms = now() - started;
        if (mode === 'human') process.stdout.write(`ok (${ms} ms)\n`);
        else write(JSON.stringify({ step: index, of: total, title, status: 'ok', ms }));
        return result;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const next = nextStep(error);
        if (mode === 'human') process.stdout.write(`FAILED\n      ${message}\n  → ${next}\n`);
        else write(JSON.stringify({ step: index, of: total, title, status: 'failed', error: message, next }));
        throw new StepFailed(title, message, next, error);
      }
    },
    note(message) {
      if (mode === 'human') write(`      ${message}`);
      else write(JSON.stringify({ note: message }));
    },
  };
}
