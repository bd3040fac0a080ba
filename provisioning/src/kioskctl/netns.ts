import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

/** True when this process already runs in the named network namespace. */
export function insideNetns(name: string): boolean {
  const target = `/run/netns/${name}`;
  if (!existsSync(target)) throw new Error(`no network namespace ${name} (expected ${target})`);
  const here = statSync('/proc/self/ns/net');
  const there = statSync(target);
  return here.ino === there.ino && here.dev === there.dev;
}

/**
 * Runs this very command again inside the namespace (`ip netns exec`), so the tunnel, the
 * enrolment request and the gateway check all happen from there. Resolves with its exit code.
 */
export function rerunInsideNetns(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', name, process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
