import { URGENT_CHANNEL_PATH, type UrgentMessage } from '@atrium/contracts';
import { signTestRequest, type TestDeviceKey } from './testSigner';

/** A signed urgent-channel subscriber for tests: collects every `data:` message it receives. */
export class TestSseClient {
  readonly messages: UrgentMessage[] = [];
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];
  status = 0;

  private constructor() {}

  /** Connects and resolves once the stream is open (headers received). */
  static async connect(baseUrl: string, key: TestDeviceKey): Promise<TestSseClient> {
    const client = new TestSseClient();
    const url = `${baseUrl}${URGENT_CHANNEL_PATH}`;
    const headers = await signTestRequest(key, { method: 'GET', url });
    const response = await fetch(url, { headers, signal: client.abort.signal });
    client.status = response.status;
    if (response.status === 200 && response.body) void client.read(response.body);
    return client;
  }

  /** Resolves when a message satisfying `predicate` arrived, or rejects after `boundMs`. */
  async waitFor(predicate: (m: UrgentMessage) => boolean, boundMs: number): Promise<UrgentMessage> {
    const deadline = Date.now() + boundMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching urgent message within ${boundMs} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (data) this.messages.push(JSON.parse(data) as UrgentMessage);
        }
        for (const wake of this.waiters.splice(0)) wake();
      }
    } catch {
      // Aborted by close().
    }
  }
}
