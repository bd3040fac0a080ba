import { createServer } from 'node:net';
import { StackError } from '../stackError';

/** A port a server is about to bind, with what it is for and the env var that moves it. */
export interface PortClaim {
  port: number;
  what: string;
  envName: string;
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Fails before spawning when a port is taken. Otherwise the new server would die on bind while
 * the health check, talking to whatever holds the port, reported it ready.
 */
export async function assertPortsFree(host: string, claims: readonly PortClaim[]): Promise<void> {
  for (const claim of claims) {
    if (!(await canListen(host, claim.port))) {
      throw new StackError(
        'START_FAILED',
        `port ${claim.port} (${claim.what}) is already in use by another process`,
        `stop that process, or move the port with ${claim.envName}`,
      );
    }
  }
}
