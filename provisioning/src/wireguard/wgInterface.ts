import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseWgDump, type WgInterfaceStatus } from './wgDump';
import { CommandFailed, runCommand, scopedCommand, type NetworkScope } from './runCommand';

/** How an interface's WireGuard runs: in the kernel, or as a wireguard-go process. */
export type WireguardImplementation = 'kernel' | 'wireguard-go';

/** True when the interface exists in this network namespace. */
export async function interfaceExists(scope: NetworkScope, name: string): Promise<boolean> {
  try {
    await runCommand(scope, 'ip', ['link', 'show', 'dev', name]);
    return true;
  } catch {
    return false;
  }
}

/** The pid file of the wireguard-go process serving `name`. */
export function wireguardGoPidFile(runDir: string, name: string): string {
  return join(runDir, `wireguard-go.${name}.pid`);
}

/** The pid recorded for `name`'s wireguard-go, if any. */
export function readWireguardGoPid(runDir: string, name: string): number | undefined {
  const file = wireguardGoPidFile(runDir, name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function startWireguardGo(scope: NetworkScope, name: string, runDir: string, timeoutMs: number): Promise<void> {
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const logFile = join(runDir, `wireguard-go.${name}.log`);
  const log = openSync(logFile, 'a');
  // Foreground mode keeps the pid we spawn as the daemon's pid, so it can be stopped by pid.
  const [program, argv] = scopedCommand(scope, 'wireguard-go', [name]);
  const child = spawn(program, argv, { env: { ...process.env, WG_PROCESS_FOREGROUND: '1', LOG_LEVEL: 'error' }, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(undefined));
  });
  if (spawnError) throw new CommandFailed(`wireguard-go ${name}`, 'wireguard-go is not installed (run infra/local/bin/install-wireguard.sh)', null);
  writeFileSync(wireguardGoPidFile(runDir, name), `${child.pid}\n`);
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) break;
    if ((await interfaceExists(scope, name)) && existsSync(`/var/run/wireguard/${name}.sock`)) return;
    await sleep(50);
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-5).join('\n') : '';
  throw new CommandFailed(`wireguard-go ${name}`, `the interface did not come up${exited !== undefined ? ` (wireguard-go exited with ${exited})` : ''}; ${tail}`, exited ?? null);
}

/**
 * Makes sure a WireGuard interface `name` exists: the kernel's when it has WireGuard, else a
 * wireguard-go process (pid kept in `runDir`). An existing interface is reused as it is.
 */
export async function ensureWireguardInterface(scope: NetworkScope, name: string, runDir: string, timeoutMs = 10_000): Promise<WireguardImplementation | 'existing'> {
  if (await interfaceExists(scope, name)) return 'existing';
  try {
    await runCommand(scope, 'ip', ['link', 'add', 'dev', name, 'type', 'wireguard']);
    return 'kernel';
  } catch {
    await startWireguardGo(scope, name, runDir, timeoutMs);
    return 'wireguard-go';
  }
}

/** Deletes the interface (wireguard-go exits when its interface goes) and forgets its pid. */
export async function removeWireguardInterface(scope: NetworkScope, name: string, runDir: string): Promise<void> {
  if (await interfaceExists(scope, name)) await runCommand(scope, 'ip', ['link', 'del', 'dev', name]);
  rmSync(wireguardGoPidFile(runDir, name), { force: true });
}

/** `wg show <if> dump`, parsed (without the private key). */
export async function readInterface(scope: NetworkScope, name: string): Promise<WgInterfaceStatus> {
  return parseWgDump(await runCommand(scope, 'wg', ['show', name, 'dump']));
}

/** Loads the private key from a file (never through the command line) and the listen port. */
export async function setInterfaceKey(scope: NetworkScope, name: string, privateKeyFile: string, listenPort?: number): Promise<void> {
  await runCommand(scope, 'wg', ['set', name, 'private-key', privateKeyFile, ...(listenPort === undefined ? [] : ['listen-port', String(listenPort)])]);
}

/** Gives the interface its address, MTU, link state and routes; each step is idempotent. */
export async function configureInterfaceAddressing(scope: NetworkScope, name: string, addressCidr: string, routes: readonly string[], mtu = 1420): Promise<void> {
  await runCommand(scope, 'ip', ['address', 'replace', addressCidr, 'dev', name]);
  await runCommand(scope, 'ip', ['link', 'set', 'dev', name, 'mtu', String(mtu), 'up']);
  for (const route of routes) await runCommand(scope, 'ip', ['route', 'replace', route, 'dev', name]);
}

/** Adds or updates a peer. */
export async function setPeer(scope: NetworkScope, name: string, peer: { publicKey: string; allowedIps: readonly string[]; endpoint?: string; persistentKeepaliveS?: number }): Promise<void> {
  const args = ['set', name, 'peer', peer.publicKey, 'allowed-ips', peer.allowedIps.join(',')];
  if (peer.endpoint) args.push('endpoint', peer.endpoint);
  if (peer.persistentKeepaliveS !== undefined) args.push('persistent-keepalive', peer.persistentKeepaliveS === 0 ? 'off' : String(peer.persistentKeepaliveS));
  await runCommand(scope, 'wg', args);
}

/** Removes a peer. */
export async function removePeer(scope: NetworkScope, name: string, publicKey: string): Promise<void> {
  await runCommand(scope, 'wg', ['set', name, 'peer', publicKey, 'remove']);
}
