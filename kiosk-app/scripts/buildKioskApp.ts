// Builds the kiosk app for packaging: Electron main, the sandboxed preload, the backend main
// forks (the shell hosting the edge core) and the renderer, laid out as kioskBundleFiles says.
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';
import { MIGRATIONS_DIR } from '../src/edge/store/migrate';
import { kioskBundleFiles } from '../src/main/kioskBundleLayout';

/** The kiosk-app folder. */
export const kioskAppDir = fileURLToPath(new URL('..', import.meta.url));

/** The parts of a kiosk build. */
export type KioskPart = keyof typeof kioskBundleFiles;

/** What a kiosk build made. */
export interface KioskBuild {
  /** Absolute path of each part. */
  files: Record<KioskPart, string>;
  /** What each esbuild bundle still imports or requires at run time (Node built-ins included). */
  externals: Record<Exclude<KioskPart, 'renderer'>, string[]>;
}

// ws's optional native accelerators: not installed, so not shipped. ws requires them inside a
// try and falls back to JavaScript; the stand-in fails that require as Node would.
const ABSENT_OPTIONAL_PEERS = ['bufferutil', 'utf-8-validate'];
const RESOLVING_AS_IS = Symbol('resolving as is');

function absentOptionalPeers(): Plugin {
  const filter = new RegExp(`^(${ABSENT_OPTIONAL_PEERS.join('|')})$`);
  return {
    name: 'absent-optional-peers',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'absent-optional-peer' }));
      b.onLoad({ filter: /.*/, namespace: 'absent-optional-peer' }, (args) => ({
        contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${args.path}'`)}), { code: 'MODULE_NOT_FOUND' });`,
        loader: 'js',
      }));
    },
  };
}

function packageRoot(file: string, name: string): string | null {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
  }
  return null;
}

/** Leaves packages with native code (a binding.gyp) to node_modules, where electron-builder rebuilds them for Electron. */
function externalNativePackages(): Plugin {
  return {
    name: 'external-native-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === RESOLVING_AS_IS || isBuiltin(args.path)) return undefined;
        const name = args.path.split('/').slice(0, args.path.startsWith('@') ? 2 : 1).join('/');
        const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING_AS_IS });
        if (resolved.errors.length > 0 || resolved.external) return undefined;
        const root = packageRoot(resolved.path, name);
        return root && existsSync(join(root, 'binding.gyp')) ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

function externalsOf(metafile: Metafile): string[] {
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path));
  return [...new Set(imports)].sort();
}

async function bundle(options: BuildOptions & { outfile: string }): Promise<string[]> {
  const { metafile } = await build({ bundle: true, metafile: true, logLevel: 'warning', legalComments: 'eof', absWorkingDir: kioskAppDir, ...options });
  if (!metafile) throw new Error(`esbuild gave no metafile for ${options.outfile}`);
  return externalsOf(metafile);
}

/** Vite's production build; NODE_ENV decides it (a test runner sets it to `test`). */
async function buildRenderer(outDir: string): Promise<void> {
  const previous = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await viteBuild({ configFile: join(kioskAppDir, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (previous === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = previous;
  }
}

/**
 * Builds every part into `outDir` (default `kiosk-app/dist`), replacing only the parts'
 * folders: Electron main (CommonJS, `electron` external), the preload (one CommonJS file,
 * `electron` external, so a sandboxed window can load it), the backend (ESM, since the shell
 * awaits at top level; native packages external, the store's migrations beside it) and the
 * renderer (Vite).
 */
export async function buildKioskApp(outDir: string = join(kioskAppDir, 'dist')): Promise<KioskBuild> {
  const files = Object.fromEntries(Object.entries(kioskBundleFiles).map(([part, file]) => [part, join(outDir, file)])) as Record<KioskPart, string>;
  for (const part of Object.keys(kioskBundleFiles) as KioskPart[]) rmSync(part === 'renderer' ? files.renderer : dirname(files[part]), { recursive: true, force: true });

  const node: BuildOptions = { platform: 'node', target: 'node20', plugins: [absentOptionalPeers(), externalNativePackages()] };
  const [main, preload, backend] = await Promise.all([
    bundle({ ...node, entryPoints: ['src/main/main.ts'], outfile: files.main, format: 'cjs', external: ['electron'] }),
    bundle({ entryPoints: ['src/preload/preload.ts'], outfile: files.preload, format: 'cjs', platform: 'browser', target: 'es2022', external: ['electron'] }),
    bundle({
      ...node,
      entryPoints: ['src/shell/main.ts'],
      outfile: files.backend,
      format: 'esm',
      // Bundled CommonJS packages call require(), which an ES module does not have.
      banner: { js: "import { createRequire as __atriumCreateRequire } from 'node:module';\nconst require = __atriumCreateRequire(import.meta.url);" },
    }),
  ]);
  // The store reads its migrations from `./migrations` beside its module, which is now the bundle.
  cpSync(MIGRATIONS_DIR, join(dirname(files.backend), 'migrations'), { recursive: true });
  await buildRenderer(files.renderer);
  return { files, externals: { main, preload, backend } };
}
