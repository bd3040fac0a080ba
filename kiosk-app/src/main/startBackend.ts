import { utilityProcess, type UtilityProcess } from 'electron';
import { createInterface } from 'node:readline';
import type { BackendEndpoint } from './bridgeRelay';

/**
 * Starts the kiosk backend (the process that hosts the edge core and serves the bridge) as an
 * Electron utility process with `args` (`backendArgs`, which asks it to announce itself), and
 * waits for the one JSON line in which it announces its endpoint and per-launch secret. Main
 * stays thin: it never opens the database itself.
 */
export function startBackend(entry: string, args: readonly string[]): Promise<{ child: UtilityProcess; endpoint: BackendEndpoint }> {
  const child = utilityProcess.fork(entry, [...args], { stdio: 'pipe', serviceName: 'atrium-kiosk-backend' });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`kiosk backend exited with ${code}`)));
    if (!child.stdout) return reject(new Error('kiosk backend has no stdout'));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const announced = JSON.parse(line) as { msg?: string; url?: string; secret?: string };
        if (announced.msg === 'bridge listening' && announced.url && announced.secret) {
          resolve({ child, endpoint: { url: announced.url, secret: announced.secret } });
        }
      } catch {
        // Not every line is the announcement; the backend logs other JSON and text too.
      }
    });
  });
}
