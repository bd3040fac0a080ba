// The kiosk build (kiosk-app/scripts/build.ts) makes what electron-builder packages. Electron's
// binary cannot run here, so each part is proven the way it will be loaded: the preload in a
// bare context with a stand-in `electron`, main by what it requires, the backend under Node with
// the command line main forks it with, the package by electron-builder's own file matcher.
import { parse } from 'acorn';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, type Stats } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { compileFunction, createContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildKioskApp, kioskAppDir, type KioskBuild } from '../scripts/buildKioskApp';
import { BRIDGE_GLOBAL, BRIDGE_IPC_CHANNEL, BRIDGE_NOTICE_CHANNEL, bridgeMethods } from './bridge';
import { makeTestDeviceKey } from './edge/testing/testDeviceKey';
import { backendArgs } from './main/backendArgs';
import { kioskBundleFiles } from './main/kioskBundleLayout';
import { repoRoot, startShellProcess, testShellConfig } from './shell/testing/shellProcess';

// The app folder as it is packaged: package.json, the build in dist/, node_modules beside it
// (electron-builder puts the production dependencies there; here, the workspace's).
const appDir = mkdtempSync(join(tmpdir(), 'atrium-kiosk-build-'));
const dataDir = mkdtempSync(join(tmpdir(), 'atrium-kiosk-build-data-'));
symlinkSync(join(repoRoot, 'node_modules'), join(appDir, 'node_modules'));
const manifest = JSON.parse(readFileSync(join(kioskAppDir, 'package.json'), 'utf8')) as { main?: string; dependencies?: Record<string, string> };
writeFileSync(join(appDir, 'package.json'), JSON.stringify(manifest));
let built: KioskBuild;

/** Every `require('…')` of a CommonJS file, parsed; a computed require, another use of `require` or an `import()` fails. */
function requiresOf(file: string): string[] {
  const required: string[] = [];
  let mentions = 0;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as { type: string; name?: string; callee?: { type: string; name?: string }; arguments?: { type: string; value?: unknown }[] };
    if (n.type === 'ImportExpression') throw new Error(`${file} loads code with import()`);
    if (n.type === 'Identifier' && n.name === 'require') mentions += 1;
    const [arg, ...more] = n.arguments ?? [];
    if (n.type === 'CallExpression' && n.callee?.name === 'require' && arg?.type === 'Literal' && typeof arg.value === 'string' && more.length === 0) required.push(arg.value);
    Object.values(n).forEach(visit);
  };
  visit(parse(readFileSync(file, 'utf8'), { ecmaVersion: 'latest', sourceType: 'script' }));
  if (mentions !== required.length) throw new Error(`${file} uses require other than as require('<name>')`);
  return [...new Set(required)].sort();
}

/** What electron-builder would copy from the app folder, by its own matcher and the `files` of electron-builder.yml. */
function packagedFiles(): string[] {
  const { files } = parseYaml(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as { files: string[] };
  type Filter = (file: string, stat: Stats) => boolean;
  const { FileMatcher } = createRequire(import.meta.url)('app-builder-lib/out/fileMatcher') as {
    FileMatcher: new (from: string, to: string, expand: (pattern: string) => string, patterns: string[]) => { createFilter(): Filter };
  };
  const filter = new FileMatcher(appDir, '/app', (p) => p, files).createFilter();
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (name === 'node_modules' || !filter(path, stat)) return [];
      return stat.isDirectory() ? walk(path) : [relative(appDir, path)];
    });
  return walk(appDir);
}

