import { randomUUID } from 'node:crypto';
import { chmod, copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { UpdateTarget } from '../../core/updater/updaterState';
import type { ElectronUpdaterPort } from './electronUpdaterPort';

/** Puts a staged update in place and back; restarts the app through main. */
export interface UpdateInstaller {
  install(stagedFile: string, target: UpdateTarget, fromVersion: string): Promise<void>;
  rollback(toVersion: string): Promise<void>;
}

/** Where the AppImage installer works. */
export interface AppImageInstallerOptions {
  /** The AppImage the kiosk runs (`$APPIMAGE` under Electron). */
  appImagePath: string;
  /** Keeps one AppImage per version installed, so a rollback has the previous one at hand. */
  keepDir: string;
  electron: Pick<ElectronUpdaterPort, 'relaunch'>;
}

/** Replaces `dest` atomically with a copy of `source` (same folder, then rename). */
async function replaceFile(source: string, dest: string): Promise<void> {
  const temp = join(dirname(dest), `.atrium-swap-${randomUUID()}`);
  try {
    await copyFile(source, temp);
    await chmod(temp, 0o755);
    await rename(temp, dest);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Self-update of a Linux AppImage: the running file is kept as `<keepDir>/<fromVersion>.AppImage`,
 * the staged file takes its place by an atomic rename, and main relaunches. Rolling back puts the
 * kept file back the same way. (The deb package is for first installs and does not self-update.)
 */
export function appImageInstaller(options: AppImageInstallerOptions): UpdateInstaller {
  const kept = (version: string) => join(options.keepDir, `${version}.AppImage`);
  return {
    async install(stagedFile, target, fromVersion) {
      await mkdir(options.keepDir, { recursive: true });
      await copyFile(options.appImagePath, kept(fromVersion));
      await copyFile(stagedFile, kept(target.version));
      await replaceFile(kept(target.version), options.appImagePath);
      options.electron.relaunch();
    },
    async rollback(toVersion) {
      await replaceFile(kept(toVersion), options.appImagePath);
      options.electron.relaunch();
    },
  };
}
