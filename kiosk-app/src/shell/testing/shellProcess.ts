import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BRIDGE_SECRET_HEADER } from '../../bridge';
import { rawX25519 } from '../piiSealer';

/** The repository root (tests run the shell from there, as `npm start` does). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A shell configuration for tests: the edge in `dataDir`, technician PIN 0000, a throwaway loyalty key. */
export function testShellConfig(options: { dataDir: string; kioskId: string; gatewayUrl: string; deviceId: string; deviceKeyPath: string }): Record<string, unknown> {
  return {
    edge: { store: { dataDir: options.dataDir }, outbox: { kioskId: options.kioskId }, sync: {}, gateway: { url: options.gatewayUrl, deviceId: options.deviceId, deviceKeyPath: options.deviceKeyPath } },
    http: {},
    rendererDir: join(repoRoot, 'kiosk-app/dist/renderer'),
    kiosk: {},
    loyalty: { publicKey: rawX25519(generateKeyPairSync('x25519').publicKey).toString('base64'), keyId: 'k' },
    technician: { pinSha256: createHash('sha256').update('0000').digest('hex') },
    urgent: { enabled: false },
    browser: {},
  };
}

/** How a test starts the shell: a program, the arguments before the shell's own, and where. */
export interface ShellCommand {
  file: string;
  args: readonly string[];
  cwd: string;
}

/** The shell's TypeScript entry under tsx, from the repository root (as `npm start` runs it). */
export const shellFromSource: ShellCommand = { file: join(repoRoot, 'node_modules/.bin/tsx'), args: ['kiosk-app/src/shell/main.ts'], cwd: repoRoot };

/** The shell as a child process, once it announced its bridge. */
export interface ShellProcess {
  child: ChildProcess;
  /** Resolves with the exit code. */
  exit: Promise<number | null>;
  /** Where it serves the page and the bridge. */
  url: string;
  /** Calls the bridge as the page does. */
  call(method: string, input?: unknown): Promise<unknown>;
}

/** Starts the shell (from source unless `command` says otherwise) with `args` (add `--announce`) and waits for its "bridge listening" line. */
export async function startShellProcess(args: readonly string[], command: ShellCommand = shellFromSource): Promise<ShellProcess> {
  const child = spawn(command.file, [...command.args, ...args], { cwd: command.cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const announced = await new Promise<{ url: string; secret: string }>((resolve, reject) => {
    void exit.then((code) => reject(new Error(`shell exited early with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url: string; secret: string };
      if (entry.msg === 'bridge listening') resolve(entry);
    });
  });
  const call = async (method: string, input: unknown = {}) =>
    (await fetch(`${announced.url}/bridge/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', [BRIDGE_SECRET_HEADER]: announced.secret }, body: JSON.stringify(input) })).json();
  return { child, exit, url: announced.url, call };
}
