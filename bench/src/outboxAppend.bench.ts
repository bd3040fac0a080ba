// Append rate through the kiosk outbox (real event, id, clock, validation, sequence, byte
// accounting) against a bare better-sqlite3 insert loop of the same rows, with the same pragmas,
// schema and transaction sizes, for synchronous=FULL and NORMAL, side by side in one run.
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleData, makeEvent, newEventId, type CatalogueEvent } from '@atrium/contracts';
import { KioskClock, Outbox, openKioskStore, systemClockSource, type KioskStore } from '../../kiosk-app/src/edge/index';
import { writeBenchResult } from './benchResult';

if (process.argv.includes('--help')) {
  console.log('Usage: tsx bench/src/outboxAppend.bench.ts [--quick]\nWrites bench/results/outboxAppend.json.');
  process.exit(0);
}
const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 3 : 15;
const ROUND_MS = QUICK ? 150 : 300;
const ROUND_MAX_EVENTS = 200_000;
const KIOSK = 'mall-01-k007';
type Sync = 'FULL' | 'NORMAL';
const CONFIGS: { sync: Sync; perTx: number }[] = [
  { sync: 'FULL', perTx: 1 },
  { sync: 'FULL', perTx: 100 },
  { sync: 'NORMAL', perTx: 1 },
  { sync: 'NORMAL', perTx: 100 },
];

const event = (n: number): CatalogueEvent => ({ type: 'mall.offer.claimed', data: { ...exampleData['mall.offer.claimed'], couponCode: `ATR-${n}` } });

