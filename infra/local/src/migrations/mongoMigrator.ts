import { MongoClient } from 'mongodb';
import type { Report } from '../progress';
import { loadMigrations, pendingMigrations, type AppliedMigration } from './migrationFiles';
import { parseMongoMigration } from './mongoMigration';

/** A row of the `schema_migrations` collection. */
interface MigrationDocument {
  _id: number;
  name: string;
  checksum: string;
  appliedAt: Date;
}

/**
 * Applies `dir/NNN_name.json` (collections and named indexes) in order, recording each in the
 * database's `schema_migrations` collection. Creating a named index again is a no-op, so a run
 * that stops half-way can simply be repeated.
 */
export async function migrateMongo(url: string, dir: string, report: Report): Promise<string[]> {
  const migrations = loadMigrations(dir, 'json');
  // Validate every file before touching the database.
  const parsed = new Map(migrations.map((m) => [m.version, parseMongoMigration(m.body)]));
  const client = new MongoClient(url, { directConnection: true, serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  try {
    const db = client.db();
    const record = db.collection<MigrationDocument>('schema_migrations');
    const applied: AppliedMigration[] = (await record.find({}).toArray()).map((d) => ({ version: d._id, checksum: d.checksum }));
    const applying: string[] = [];
    for (const migration of pendingMigrations(migrations, applied)) {
      report(`mongo: applying ${migration.fileName}`);
      const spec = parsed.get(migration.version)!;
      const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
      for (const collection of spec.collections) {
        if (!existing.has(collection.name)) await db.createCollection(collection.name);
        for (const { key, ...options } of collection.indexes) await db.collection(collection.name).createIndex(key, options);
      }
      await record.insertOne({ _id: migration.version, name: migration.name, checksum: migration.checksum, appliedAt: new Date() });
      applying.push(migration.fileName);
    }
    return applying;
  } finally {
    await client.close();
  }
}
