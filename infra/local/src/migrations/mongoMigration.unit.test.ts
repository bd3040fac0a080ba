import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findRepoPaths } from '../repoPaths';
import { parseMongoMigration } from './mongoMigration';

describe('parseMongoMigration', () => {
  it('reads the fleet_status migration with its unique kioskId index', () => {
    const text = readFileSync(`${findRepoPaths().migrationsDir}/mongo/001_create_fleet_status.json`, 'utf8');
    expect(parseMongoMigration(text)).toEqual({
      collections: [{ name: 'fleet_status', indexes: [{ key: { kioskId: 1 }, name: 'fleet_status_kioskId_unique', unique: true }] }],
    });
  });

  it('rejects unnamed indexes, bad directions, unknown fields and non-JSON', () => {
    const one = (index: unknown): string => JSON.stringify({ collections: [{ name: 'c', indexes: [index] }] });
    expect(() => parseMongoMigration(one({ key: { a: 1 } }))).toThrow(/name must be a non-empty string/);
    expect(() => parseMongoMigration(one({ key: { a: 'text' }, name: 'a' }))).toThrow(/must be 1 or -1/);
    expect(() => parseMongoMigration(one({ key: { a: 1 }, name: 'a', background: true }))).toThrow(/unknown fields: background/);
    expect(() => parseMongoMigration('{')).toThrow(/not JSON/);
    expect(() => parseMongoMigration('{"indexes": []}')).toThrow(/collections/);
  });
});
