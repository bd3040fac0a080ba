import { dirname, join, relative } from 'node:path';

/**
 * Where the kiosk build (`kiosk-app/scripts/build.ts`) puts each part, relative to its output
 * folder (`kiosk-app/dist`): the one place both the build and Electron main read it from.
 */
export const kioskBundleFiles = {
  /** Electron main, CommonJS; package.json `main` points here. */
  main: 'main/main.cjs',
  /** The sandboxed preload: one CommonJS file that requires only `electron`. */
  preload: 'preload/preload.cjs',
  /** The backend main forks (the shell's entry, ESM: it awaits at top level). */
  backend: 'backend/main.mjs',
  /** The renderer (Vite's output), served by the backend. */
  renderer: 'renderer',
} as const;

/** Absolute paths of the parts Electron main starts or hands on. */
export interface KioskBundlePaths {
  preloadPath: string;
  backendEntry: string;
  rendererDir: string;
}

/** The other parts' paths, seen from the folder of the running main bundle (its `__dirname`). */
export function kioskBundlePaths(mainBundleDir: string): KioskBundlePaths {
  const root = join(mainBundleDir, relative(dirname(kioskBundleFiles.main), '.'));
  return {
    preloadPath: join(root, kioskBundleFiles.preload),
    backendEntry: join(root, kioskBundleFiles.backend),
    rendererDir: join(root, kioskBundleFiles.renderer),
  };
}
