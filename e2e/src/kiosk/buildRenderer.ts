import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const kioskApp = fileURLToPath(new URL('../../../kiosk-app/', import.meta.url));
const dist = join(kioskApp, 'dist');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

/** Builds the renderer with Vite when its sources are newer than the last build; returns the output folder. */
export async function buildRenderer(): Promise<string> {
  const built = join(dist, 'index.html');
  const sources = Math.max(newest(join(kioskApp, 'src', 'renderer')), newest(join(kioskApp, 'src', 'bridge')), statSync(join(kioskApp, 'index.html')).mtimeMs);
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    await build({ configFile: join(kioskApp, 'vite.config.ts'), logLevel: 'warn' });
  }
  return dist;
}
