import { describe, expect, it } from 'vitest';
import { migrationChecksum, orderMigrationFiles, parseMigrationFileName, pendingMigrations, type LoadedMigration } from './migrationFiles';

function loaded(version: number, body = `-- ${version}`): LoadedMigration {
  return { version, name: `m${version}`, fileName: `${String(version).padStart(3, '0')}_m${version}.sql`, body, checksum: migrationChecksum(body) };
}

describe('migration files', () => {
  it('parse NNN_name.ext', () => {
    expect(parseMigrationFileName('001_create_devices.sql')).toEqual({ version: 1, name: 'create_devices', fileName: '001_create_devices.sql', extension: 'sql' });
    expect(parseMigrationFileName('1_short.sql')).toBeUndefined();
    expect(parseMigrationFileName('001-create.sql')).toBeUndefined();
  });

  it('are ordered by number, not by text, and other extensions are ignored', () => {
    const ordered = orderMigrationFiles(['010_ten.sql', '002_two.sql', 'README.md', '001_one.cql', '1000_thousand.sql'], 'sql');
    expect(ordered.map((f) => f.version)).toEqual([2, 10, 1000]);
  });

  it('refuse a misnamed file and a shared version instead of skipping them', () => {
    expect(() => orderMigrationFiles(['001_One.sql'], 'sql')).toThrow(/not named NNN_lower_snake_name.sql/);
    expect(() => orderMigrationFiles(['001_a.sql', '001_b.sql'], 'sql')).toThrow(/share version 1/);
  });

  it('checksum the same on either line ending', () => {
    expect(migrationChecksum('a;\r\nb;\r\n')).toBe(migrationChecksum('a;\nb;\n'));
  });
});

describe('pendingMigrations', () => {
  it('returns the unapplied ones in order, and nothing once all are applied', () => {
    const all = [loaded(1), loaded(2), loaded(3)];
    expect(pendingMigrations(all, [{ version: 1, checksum: all[0]!.checksum }]).map((m) => m.version)).toEqual([2, 3]);
    expect(pendingMigrations(all, all)).toEqual([]);
  });

  it('stops when an applied migration was edited or deleted', () => {
    expect(() => pendingMigrations([loaded(1, 'changed')], [loaded(1)])).toThrow(/changed after it was applied/);
    expect(() => pendingMigrations([loaded(2)], [loaded(1)])).toThrow(/applied but its file is gone/);
  });
});
