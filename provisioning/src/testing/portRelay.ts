import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

/** The unix socket through which a namespace reaches `port` on this namespace's loopback. */
export function relaySocketPath(dir: string, port: number): string {
  return join(dir, `relay-${port}.sock`);
}

function pipeBoth(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const close = (): void => {
    a.destroy();
    b.destroy();
  };
  a.on('error', close);
  b.on('error', close);
  a.on('close', close);
  b.on('close', close);
}

/**
 * The loopback half of a relay: a unix socket (files cross network namespaces) whose every
 * connection is forwarded to 127.0.0.1:`port` here. Its netns half is `relayInNetns.ts`.
 */
export async function startLoopbackRelay(dir: string, ports: readonly number[]): Promise<{ close(): Promise<void> }> {
  const servers: Server[] = [];
  for (const port of ports) {
    const server = createServer((client) => pipeBoth(client, createConnection({ host: '127.0.0.1', port })));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(relaySocketPath(dir, port), resolve);
    });
    servers.push(server);
  }
  return {
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
