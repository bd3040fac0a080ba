import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A migration file named `NNN_name.ext`: version NNN, applied in version order, each once. */
export interface MigrationFile {
  version: number;
  name: string;
  fileName: string;
}

/** A migration file with its text and a checksum that detects later edits. */
export interface LoadedMigration extends MigrationFile {
  body: string;
  checksum: string;
}

/** What a store's migration record says was applied. */
export interface AppliedMigration {
  version: number;
  checksum: string;
}

const FILE_NAME = /^(\d{3,})_([a-z0-9][a-z0-9_]*)\.([a-z]+)$/;

/** Parses `001_create_devices.sql`; undefined when the name does not follow the pattern. */
export function parseMigrationFileName(fileName: string): (MigrationFile & { extension: string }) | undefined {
  const match = FILE_NAME.exec(fileName);
  if (!match) return undefined;
  return { version: Number(match[1]), name: match[2]!, fileName, extension: match[3]! };
}

/**
 * The migration files among `fileNames` with `extension`, in version order. A file with that
 * extension but a malformed name, or two files with one version, is an error rather than a skip:
 * a silently ignored migration is worse than a failed run.
 */
export function orderMigrationFiles(fileNames: readonly string[], extension: string): MigrationFile[] {
  const files: MigrationFile[] = [];
  for (const fileName of fileNames) {
    if (!fileName.endsWith(`.${extension}`)) continue;
    const parsed = parseMigrationFileName(fileName);
    if (!parsed || parsed.extension !== extension) throw new Error(`migration file "${fileName}" is not named NNN_lower_snake_name.${extension}`);
    const clash = files.find((f) => f.version === parsed.version);
    if (clash) throw new Error(`migrations "${clash.fileName}" and "${fileName}" share version ${parsed.version}`);
    files.push({ version: parsed.version, name: parsed.name, fileName });
  }
  return files.sort((a, b) => a.version - b.version);
}

/** Checksum of a migration's text, blind to line-ending differences between checkouts. */
export function migrationChecksum(body: string): string {
  return createHash('sha256').update(body.replace(/\r\n/g, '\n')).digest('hex');
}

/** Reads a store's migration folder (none yet means no migrations). */
export function loadMigrations(dir: string, extension: string): LoadedMigration[] {
  if (!existsSync(dir)) return [];
  return orderMigrationFiles(readdirSync(dir), extension).map((file) => {
    const body = readFileSync(join(dir, file.fileName), 'utf8');
    return { ...file, body, checksum: migrationChecksum(body) };
  });
}

/**
 * The migrations still to apply, in order. An applied migration whose file changed, or vanished,
 * stops the run: migrations are immutable once applied; a change is a new migration.
 */
export function pendingMigrations(all: readonly LoadedMigration[], applied: readonly AppliedMigration[]): LoadedMigration[] {
  const byVersion = new Map(all.map((m) => [m.version, m]));
  for (const done of applied) {
    const file = byVersion.get(done.version);
    if (!file) throw new Error(`migration ${done.version} was applied but its file is gone`);
    if (file.checksum !== done.checksum) throw new Error(`migration ${file.fileName} changed after it was applied; add a new migration instead`);
  }
  const appliedVersions = new Set(applied.map((a) => a.version));
  return all.filter((m) => !appliedVersions.has(m.version));
}
