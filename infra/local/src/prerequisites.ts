import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './stackError';

/** A tool some service needs on the machine, with how to get it. */
export type Prerequisite = 'java' | 'mvn' | 'go' | 'postgres';

const INSTALL_HINTS: Record<Prerequisite, string> = {
  java: 'install a Java 17+ runtime: `apt-get install -y openjdk-17-jre-headless` (or run `npm run setup`)',
  mvn: 'install Maven: `apt-get install -y maven` (or run `npm run setup`); it fetches the Kafka and Cassandra jars once',
  go: 'install Go 1.22 or newer from the Go distribution and put it on PATH; it builds FerretDB once',
  postgres: 'install the PostgreSQL server: `apt-get install -y postgresql` (or run `npm run setup`), or set ATRIUM_PG_BIN_DIR',
};

function missing(what: Prerequisite, detail: string): StackError {
  return new StackError('MISSING_PREREQUISITE', `${what} is missing: ${detail}`, INSTALL_HINTS[what]);
}

/** Runs `command args` and returns its combined output, or undefined when it cannot run. */
function probe(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stdout}${result.stderr}`;
}

/** Java 17+ is needed by Kafka 4 and Cassandra 5 (both use the Java 17 module flags). */
export function requireJava(): void {
  const output = probe('java', ['-version']);
  if (output === undefined) throw missing('java', '`java -version` did not run');
  const major = Number(/version "(\d+)/.exec(output)?.[1] ?? 0);
  if (major < 17) throw missing('java', `found Java ${major}, need 17 or newer`);
}

export function requireMaven(): void {
  if (probe('mvn', ['-v']) === undefined) throw missing('mvn', '`mvn -v` did not run');
}

export function requireGo(): void {
  if (probe('go', ['version']) === undefined) throw missing('go', '`go version` did not run');
}

/**
 * The folder with `initdb` and `postgres`: ATRIUM_PG_BIN_DIR, else the newest Debian
 * /usr/lib/postgresql/<major>/bin (Debian keeps the server binaries off PATH).
 */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const hasServer = (dir: string): boolean => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  if (env.ATRIUM_PG_BIN_DIR) {
    if (hasServer(env.ATRIUM_PG_BIN_DIR)) return env.ATRIUM_PG_BIN_DIR;
    throw missing('postgres', `ATRIUM_PG_BIN_DIR=${env.ATRIUM_PG_BIN_DIR} has no initdb and postgres`);
  }
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && hasServer(join(root, v, 'bin')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = majors[0];
  if (!newest) throw missing('postgres', `no ${root}/<version>/bin/initdb`);
  return join(root, newest, 'bin');
}
