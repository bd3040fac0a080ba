import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders of the checkout that the stack reads from and writes to. */
export interface RepoPaths {
  /** The monorepo root (holds the root package.json with workspaces). */
  root: string;
  /** Git-ignored download cache shared by every profile, so a second start is fast. */
  cacheDir: string;
  /** Versioned migration files, one folder per store. */
  migrationsDir: string;
}

/** Finds the repo root from this file's location, so the CLI works from any working directory. */
export function findRepoPaths(env: NodeJS.ProcessEnv = process.env): RepoPaths {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'infra', 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Atrium repo root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return {
    root: dir,
    cacheDir: env.ATRIUM_CACHE_DIR ? resolve(env.ATRIUM_CACHE_DIR) : join(dir, '.cache'),
    migrationsDir: join(dir, 'infra', 'migrations'),
  };
}
