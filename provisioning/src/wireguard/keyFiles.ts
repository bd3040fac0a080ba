import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads a private key file, refusing one that others could read: private keys stay on the
 * machine that made them and readable by its owner only (mode 0600).
 */
export function readPrivateFile(path: string): string {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new Error(`${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 ${path}`);
  return readFileSync(path, 'utf8');
}

/**
 * Writes a private key file that did not exist, mode 0600 from the first byte (the file is
 * created with that mode, never chmod-ed afterwards), in a folder only the owner can enter.
 */
export function writeNewPrivateFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
}

/** Returns the key in `path`, first making it with `make` when the file does not exist. */
export function ensurePrivateFile(path: string, make: () => string): { content: string; created: boolean } {
  if (existsSync(path)) return { content: readPrivateFile(path), created: false };
  writeNewPrivateFile(path, make());
  return { content: readPrivateFile(path), created: true };
}