interface Side {
  /** Appends `perTx` events per transaction until the time or count cap; returns events per second. */
  round(perTx: number): number;
  close(): void;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed(perTx: number, tx: (start: number) => void): number {
  let done = 0;
  const t0 = process.hrtime.bigint();
  const limit = t0 + BigInt(ROUND_MS) * 1_000_000n;
  while (done < ROUND_MAX_EVENTS && process.hrtime.bigint() < limit) {
    tx(done);
    done += perTx;
  }
  return done / (Number(process.hrtime.bigint() - t0) / 1e9);
}

function freshStore(sync: Sync): { store: KioskStore; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-bench-'));
  return { store: openKioskStore({ dataDir: dir, synchronous: sync }), dir };
}

function outboxSide(sync: Sync): Side {
  const { store, dir } = freshStore(sync);
  const outbox = Outbox.open(store, { kioskId: KIOSK, budgetBytes: 2 ** 40 }, new KioskClock(store, systemClockSource()));
  return {
    round: (perTx) =>
      timed(perTx, (start) =>
        store.transaction(() => {
          for (let i = 0; i < perTx; i++) outbox.appendInTransaction(event(start + i));
        }),
      ),
    close: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The same rows through a bare prepared insert. `prebuilt`: ids and JSON are made before the
 * clock starts (what SQLite alone costs). Otherwise each row's UUIDv7 and JSON are made in the
 * loop, as any hand-written insert loop of these events must.
 */
function bareSide(sync: Sync, prebuilt: boolean): Side {
  const { store, dir } = freshStore(sync);
  const db = store.db;
  const insert = db.prepare(
    'INSERT INTO outbox (sequence, id, type, delivery_class, time_ms, raw_time_ms, boot_id, mono_ms, bytes, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let sequence = 0;
  const bootId = systemClockSource().bootId;
  const made = (i: number, seq: number, now: number): readonly [string, string, number] => {
    const id = newEventId();
    const payload = JSON.stringify(makeEvent(event(i), { id, kioskId: KIOSK, sequence: seq, time: new Date(now).toISOString() }));
    return [id, payload, Buffer.byteLength(payload)];
  };
  const start = Date.now();
  const rows = prebuilt ? Array.from({ length: ROUND_MAX_EVENTS }, (_, i) => made(i, i + 1, start)) : [];
  const tx = db.transaction((first: number, perTx: number) => {
    for (let i = 0; i < perTx; i++) {
      const now = Date.now();
      sequence += 1;
      const [id, payload, bytes] = prebuilt ? rows[first + i]! : made(first + i, sequence, now);
      insert.run(sequence, id, 'mall.offer.claimed', 'business', now, now, bootId, 0, bytes, payload);
    }
  });
  return {
    round: (perTx) => timed(perTx, (first) => tx(first, perTx)),
    close: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Figure {
  sync: Sync;
  perTx: number;
  outbox: number;
  bare: number;
  bareBuilding: number;
  ratio: number;
  ratioBuilding: number;
}
const figures: Figure[] = [];
for (const { sync, perTx } of CONFIGS) {
  const sides = [outboxSide(sync), bareSide(sync, true), bareSide(sync, false)];
  const rates: number[][] = sides.map(() => []);
  for (const side of sides) side.round(perTx); // warm-up: JIT, compiled validators, page cache
  for (let r = 0; r < ROUNDS; r++) {
    // short slices, rotating the order, so load from other processes falls on every side alike
    for (let k = 0; k < sides.length; k++) {
      const i = (r + k) % sides.length;
      rates[i]!.push(sides[i]!.round(perTx));
    }
  }
  for (const side of sides) side.close();
  const [outbox, bare, bareBuilding] = rates.map((xs) => Math.round(median(xs))) as [number, number, number];
  const f: Figure = { sync, perTx, outbox, bare, bareBuilding, ratio: Number((outbox / bare).toFixed(3)), ratioBuilding: Number((outbox / bareBuilding).toFixed(3)) };
  figures.push(f);
  console.log(`synchronous=${sync}, ${perTx}/tx: outbox ${outbox}/s; bare, rows prebuilt ${bare}/s (ratio ${f.ratio}); bare, rows built in the loop ${bareBuilding}/s (ratio ${f.ratioBuilding})`);
}

const key = (f: Figure, suffix = ''): string => `${f.sync.toLowerCase()}_${f.perTx}PerTx${suffix}`;
const worst = figures.reduce((a, f) => (f.ratio < a.ratio ? f : a));
const result = writeBenchResult({
  name: 'outboxAppend',
  candidate: {
    label: `outbox.appendInTransaction (worst case: synchronous=${worst.sync}, ${worst.perTx}/tx)`,
    value: worst.outbox,
    ...Object.fromEntries(figures.map((f) => [key(f), f.outbox])),
  },
  baseline: {
    label: `bare better-sqlite3 insert of the same rows, prebuilt (synchronous=${worst.sync}, ${worst.perTx}/tx)`,
    value: worst.bare,
    ...Object.fromEntries(figures.map((f) => [key(f), f.bare])),
    ...Object.fromEntries(figures.map((f) => [key(f, '_rowsBuiltInLoop'), f.bareBuilding])),
  },
  unit: 'events/s',
  goal: 'ratio >= 0.9 in every configuration (the worst one is the headline)',
  goalMet: figures.every((f) => f.ratio >= 0.9),
  notes: [
    `${figures.map((f) => `${f.sync} ${f.perTx}/tx: ratio ${f.ratio} (${f.ratioBuilding} against a loop that makes its own ids and JSON)`).join('; ')}.`,
    `Median of ${ROUNDS} rotating slices of ${ROUND_MS} ms per side; WAL, busy_timeout 5000, same schema and transaction size.`,
    'The prebuilt baseline charges the outbox for everything it adds per event: UUIDv7, clock reading, envelope, validation, JSON, sequence and byte accounting.',
    `Load average during the run: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (other work shared the machine).`,
    `FULL costs ${Math.round((1 - figures[0]!.outbox / figures[2]!.outbox) * 100)}% of the append rate at 1 event per transaction (${figures[0]!.outbox} vs ${figures[2]!.outbox} events/s).`,
  ].join(' '),
});
console.log(JSON.stringify(result, null, 2));
