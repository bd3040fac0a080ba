import pg from 'pg';
import type { Report } from '../progress';
import { loadMigrations, pendingMigrations, type AppliedMigration } from './migrationFiles';

/** Any 64-bit number unique to this purpose: serialises concurrent migrators on one database. */
const ADVISORY_LOCK_KEY = 7_361_042_118;

/**
 * Applies `dir/NNN_name.sql` in order, each in one transaction together with its row in
 * `public.schema_migrations`, so a migration is either applied and recorded or neither.
 */
export async function migratePostgres(url: string, dir: string, report: Report): Promise<string[]> {
  const migrations = loadMigrations(dir, 'sql');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS public.schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = (await client.query<AppliedMigration>('SELECT version, checksum FROM public.schema_migrations')).rows;
    const applying: string[] = [];
    for (const migration of pendingMigrations(migrations, applied)) {
      report(`postgres: applying ${migration.fileName}`);
      try {
        await client.query('BEGIN');
        await client.query(migration.body);
        await client.query('INSERT INTO public.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`postgres migration ${migration.fileName} failed: ${(error as Error).message}`, { cause: error });
      }
      applying.push(migration.fileName);
    }
    return applying;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