describe('the kiosk build', () => {
  beforeAll(async () => {
    built = await buildKioskApp(join(appDir, 'dist'));
  });
  afterAll(() => {
    rmSync(appDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given the preload bundle, then it is one CommonJS file that requires only electron, and it exposes every bridge call as window.atrium', async () => {
    expect(requiresOf(built.files.preload)).toEqual(['electron']);
    const exposed = new Map<string, Record<string, (...args: unknown[]) => unknown>>();
    const invoked: unknown[][] = [];
    const listeners = new Map<string, (event: unknown, notice: unknown) => void>();
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, (...args: unknown[]) => unknown>) => exposed.set(name, api) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: {} }),
        on: (channel: string, listener: (event: unknown, notice: unknown) => void) => listeners.set(channel, listener),
        removeListener: (channel: string) => listeners.delete(channel),
      },
    };
    // A sandboxed preload gets a require that knows `electron` only; the context has no Node globals.
    const sandboxRequire = (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    };
    const module = { exports: {} };
    compileFunction(readFileSync(built.files.preload, 'utf8'), ['exports', 'require', 'module'], { parsingContext: createContext({}) })(module.exports, sandboxRequire, module);

    expect(BRIDGE_GLOBAL).toBe('atrium'); // the name kiosk-app/src/renderer/httpBridge.ts looks for
    expect([...exposed.keys()]).toEqual(['atrium']);
    const bridge = exposed.get('atrium')!;
    expect(Object.keys(bridge).sort()).toEqual([...bridgeMethods, 'onNotice'].sort());
    for (const method of bridgeMethods) await bridge[method]!({ probe: method });
    expect(invoked).toEqual(bridgeMethods.map((method) => [BRIDGE_IPC_CHANNEL, method, { probe: method }]));

    const notices: unknown[] = [];
    const unsubscribe = bridge['onNotice']!((notice: unknown) => notices.push(notice)) as () => void;
    listeners.get(BRIDGE_NOTICE_CHANNEL)!({}, { kind: 'content-changed' });
    expect(notices).toEqual([{ kind: 'content-changed' }]);
    unsubscribe();
    expect(listeners.has(BRIDGE_NOTICE_CHANNEL)).toBe(false);
  });

  it('given the main bundle, then it requires only electron and Node built-ins', () => {
    const requires = requiresOf(built.files.main);
    expect(requires).toContain('electron');
    expect(requires.filter((name) => name !== 'electron' && !isBuiltin(name))).toEqual([]);
  });

  it('given --help, when the build command and the backend bundle run with it, then each explains itself and exits 0', () => {
    const build = spawnSync(join(repoRoot, 'node_modules/.bin/tsx'), [join(kioskAppDir, 'scripts/build.ts'), '--help'], { encoding: 'utf8' });
    expect([build.status, build.stdout]).toEqual([0, expect.stringContaining('--out-dir')]);
    const backend = spawnSync(process.execPath, [built.files.backend, '--help'], { cwd: appDir, encoding: 'utf8' });
    expect([backend.status, backend.stdout]).toEqual([0, expect.stringContaining('--renderer-dir')]);
  });

  it('given the backend bundle, when started as main forks it with a test config, then it answers its bridge, serves the built renderer and stops cleanly', async () => {
    const key = makeTestDeviceKey(dataDir);
    const configPath = join(dataDir, 'kiosk.json');
    writeFileSync(configPath, JSON.stringify(testShellConfig({ dataDir, kioskId: 'mall-01-k778', gatewayUrl: 'http://127.0.0.1:9', deviceId: 'dev-k778', deviceKeyPath: key.pemPath })));
    const args = backendArgs({ rendererDir: built.files.renderer, kioskArgs: [`--config=${configPath}`, '--seed-demo'], updater: { appVersion: '0.1.0', packaged: false, appImagePath: undefined } });
    const shell = await startShellProcess(args, { file: process.execPath, args: [built.files.backend], cwd: appDir });
    try {
      expect(await shell.call('kioskInfo')).toMatchObject({ ok: true, value: { kioskId: 'mall-01-k778', mallName: 'Atrium Demo Mall' } });
      expect(await (await fetch(`${shell.url}/`)).text()).toBe(readFileSync(join(built.files.renderer, 'index.html'), 'utf8'));
    } finally {
      shell.child.kill('SIGTERM');
    }
    expect(await shell.exit).toBe(0);
  });

  it('given the package, then main is the built main bundle, dependencies are exactly what the bundles leave to node_modules, and electron-builder packs every part', () => {
    expect(manifest.main).toBe(`dist/${kioskBundleFiles.main}`);
    expect(join(appDir, manifest.main!)).toBe(built.files.main);
    const fromNodeModules = Object.values(built.externals).flat().filter((name) => name !== 'electron' && !isBuiltin(name));
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual([...new Set(fromNodeModules)].sort());
    const packed = packagedFiles();
    expect(packed).toEqual(expect.arrayContaining(['package.json', ...Object.values(built.files).filter((f) => f !== built.files.renderer).map((f) => relative(appDir, f))]));
    expect(packed).toEqual(expect.arrayContaining(['dist/renderer/index.html', 'dist/backend/migrations/001_store_meta.sql']));
  });
});
