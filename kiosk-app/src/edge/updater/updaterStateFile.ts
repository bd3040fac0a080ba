import { randomUUID } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { initialUpdaterState, type UpdaterState } from '../../core/updater/updaterState';

/**
 * The updater's state on disk. It must survive the restart an update causes, so it is written to a
 * temporary file, flushed, and renamed over the old one: a crash leaves the old state or the new,
 * never half of one.
 */
export const updaterStateFile = {
  async load(path: string, runningVersion: string): Promise<UpdaterState> {
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as UpdaterState;
      return typeof parsed === 'object' && parsed !== null && typeof parsed.current === 'object' ? parsed : initialUpdaterState(runningVersion);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || error instanceof SyntaxError) return initialUpdaterState(runningVersion);
      throw error;
    }
  },

  async save(path: string, state: UpdaterState): Promise<void> {
    const temp = join(dirname(path), `.updater-state-${randomUUID()}.tmp`);
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(state));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  },
};
