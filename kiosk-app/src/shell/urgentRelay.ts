import type { KeyObject } from 'node:crypto';
import { compileSchema, UrgentMessage } from '@atrium/contracts';
import { signDeviceRequest } from '../edge';

const checkUrgent = compileSchema(UrgentMessage);

/** What the relay needs: where to listen, how to sign, and what to do with a message. */
export interface UrgentRelayOptions {
  url: string;
  deviceId: string;
  privateKey: KeyObject;
  /** The kiosk's corrected clock, for the signature's `created`. */
  nowMs: () => number;
  onMessage: (message: UrgentMessage) => void;
  log?: (entry: Record<string, unknown>) => void;
}

/** Splits a Server-Sent Events stream into the `data` of each event. */
export function* sseData(buffer: { text: string }): Generator<string> {
  for (;;) {
    const end = buffer.text.search(/\r?\n\r?\n/);
    if (end < 0) return;
    const block = buffer.text.slice(0, end);
    buffer.text = buffer.text.slice(end).replace(/^\r?\n\r?\n/, '');
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data) yield data;
  }
}

/**
 * Listens to the gateway's urgent channel (signed like every device request) and hands each
 * valid message to the shell, reconnecting with a capped backoff when the link drops.
 */
export class UrgentRelay {
  private readonly abort = new AbortController();
  private failures = 0;

  constructor(private readonly options: UrgentRelayOptions) {}

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.abort.abort();
  }

  private async loop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        await this.listenOnce();
        this.failures = 0;
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.failures += 1;
        this.options.log?.({ level: 'warn', msg: 'urgent channel down', err: String(err), failures: this.failures });
      }
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }

  private async listenOnce(): Promise<void> {
    const headers = await signDeviceRequest({ method: 'GET', url: this.options.url, headers: { accept: 'text/event-stream' } }, this.options.deviceId, this.options.privateKey, this.options.nowMs());
    const response = await fetch(this.options.url, { headers, signal: this.abort.signal });
    if (!response.ok || !response.body) throw new Error(`urgent channel answered ${response.status}`);
    this.failures = 0;
    const decoder = new TextDecoder();
    const buffer = { text: '' };
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer.text += decoder.decode(value, { stream: true });
      for (const data of sseData(buffer)) {
        let message: unknown;
        try {
          message = JSON.parse(data);
        } catch {
          continue;
        }
        if (checkUrgent.check(message)) this.options.onMessage(message);
        else this.options.log?.({ level: 'warn', msg: 'urgent message refused', errors: checkUrgent.errors(message, 3) });
      }
    }
  }
}
