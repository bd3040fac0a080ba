import { execFile } from 'node:child_process';

/** A command that failed, with what it printed on stderr (what a person needs to fix it). */
export class CommandFailed extends Error {
  readonly command: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  constructor(command: string, stderr: string, exitCode: number | null) {
    super(`${command} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${stderr.trim() || 'no output'}`);
    this.name = 'CommandFailed';
    this.command = command;
    this.stderr = stderr;
    this.exitCode = exitCode;
  }
}

/** Where network commands run: this process's network namespace, or a named one. */
export interface NetworkScope {
  /** A namespace under /run/netns; commands run through `ip netns exec`. */
  netns?: string;
}

/** The program and arguments that run `file args` inside `scope`. */
export function scopedCommand(scope: NetworkScope, file: string, args: readonly string[]): [string, string[]] {
  return scope.netns ? ['ip', ['netns', 'exec', scope.netns, file, ...args]] : [file, [...args]];
}

/** Runs a program (no shell) inside `scope` and resolves with its stdout; rejects with CommandFailed. */
export function runCommand(scope: NetworkScope, file: string, args: readonly string[], options: { timeoutMs?: number } = {}): Promise<string> {
  const [program, argv] = scopedCommand(scope, file, args);
  return new Promise((resolve, reject) => {
    execFile(program, argv, { timeout: options.timeoutMs ?? 15_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = (error as { code?: unknown }).code;
      const missing = code === 'ENOENT' || (/No such file or directory/.test(stderr) && stderr.includes(file));
      reject(new CommandFailed([file, ...args].join(' '), missing ? `${file} is not installed (run infra/local/bin/install-wireguard.sh)` : stderr || error.message, typeof code === 'number' ? code : null));
    });
  });
}
