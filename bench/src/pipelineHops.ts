// Where an event's time goes between its commit on the kiosk and its row in Cassandra, hop by hop,
// from what the pipeline records anyway: the kiosk's outbox (event time, acknowledgement times),
// the Kafka record timestamps (set by the gateway's producer when it hands the record over), the
// rows' Cassandra write times (set by the writer's driver when it sends the insert) and the
// benchmark's own visibility poll. With the services logging at debug, the gateway's request
// log and the writer's batch log split the hops further.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type cassandra from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { topics } from '@atrium/contracts';
import { topicEnds } from '../../e2e/src/pipeline/faultFigures';
import { quantile } from '../../e2e/src/pipeline/pipelineMeasure';

/** Each partition's next offset of the kiosk-events topic (taken before a run, to read what it produced). */
export type TopicEnds = Map<number, bigint>;

/** Milliseconds since the epoch of each point an event passes (absent when not observed). */
export interface EventPoints {
  /** Event time: the kiosk's corrected clock (its estimate of the server's) when the action was recorded. */
  event: number;
  /** The same moment on the machine's own clock (the kiosk's raw wall clock; one machine runs everything here). */
  recorded: number;
  /** The gateway's log: the upload request that carried it arrived. */
  received?: number;
  /** Kafka record timestamp: the gateway's producer took the record. */
  produced?: number;
  /** The gateway's log: Kafka acknowledged the upload's records. */
  kafkaAcked?: number;
  /** The kiosk's outbox: the acknowledgement was recorded. */
  kioskAcked?: number;
  /** The writer's log: its batch holding the record started. */
  writerStarted?: number;
  /** Cassandra write time: the writer's driver sent the insert. */
  inserted?: number;
  /** The writer's log: rows and summary acknowledged by Cassandra. */
  applied?: number;
  /** The writer's log: offsets committed. */
  committed?: number;
  /** The benchmark's poll first saw the row. */
  visible?: number;
}

/** Reads the records produced since `from` and returns each kiosk sequence's record timestamp and place. Bounded by `timeoutMs`. */
export async function kafkaRecordTimes(brokers: string[], from: TopicEnds, kioskIds: ReadonlySet<string>, timeoutMs = 60_000): Promise<Map<string, { ts: number; partition: number; offset: bigint }>> {
  const to = await topicEnds(brokers);
  const found = new Map<string, { ts: number; partition: number; offset: bigint }>();
  const pending = new Set([...to].filter(([p, end]) => end > (from.get(p) ?? 0n)).map(([p]) => p));
  if (pending.size === 0) return found;
  const kafka = new Kafka({ clientId: 'atrium-bench-hops', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `atrium-bench-hops-${Date.now().toString(36)}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: topics.kioskEvents });
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const kioskId = m.key?.toString() ?? '';
          const sequence = m.headers?.['ce_sequence']?.toString();
          const key = `${kioskId}#${sequence}`;
          if (kioskIds.has(kioskId) && !found.has(key)) found.set(key, { ts: Number(m.timestamp), partition: batch.partition, offset: BigInt(m.offset) });
          if (BigInt(m.offset) + 1n >= to.get(batch.partition)!) pending.delete(batch.partition);
        }
        if (pending.size === 0) done();
      },
    });
    for (const [partition, offset] of from) if (pending.has(partition)) consumer.seek({ topic: topics.kioskEvents, partition, offset: offset.toString() });
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  } finally {
    await consumer.disconnect();
  }
  return found;
}

/**
 * A kiosk's outbox: each sequence's event time and raw wall-clock time, and when each
 * acknowledgement was recorded (on the kiosk's corrected clock).
 */
export function outboxPoints(dataDir: string): { eventMs: Map<number, number>; rawMs: Map<number, number>; acks: { through: number; atMs: number }[] } {
  const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT sequence, time_ms, raw_time_ms FROM outbox').all() as { sequence: number; time_ms: number; raw_time_ms: number }[];
    const acks = db.prepare('SELECT acked_through AS through, acked_at_ms AS atMs FROM outbox_acks ORDER BY acked_through').all() as { through: number; atMs: number }[];
    return { eventMs: new Map(rows.map((r) => [r.sequence, r.time_ms])), rawMs: new Map(rows.map((r) => [r.sequence, r.raw_time_ms])), acks };
  } finally {
    db.close();
  }
}

