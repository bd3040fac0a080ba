import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { KioskStore, PENDING_RECOVERY_KEY, type StoreRecovery } from './kioskStore';
import { migrate, readMigrations } from './migrate';
import { StoreConfig } from './storeConfig';
import { FLOOR_FILE_NAME } from './sequenceFloor';

/** Parses and validates a store configuration, filling in defaults. */
export function storeConfig(input: Partial<StoreConfig> & { dataDir: string }): StoreConfig {
  const config = Value.Default(StoreConfig, structuredClone(input)) as StoreConfig;
  if (!Value.Check(StoreConfig, config)) {
    const first = [...Value.Errors(StoreConfig, config)][0];
    throw new Error(`Invalid store config at ${first?.path}: ${first?.message}`);
  }
  return config;
}

function openWithPragmas(path: string, config: StoreConfig): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${config.synchronous}`);
    db.pragma(`busy_timeout = ${config.busyTimeoutMs}`);
    db.pragma(`journal_size_limit = ${config.journalSizeLimitBytes}`);
    db.pragma('foreign_keys = ON');
    db.pragma('trusted_schema = OFF');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function checkIntegrity(db: Database.Database, mode: StoreConfig['integrityCheck']): string | null {
  const pragma = mode === 'full' ? 'integrity_check' : 'quick_check';
  const rows = db.pragma(pragma) as Record<string, string>[];
  const lines = rows.map((r) => Object.values(r)[0] ?? '');
  return lines.length === 1 && lines[0] === 'ok' ? null : `${pragma}: ${lines.slice(0, 5).join('; ')}`.slice(0, 1000);
}

function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}

function stamp(now: Date): string {
  return now.toISOString().replaceAll(':', '').replace('.', '-');
}

/** Moves the damaged file (and its WAL and shared-memory files) aside under a timestamped name. */
function quarantine(path: string, now: Date): string {
  const target = `${path}.corrupt-${stamp(now)}`;
  renameSync(path, target);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

/**
 * Opens (or creates) the kiosk's database in its data folder: WAL, the configured
 * `synchronous`, an integrity check, then every pending migration. A file that fails the
 * check (or is not a database at all) is kept aside as `<name>.corrupt-<timestamp>` and a
 * fresh one is started; the recovery is recorded in the fresh store for the outbox to turn
 * into a `kiosk.store.recovered` event (and to salvage what it can from the kept file).
 */
export function openKioskStore(input: Partial<StoreConfig> & { dataDir: string }, now: () => Date = () => new Date()): KioskStore {
  const config = storeConfig(input);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const path = join(config.dataDir, config.fileName);
  const existed = existsSync(path);
  let recovery: StoreRecovery | null = null;
  let db: Database.Database | null = null;
  let reason: string | null = null;
  try {
    db = openWithPragmas(path, config);
    reason = checkIntegrity(db, config.integrityCheck);
  } catch (err) {
    db?.close();
    db = null;
    // Only damage is recovered from; a locked, unreadable or full disk is the caller's problem.
    if (!isDamage(err)) throw err;
    reason = `open failed: ${(err as Error).message}`.slice(0, 1000);
  }
  if (reason !== null) {
    db?.close();
    const at = now();
    const kept = quarantine(path, at);
    recovery = { reason, quarantinedFile: basename(kept), quarantinedPath: kept, at: at.toISOString() };
    db = openWithPragmas(path, config);
  } else if (!existed && existsSync(join(config.dataDir, FLOOR_FILE_NAME))) {
    // The database is gone but the kiosk has sent events before: that is a loss to report too.
    recovery = { reason: 'database file missing; a fresh one was started', quarantinedFile: '', quarantinedPath: null, at: now().toISOString() };
  }
  const report = migrate(db!, readMigrations());
  const store = new KioskStore(db!, path, config, report);
  if (recovery) store.transaction(() => store.setMetaValue(PENDING_RECOVERY_KEY, JSON.stringify(recovery)));
  return store;
}
