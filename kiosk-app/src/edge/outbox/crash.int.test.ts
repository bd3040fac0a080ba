import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openTestKiosk, tempDataDir } from '../testing/testKiosk';

const CHILD = fileURLToPath(new URL('../testing/crashAppender.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const ROUNDS = 30;

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** Starts the appender, lets it run for `runMs` after it is ready, SIGKILLs it; returns the sequences it reported committed. */
function runAndKill(dataDir: string, synchronous: 'FULL' | 'NORMAL', runMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, '--data-dir', dataDir, '--synchronous', synchronous], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killTimer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!killTimer && out.includes('ready\n')) killTimer = setTimeout(() => child.kill('SIGKILL'), runMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      clearTimeout(killTimer);
      if (signal !== 'SIGKILL') return reject(new Error(`appender ended without being killed: ${err.slice(0, 2000)}`));
      resolve([...out.matchAll(/^committed (\d+)$/gm)].map((m) => Number(m[1])));
    });
  });
}

describe('the outbox under crashes', () => {
  it(`given an appender SIGKILLed at random points ${ROUNDS} times, then after every restart the sequence is gapless, every reported commit is there, state and events agree, and integrity_check is ok`, async () => {
    const t = tempDataDir();
    cleanups.push(t.remove);
    const everCommitted = new Set<number>();
    let totalKills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const committed = await runAndKill(t.dir, round % 2 ? 'NORMAL' : 'FULL', 30 + Math.floor(Math.random() * 400));
      totalKills += 1;
      committed.forEach((s) => everCommitted.add(s));

      const db = new Database(`${t.dir}/kiosk.db`);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = db.prepare('SELECT sequence FROM outbox ORDER BY sequence').pluck().all() as number[];
        const prunedThrough = Number((db.prepare("SELECT value FROM store_meta WHERE key = 'outbox.prunedThrough'").pluck().get() as string | undefined) ?? 0);
        const present = new Set(rows);
        const probe = new Set(db.prepare('SELECT sequence FROM crash_probe').pluck().all() as number[]);
        // gapless: the rows continue the pruned prefix without a hole
        rows.forEach((s, i) => {
          if (s !== prunedThrough + 1 + i) expect.fail(`gap: expected ${prunedThrough + 1 + i}, found ${s}`);
        });
        const last = rows.at(-1) ?? prunedThrough;
        // every commit the child reported is still there (or was delivered and pruned)
        for (const s of everCommitted) if (s > prunedThrough && !present.has(s)) expect.fail(`committed sequence ${s} is missing`);
        expect([...everCommitted].reduce((max, s) => (s > max ? s : max), 0)).toBeLessThanOrEqual(last);
        // the local state change and its event committed together
        for (const s of rows) if (!probe.has(s)) expect.fail(`event ${s} has no state row`);
        for (const s of probe) if (s > prunedThrough && !present.has(s)) expect.fail(`state row ${s} has no event`);
        expect(db.prepare("SELECT count(*) FROM store_meta WHERE key = 'store.pendingRecovery'").pluck().get()).toBe(0);
      } finally {
        db.close();
      }
      // and the outbox itself reopens on the same numbering, with no recovery needed
      const kiosk = openTestKiosk(t.dir);
      expect(kiosk.store.pendingRecovery()).toBeNull();
      expect(kiosk.store.db.prepare("SELECT count(*) FROM outbox WHERE type = 'kiosk.store.recovered'").pluck().get()).toBe(0);
      kiosk.close();
    }
    expect(totalKills).toBe(ROUNDS);
    expect(everCommitted.size).toBeGreaterThan(ROUNDS);
  }, 600_000);
});
