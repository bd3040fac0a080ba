import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UrgentMessage } from '@atrium/contracts';

/**
 * A real Server-Sent Events endpoint speaking the urgent channel's wire format, standing in
 * for the gateway's until it is wired here; the shell connects to it as to the gateway.
 */
export class UrgentChannel {
  private server: Server | null = null;
  private readonly clients = new Set<ServerResponse>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      this.clients.add(res);
      req.on('close', () => this.clients.delete(res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/urgent`;
    return this;
  }

  /** How many kiosks are listening. */
  get listeners(): number {
    return this.clients.size;
  }

  broadcast(message: UrgentMessage): void {
    for (const res of this.clients) res.write(`event: urgent\ndata: ${JSON.stringify(message)}\n\n`);
  }

  async stop(): Promise<void> {
    for (const res of this.clients) res.destroy();
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
