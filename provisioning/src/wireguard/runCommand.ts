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

/** Runs a program (no shell) and resolves with its stdout; rejects with CommandFailed. */
export function runCommand(file: string, args: readonly string[], options: { timeoutMs?: number; input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: options.timeoutMs ?? 15_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const code = typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code as number) : null;
        const missing = (error as { code?: unknown }).code === 'ENOENT';
        reject(new CommandFailed([file, ...args].join(' '), missing ? `${file} is not installed (run provisioning's install-wireguard.sh)` : stderr || error.message, code));
      } else resolve(stdout);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
