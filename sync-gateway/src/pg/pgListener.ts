import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';

type Handler = (payload: string) => void;

/**
 * One dedicated PostgreSQL connection that LISTENs on channels and hands each NOTIFY payload to
 * its handlers. When the connection drops it reconnects with backoff and calls the `resync`
 * handlers, because notifications sent meanwhile are lost (caches must be dropped, for example).
 */
export class PgListener {
  private client: pg.Client | undefined;
  private readonly handlers = new Map<string, Handler[]>();
  private readonly resyncHandlers: Array<() => void> = [];
  private closed = false;
  private resyncNeeded = false;
  private connected = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private firstConnect: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Calls `handler` with the payload of every NOTIFY on `channel`. Register before `start`. */
  on(channel: string, handler: Handler): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  /** Calls `handler` after a reconnection, when notifications may have been missed. */
  onResync(handler: () => void): void {
    this.resyncHandlers.push(handler);
  }

  /** True while the LISTEN connection is up. */
  get isListening(): boolean {
    return this.connected;
  }

  /** Connects and listens; resolves after the first attempt, whether it worked or not (it keeps retrying). */
  start(): Promise<void> {
    this.firstConnect ??= this.connect(0);
    return this.firstConnect;
  }

  /** Stops listening and retrying. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(attempt: number): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, keepAlive: true });
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) {
        try {
          handler(message.payload ?? '');
        } catch (err) {
          this.log.error({ err, channel: message.channel }, 'NOTIFY handler failed');
        }
      }
    });
    client.on('error', (err) => {
      this.log.warn({ err }, 'LISTEN connection failed; reconnecting');
      this.dropAndRetry(client, 0);
    });
    client.on('end', () => this.dropAndRetry(client, 0));
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.connected = true;
      if (attempt > 0 || this.resyncNeeded) {
        this.resyncNeeded = false;
        for (const handler of this.resyncHandlers) handler();
      }
    } catch (err) {
      this.log.warn({ err, attempt }, 'LISTEN connection could not be made; retrying');
      this.dropAndRetry(client, attempt + 1);
    }
  }

  private dropAndRetry(client: pg.Client, attempt: number): void {
    if (this.client === client) {
      this.client = undefined;
      this.connected = false;
      this.resyncNeeded = true;
    } else if (this.client !== undefined) {
      return;
    }
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.closed || this.retryTimer) return;
    // Until the connection is back nothing tells us of changes: resync handlers drop caches now too.
    for (const handler of this.resyncHandlers) handler();
    const delay = Math.min(5_000, 200 * 2 ** Math.min(attempt, 5));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect(attempt);
    }, delay);
    this.retryTimer.unref();
  }
}