/** Each stored sequence of a kiosk with its Cassandra write time (ms; the writer's driver stamps it). */
export async function cassandraWriteTimes(client: cassandra.Client, kioskId: string, lastSequence: number): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  for (let bucket = 0; bucket <= Math.floor(lastSequence / 100_000); bucket += 1) {
    const result = await client.execute('SELECT sequence, writetime(type) AS wt FROM events_by_kiosk WHERE kiosk_id = ? AND bucket = ?', [kioskId, bucket], { prepare: true, fetchSize: 100_000 });
    for (const row of result.rows) times.set(Number(row['sequence']), Math.round(Number(row['wt']) / 1000));
  }
  return times;
}

function jsonLines(file: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** A log line's time in ms (pino writes epoch ms or, with an ISO time function, a string). */
const timeOf = (l: Record<string, unknown>) => (typeof l['time'] === 'string' ? Date.parse(l['time']) : Number(l['time']));

/** The gateway's uploads from its debug log: kiosk, sequences, arrival and Kafka acknowledgement times. */
export function gatewayUploads(logFile: string): { kioskId: string; from: number; to: number; received: number; kafkaAcked: number }[] {
  const arrived = new Map<string, number>();
  const uploads: { kioskId: string; from: number; to: number; received: number; kafkaAcked: number }[] = [];
  for (const l of jsonLines(logFile)) {
    if (l['msg'] === 'incoming request') arrived.set(String(l['reqId']), timeOf(l));
    if (l['msg'] === 'batch acknowledged' && typeof l['ackedThrough'] === 'number') {
      const received = arrived.get(String(l['reqId']));
      if (received === undefined) continue;
      const to = l['ackedThrough'];
      uploads.push({ kioskId: String(l['kioskId']), from: to - Number(l['events']) + 1, to, received, kafkaAcked: timeOf(l) });
    }
  }
  return uploads;
}

/** The event-store writer's batches from its debug log. */
export function writerBatches(logFile: string): { partition: number; first: bigint; last: bigint; started: number; applied: number; committed: number }[] {
  return jsonLines(logFile)
    .filter((l) => l['stage'] === 'event-store' && typeof l['startedAt'] === 'number')
    .map((l) => ({ partition: Number(l['partition']), first: BigInt(String(l['firstOffset'])), last: BigInt(String(l['lastOffset'])), started: Number(l['startedAt']), applied: Number(l['appliedAt']), committed: timeOf(l) }));
}

/** Everything the breakdown joins, per kiosk. */
export interface HopSources {
  kiosks: { kioskId: string; dataDir: string }[];
  visibleAt: ReadonlyMap<string, ReadonlyMap<number, number>>;
  records: Map<string, { ts: number; partition: number; offset: bigint }>;
  writeTimes: ReadonlyMap<string, ReadonlyMap<number, number>>;
  gatewayLog?: string;
  writerLog?: string;
}

/** Joins the sources into each event's points. */
export function eventPoints(sources: HopSources): EventPoints[] {
  const uploads = sources.gatewayLog ? gatewayUploads(sources.gatewayLog) : [];
  const batches = sources.writerLog ? writerBatches(sources.writerLog) : [];
  const points: EventPoints[] = [];
  for (const { kioskId, dataDir } of sources.kiosks) {
    const { eventMs, rawMs, acks } = outboxPoints(dataDir);
    const mine = uploads.filter((u) => u.kioskId === kioskId);
    for (const [sequence, event] of eventMs) {
      const recorded = rawMs.get(sequence)!;
      const p: EventPoints = { event, recorded };
      const upload = mine.find((u) => u.from <= sequence && sequence <= u.to);
      if (upload) Object.assign(p, { received: upload.received, kafkaAcked: upload.kafkaAcked });
      const record = sources.records.get(`${kioskId}#${sequence}`);
      if (record) {
        p.produced = record.ts;
        const batch = batches.find((b) => b.partition === record.partition && b.first <= record.offset && record.offset <= b.last);
        if (batch) Object.assign(p, { writerStarted: batch.started, applied: batch.applied, committed: batch.committed });
      }
      // The acknowledgement time is on the corrected clock: moved onto the machine's by this event's correction.
      const ack = acks.find((a) => a.through >= sequence);
      if (ack) p.kioskAcked = ack.atMs - (event - recorded);
      const inserted = sources.writeTimes.get(kioskId)?.get(sequence);
      if (inserted !== undefined) p.inserted = inserted;
      const visible = sources.visibleAt.get(kioskId)?.get(sequence);
      if (visible !== undefined) p.visible = visible;
      points.push(p);
    }
  }
  return points;
}

/** Everything `measureHops` reads after a run. */
export interface HopRun {
  brokers: string[];
  /** The topic's ends taken before the kiosks started. */
  ends: TopicEnds;
  kiosks: { kioskId: string; dataDir: string; lastSequence: number }[];
  cassandra: cassandra.Client;
  visibleAt: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** The gateway's and the writer's logs, when they ran at debug. */
  gatewayLog?: string;
  writerLog?: string;
}

/** Gathers a finished run's points: per-hop p50/p99 and the latency by second of the run. */
export async function measureHops(run: HopRun): Promise<{ hops: ReturnType<typeof hopBreakdown>; timeline: string }> {
  const records = await kafkaRecordTimes(run.brokers, run.ends, new Set(run.kiosks.map((k) => k.kioskId)));
  const writeTimes = new Map<string, Map<number, number>>();
  for (const k of run.kiosks) writeTimes.set(k.kioskId, await cassandraWriteTimes(run.cassandra, k.kioskId, k.lastSequence));
  const points = eventPoints({ kiosks: run.kiosks, visibleAt: run.visibleAt, records, writeTimes, ...(run.gatewayLog ? { gatewayLog: run.gatewayLog } : {}), ...(run.writerLog ? { writerLog: run.writerLog } : {}) });
  return { hops: hopBreakdown(points), timeline: latencyTimeline(points) };
}

/** The hops reported, each from one point to a later one (all on the machine's clock but the first). */
const HOPS: { name: string; from: keyof EventPoints; to: keyof EventPoints }[] = [
  { name: 'kiosk clock correction (event time − machine time)', from: 'recorded', to: 'event' },
  { name: 'commit→gateway received (kiosk loop, sign, send)', from: 'recorded', to: 'received' },
  { name: 'received→produce (body, signature, plan)', from: 'received', to: 'produced' },
  { name: 'produce→Kafka ack', from: 'produced', to: 'kafkaAcked' },
  { name: 'Kafka ack→kiosk has ack', from: 'kafkaAcked', to: 'kioskAcked' },
  { name: 'Kafka ack→writer batch start (fetch, queue)', from: 'kafkaAcked', to: 'writerStarted' },
  { name: 'writer start→insert sent', from: 'writerStarted', to: 'inserted' },
  { name: 'insert sent→applied (rows+summary acked)', from: 'inserted', to: 'applied' },
  { name: 'applied→offset committed', from: 'applied', to: 'committed' },
  { name: 'commit→produce', from: 'recorded', to: 'produced' },
  { name: 'produce→insert sent', from: 'produced', to: 'inserted' },
  { name: 'insert sent→visible to poll', from: 'inserted', to: 'visible' },
  { name: 'commit→visible (machine clock)', from: 'recorded', to: 'visible' },
  { name: 'event time→visible', from: 'event', to: 'visible' },
];

/** p50/p99 of each hop that was observed. */
export function hopBreakdown(points: readonly EventPoints[]): { hop: string; p50: number; p99: number; n: number }[] {
  return HOPS.flatMap(({ name, from, to }) => {
    const d = points.flatMap((p) => (p[from] !== undefined && p[to] !== undefined ? [p[to]! - p[from]!] : [])).sort((a, b) => a - b);
    return d.length === 0 ? [] : [{ hop: name, p50: quantile(d, 0.5), p99: quantile(d, 0.99), n: d.length }];
  });
}

/** Commit-to-visible p50/max per `bucketMs` of event time since the first event (warm-up and stalls show here). */
export function latencyTimeline(points: readonly EventPoints[], bucketMs = 2_000): string {
  const seen = points.filter((p) => p.visible !== undefined);
  if (seen.length === 0) return '';
  const start = seen.reduce((first, p) => Math.min(first, p.event), Infinity);
  const buckets = new Map<number, number[]>();
  for (const p of seen) {
    const b = Math.floor((p.event - start) / bucketMs);
    if (!buckets.has(b)) buckets.set(b, []);
    buckets.get(b)!.push(p.visible! - p.event);
  }
  return [...buckets]
    .sort(([a], [b]) => a - b)
    .map(([b, d]) => {
      d.sort((x, y) => x - y);
      return `${(b * bucketMs) / 1000}s ${quantile(d, 0.5)}/${d.at(-1)}`;
    })
    .join(' ');
}

/** One line per hop, "hop p50/p99 ms". */
export function formatHops(hops: readonly { hop: string; p50: number; p99: number }[]): string {
  return hops.map((h) => `${h.hop} ${h.p50}/${h.p99}`).join('; ');
}
