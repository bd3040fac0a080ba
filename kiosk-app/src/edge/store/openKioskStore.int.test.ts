import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { closeSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, readMigrations } from './migrate';
import { openKioskStore } from './openKioskStore';
import { openTestKiosk, tempDataDir } from '../testing/testKiosk';
import { offerClaimed } from '../testing/sampleEvents';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function dataDir(): string {
  const t = tempDataDir();
  cleanups.push(t.remove);
  return t.dir;
}

describe('opening the kiosk store', () => {
  it('given a new data folder, then it creates one WAL database with the configured durability and every migration applied once', () => {
    const dir = dataDir();
    const store = openKioskStore({ dataDir: dir, synchronous: 'FULL' });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const versions = store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(readMigrations().map((m) => m.version));
    store.close();
    const again = openKioskStore({ dataDir: dir, synchronous: 'NORMAL' });
    expect(again.migrations.applied).toEqual([]);
    expect(again.db.pragma('synchronous', { simple: true })).toBe(1);
    again.close();
    expect(readdirSync(dir).filter((f) => f.endsWith('.db'))).toEqual(['kiosk.db']);
  });

  it('refuses an invalid configuration', () => {
    expect(() => openKioskStore({ dataDir: dataDir(), synchronous: 'OFF' as never })).toThrow(/synchronous/);
  });
});

describe('the migration runner', () => {
  function migrationsDir(files: Record<string, string>): string {
    const dir = dataDir();
    for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
    return dir;
  }

  it('given files from both owners, then it applies them in numeric order, each once', () => {
    const dir = migrationsDir({
      '050_content.sql': 'CREATE TABLE content_item (id TEXT PRIMARY KEY); INSERT INTO log VALUES (50);',
      '001_log.sql': 'CREATE TABLE log (v INTEGER);',
      '010_more.sql': 'INSERT INTO log VALUES (10);',
      'README.md': 'not a migration',
    });
    const db = new Database(':memory:');
    expect(migrate(db, readMigrations(dir)).applied).toEqual([1, 10, 50]);
    expect(db.prepare('SELECT v FROM log').pluck().all()).toEqual([10, 50]);
    writeFileSync(join(dir, '020_late.sql'), 'INSERT INTO log VALUES (20);');
    expect(migrate(db, readMigrations(dir)).applied).toEqual([20]);
    expect(migrate(db, readMigrations(dir)).applied).toEqual([]);
  });

  it('given a failing migration, then it is not recorded and nothing of it stays', () => {
    const dir = migrationsDir({ '001_ok.sql': 'CREATE TABLE a (x);', '002_bad.sql': 'CREATE TABLE b (x); INSERT INTO nope VALUES (1);' });
    const db = new Database(':memory:');
    expect(() => migrate(db, readMigrations(dir))).toThrow(/nope/);
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get()).toBe(0);
  });

  it('refuses two files with one number, and reports an applied file that changed', () => {
    expect(() => readMigrations(migrationsDir({ '003_a.sql': '', '003_b.sql': '' }))).toThrow(/share number 3/);
    const dir = migrationsDir({ '001_a.sql': 'CREATE TABLE a (x);' });
    const db = new Database(':memory:');
    migrate(db, readMigrations(dir));
    writeFileSync(join(dir, '001_a.sql'), 'CREATE TABLE a (x, y);');
    expect(migrate(db, readMigrations(dir)).changed).toEqual([1]);
  });
});

