import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { kioskBundleFiles } from '../../../kiosk-app/src/main/kioskBundleLayout';

const kioskApp = fileURLToPath(new URL('../../../kiosk-app/', import.meta.url));
const dist = join(kioskApp, 'dist', kioskBundleFiles.renderer);

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

/** Builds the renderer with Vite when its sources are newer than the last build; returns the output folder. */
export async function buildRenderer(): Promise<string> {
  const built = join(dist, 'index.html');
  const sources = Math.max(newest(join(kioskApp, 'src', 'renderer')), newest(join(kioskApp, 'src', 'bridge')), statSync(join(kioskApp, 'index.html')).mtimeMs, statSync(join(kioskApp, 'vite.config.ts')).mtimeMs);
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    // Vitest sets NODE_ENV=test, which would make Vite and the React plugin build for
    // development; the kiosk is tested as it ships.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(kioskApp, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  }
  return dist;
}
