import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback between kiosks and the gateway. `cut()` drops every connection and
 * stops listening (the kiosk's network is gone: connections are refused); `restore()` listens
 * again on the same port. It also knows when a request went upstream and no reply came back
 * yet, so a fault can strike while a batch is in flight.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly awaiting = new Set<Socket>();
  private waiters: Array<() => void> = [];

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** Starts a proxy on `127.0.0.1:port` (0: any free port) to `target`. */
  static async start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const proxy = new TcpProxy(port, target);
    const bound = await proxy.listen(port);
    return Object.assign(proxy, { port: bound }) as TcpProxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Connections whose request went upstream with no reply yet. */
  get inFlight(): number {
    return this.awaiting.size;
  }

  /** Resolves once a request is in flight (bounded by `timeoutMs`; false on timeout). */
  async untilInFlight(timeoutMs: number): Promise<boolean> {
    if (this.awaiting.size > 0) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(wake);
    });
  }

  private listen(port: number): Promise<number> {
    const server = createServer((client) => this.pipe(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const forget = () => {
      this.awaiting.delete(client);
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      upstream.write(chunk);
      this.awaiting.add(client);
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
    upstream.on('data', (chunk) => {
      this.awaiting.delete(client);
      client.write(chunk);
    });
    client.on('close', forget);
    upstream.on('close', forget);
    client.on('error', forget);
    upstream.on('error', forget);
  }

  /** The network is cut: every connection dropped, new ones refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.awaiting.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The network is back on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}