describe('a damaged store', () => {
  it('given a file that is not a database, then it is kept aside, a fresh store starts and kiosk.store.recovered is recorded', () => {
    const dir = dataDir();
    const first = openTestKiosk(dir);
    for (let i = 0; i < 5; i++) first.outbox.append(offerClaimed(i));
    first.outbox.prepareToSend(3); // sequences 1..3 went on the wire
    first.close();
    const file = join(dir, 'kiosk.db');
    writeFileSync(file, Buffer.alloc(statSync(file).size, 0x5a));

    const kiosk = openTestKiosk(dir);
    cleanups.push(() => kiosk.close());
    const kept = readdirSync(dir).find((f) => f.startsWith('kiosk.db.corrupt-'));
    expect(kept).toBeDefined();
    expect(kiosk.store.integrityCheck()).toEqual(['ok']);
    const rows = kiosk.store.db.prepare('SELECT sequence, type, payload FROM outbox').all() as { sequence: number; type: string; payload: string }[];
    // Never reuse a sequence that may be at the gateway: continue after the floor.
    expect(rows.map((r) => [r.sequence, r.type])).toEqual([[4, 'kiosk.store.recovered']]);
    const data = JSON.parse(rows[0]!.payload).data;
    expect(data.quarantinedFile).toBe(kept);
    expect(data.reason).toMatch(/open failed|quick_check/);
    expect(kiosk.outbox.watermarks()).toEqual({ lastSequence: 4, ackedThrough: 3 });
  });

  it('given a damaged page, then unsent events that still read back are carried over with their sequences', () => {
    const dir = dataDir();
    const first = openTestKiosk(dir, { store: { synchronous: 'FULL' } });
    // a second table whose pages we damage; the outbox pages stay readable
    first.store.db.exec('CREATE TABLE filler (x TEXT)');
    first.store.db.transaction(() => {
      for (let i = 0; i < 200; i++) first.store.db.prepare('INSERT INTO filler VALUES (?)').run('f'.repeat(500));
    })();
    for (let i = 0; i < 6; i++) first.outbox.append(offerClaimed(i));
    first.outbox.prepareToSend(2);
    const fillerRoot = first.store.db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'filler'").pluck().get() as number;
    const pageSize = first.store.db.pragma('page_size', { simple: true }) as number;
    first.store.db.pragma('wal_checkpoint(TRUNCATE)');
    first.close();
    const fd = openSync(join(dir, 'kiosk.db'), 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (fillerRoot - 1) * pageSize);
    closeSync(fd);

    const kiosk = openTestKiosk(dir);
    cleanups.push(() => kiosk.close());
    const types = kiosk.store.db.prepare('SELECT sequence, type FROM outbox ORDER BY sequence').all();
    expect(types).toEqual([
      { sequence: 3, type: 'mall.offer.claimed' },
      { sequence: 4, type: 'mall.offer.claimed' },
      { sequence: 5, type: 'mall.offer.claimed' },
      { sequence: 6, type: 'mall.offer.claimed' },
      { sequence: 7, type: 'kiosk.store.recovered' },
    ]);
    expect(kiosk.outbox.stats().undelivered.business).toBe(5);
  });

  it('given the database file is gone but the kiosk has sent before, then the loss is recorded and numbering continues', () => {
    const dir = dataDir();
    const first = openTestKiosk(dir);
    for (let i = 0; i < 3; i++) first.outbox.append(offerClaimed(i));
    first.outbox.prepareToSend(3);
    first.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `kiosk.db${suffix}`), { force: true });
    const kiosk = openTestKiosk(dir);
    cleanups.push(() => kiosk.close());
    expect(kiosk.outbox.watermarks()).toEqual({ lastSequence: 4, ackedThrough: 3 });
  });
});

describe('store.transaction', () => {
  it('given a state change and an append, when the change fails after the append, then neither stays and no sequence is lost', () => {
    const dir = dataDir();
    const kiosk = openTestKiosk(dir);
    cleanups.push(() => kiosk.close());
    kiosk.store.db.exec('CREATE TABLE claims (coupon TEXT PRIMARY KEY)');
    const claim = (coupon: string): void =>
      kiosk.store.transaction(() => {
        kiosk.outbox.appendInTransaction(offerClaimed(1));
        kiosk.store.db.prepare('INSERT INTO claims VALUES (?)').run(coupon);
      });
    claim('A');
    expect(() => claim('A')).toThrow(/UNIQUE/);
    claim('B');
    expect(kiosk.store.db.prepare('SELECT sequence FROM outbox').pluck().all()).toEqual([1, 2]);
    expect(kiosk.outbox.stats().undelivered.business).toBe(2);
  });
});
