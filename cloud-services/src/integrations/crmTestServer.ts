// Int-test support: a real HTTP server playing the CRM. It can answer, hang (a slow CRM) or be
// stopped (a dead one: connections refused) and started again on the same port; it keeps the
// first body per idempotency key, as a CRM that de-duplicates would.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CrmMember } from './crmClient';

/** A CRM on 127.0.0.1 for tests. */
export interface CrmTestServer {
  url: string;
  /** `up` answers; `hang` reads the request and never answers. */
  mode: 'up' | 'hang';
  /** Accepted members by idempotency key (the first body wins). */
  members: Map<string, CrmMember>;
  /** Requests received per idempotency key (retries and redeliveries included). */
  requests: Map<string, number>;
  /** Member refs answered 422 (a record the CRM refuses). */
  refuse: Set<string>;
  /** Member refs deleted (erasures). */
  deleted: Set<string>;
  /** Closes the port and every open connection: requests are refused until `start`. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts the CRM test server on a free port. */
export async function startCrmTestServer(): Promise<CrmTestServer> {
  const sockets = new Set<Socket>();
  const state: CrmTestServer = {
    url: '',
    mode: 'up',
    members: new Map(),
    requests: new Map(),
    refuse: new Set(),
    deleted: new Set(),
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    start: async () => {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
    },
  };
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const key = String(request.headers['idempotency-key'] ?? '');
      state.requests.set(key, (state.requests.get(key) ?? 0) + 1);
      if (state.mode === 'hang') return;
      const erased = request.method === 'DELETE' ? /^\/members\/([0-9a-f-]{36})$/.exec(request.url ?? '') : null;
      if (erased) {
        const known = state.members.delete(erased[1]!);
        state.deleted.add(erased[1]!);
        return void response.writeHead(known ? 204 : 404).end();
      }
      if (request.method !== 'POST' || request.url !== '/members' || !key) return void response.writeHead(404).end();
      if (state.refuse.has(key)) return void response.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"refused"}');
      if (!state.members.has(key)) state.members.set(key, JSON.parse(Buffer.concat(chunks).toString('utf8')) as CrmMember);
      response.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
  };
  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  state.url = `http://127.0.0.1:${port}`;
  return state;
}
