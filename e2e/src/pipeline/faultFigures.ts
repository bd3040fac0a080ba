import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type cassandra from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { topics } from '@atrium/contracts';
import { retrying } from './isolatedStores';
import type { PipelineAudit } from './pipelineAudit';
import type { AuditKiosk } from './pipelineAudit';

/** A kiosk's outbox watermarks, read from its SQLite file by a second (read-only) connection. */
export function readOutboxMarks(dataDir: string): { lastSequence: number; ackedThrough: number } {
  const file = join(dataDir, 'kiosk.db');
  if (!existsSync(file)) return { lastSequence: 0, ackedThrough: 0 };
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    return { lastSequence: 0, ackedThrough: 0 };
  }
  try {
    db.pragma('busy_timeout = 5000');
    // A kiosk that is still creating its store has no tables yet.
    const ready = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('outbox', 'outbox_acks')").get() as { n: number };
    if (ready.n < 2) return { lastSequence: 0, ackedThrough: 0 };
    const row = db.prepare('SELECT (SELECT COALESCE(MAX(sequence), 0) FROM outbox) AS last, (SELECT COALESCE(MAX(acked_through), 0) FROM outbox_acks) AS acked').get() as { last: number; acked: number };
    return { lastSequence: row.last, ackedThrough: row.acked };
  } finally {
    db.close();
  }
}

/** Rows of a kiosk at or below `through` in `events_by_kiosk`. */
async function storedCount(client: cassandra.Client, kioskId: string, through: number): Promise<number> {
  let total = 0;
  for (let bucket = 0; bucket <= Math.floor(through / 100_000); bucket += 1) {
    const result = await client.execute('SELECT count(*) AS n FROM events_by_kiosk WHERE kiosk_id = ? AND bucket = ? AND sequence <= ?', [kioskId, bucket, through], { prepare: true });
    total += Number(result.rows[0]?.['n'] ?? 0);
  }
  return total;
}

/**
 * Waits until every kiosk's events up to its mark are in the event store; returns the time it
 * took, or null if `timeoutMs` passed first. This is the fault's time to recover.
 */
export async function waitStoredThrough(client: cassandra.Client, marks: ReadonlyMap<string, number>, timeoutMs: number): Promise<number | null> {
  const started = Date.now();
  const pending = new Map(marks);
  while (Date.now() - started < timeoutMs) {
    for (const [kioskId, through] of pending) {
      if ((await storedCount(client, kioskId, through).catch(() => -1)) >= through) pending.delete(kioskId);
    }
    if (pending.size === 0) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

/** Every kiosk's last recorded sequence now. */
export function recordedMarks(kiosks: readonly AuditKiosk[]): Map<string, number> {
  return new Map(kiosks.map((k) => [k.kioskId, readOutboxMarks(k.dataDir).lastSequence]));
}

/** End offsets of the kiosk-events topic. */
export async function topicEnds(brokers: string[]): Promise<Map<number, bigint>> {
  return retrying(() => readTopicEnds(brokers));
}

async function readTopicEnds(brokers: string[]): Promise<Map<number, bigint>> {
  const admin = new Kafka({ clientId: 'atrium-e2e-tally', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topics.kioskEvents)).map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Counts the records the gateway produced for `kioskIds` between two offset snapshots, and how
 * many distinct (kiosk, sequence) they carry: the difference is what the sinks had to suppress.
 */
export async function tallyTopic(brokers: string[], from: ReadonlyMap<number, bigint>, to: ReadonlyMap<number, bigint>, kioskIds: readonly string[]): Promise<{ records: number; distinct: number }> {
  const wanted = [...to].filter(([p, end]) => end > (from.get(p) ?? 0n));
  if (wanted.length === 0) return { records: 0, distinct: 0 };
  const ours = new Set(kioskIds);
  const kafka = new Kafka({ clientId: 'atrium-e2e-tally', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `atrium-e2e-tally-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  const seen = new Set<string>();
  let records = 0;
  const remaining = new Set(wanted.map(([p]) => p));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: topics.kioskEvents, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('tally did not reach the end offsets in 120 s')), 120_000);
      consumer
        .run({
          autoCommit: false,
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch }) => {
            const end = to.get(batch.partition) ?? 0n;
            for (const message of batch.messages) {
              const offset = BigInt(message.offset);
              if (offset < (from.get(batch.partition) ?? 0n) || offset >= end) continue;
              const kioskId = message.key?.toString() ?? '';
              if (!ours.has(kioskId)) continue;
              records += 1;
              seen.add(`${kioskId}#${String(message.headers?.['ce_sequence'] ?? '')}`);
            }
            const last = BigInt(batch.lastOffset());
            if (last + 1n >= end && remaining.delete(batch.partition) && remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .then(() => {
          for (const [partition] of wanted) consumer.seek({ topic: topics.kioskEvents, partition, offset: String(from.get(partition) ?? 0n) });
        }, reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return { records, distinct: seen.size };
}

/** The figures every fault prints. */
export interface FaultReport {
  fault: string;
  rounds: number;
  recorded: number;
  acknowledged: number;
  stored: number;
  /** Records produced more than once (resends after a kill or a lost reply), made harmless by the sinks. */
  duplicatesSuppressed: number;
  lost: number;
  /** Time from the end of each fault round until everything recorded before it was stored. */
  recoverMs: number[];
  auditClean: boolean;
  notes: string[];
}

/** Builds the report of a fault from the final audit and the Kafka tally. */
export function faultReport(fault: string, rounds: number, audit: PipelineAudit, tally: { records: number; distinct: number }, recoverMs: number[], notes: string[] = []): FaultReport {
  const sum = (f: (a: PipelineAudit['kiosks'][number]) => number) => audit.kiosks.reduce((n, a) => n + f(a), 0);
  return {
    fault,
    rounds,
    recorded: sum((a) => a.recorded),
    acknowledged: sum((a) => a.acked),
    stored: sum((a) => a.stored),
    duplicatesSuppressed: tally.records - tally.distinct,
    lost: sum((a) => a.missing.length),
    recoverMs,
    auditClean: audit.clean,
    notes,
  };
}

/** One block of text per fault, printed by the fault tests. */
export function formatFaultReport(r: FaultReport): string {
  const recover = r.recoverMs.length ? `${Math.max(...r.recoverMs)} ms worst, ${r.recoverMs.join(' / ')} ms per round` : 'n/a';
  return [
    `=== fault: ${r.fault} (${r.rounds} round${r.rounds === 1 ? '' : 's'}) ===`,
    `  events recorded       ${r.recorded}`,
    `  acknowledged          ${r.acknowledged}`,
    `  stored                ${r.stored}`,
    `  duplicates suppressed ${r.duplicatesSuppressed}`,
    `  lost                  ${r.lost}`,
    `  time to recover       ${recover}`,
    `  audit                 ${r.auditClean ? 'clean' : 'DIFFERENCES'}`,
    ...r.notes.map((n) => `  note: ${n}`),
  ].join('\n');
}
