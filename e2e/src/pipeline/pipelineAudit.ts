import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import cassandra from 'cassandra-driver';
import { MongoClient, type Db } from 'mongodb';
import pg from 'pg';
import { mallOfKiosk } from '../../../cloud-services/src/projections/reducers/kioskMall';
import { decodeFieldKey } from '../../../cloud-services/src/projections/reducers/fieldKey';
import { auditClean, compareEvents, compareViews, expectedViews, type KioskAudit, type KioskViews, type RecordedEvent, type StoredRow } from './auditCompare';

/** Where the audit looks: the event store and the views (the cloud services' own settings). */
export interface AuditTargets {
  cassandra: { contactPoints: string[]; dataCenter: string; keyspace: string };
  pgUrl: string;
  /** Schema of the PostgreSQL views. */
  pgSchema: string;
  mongoUrl: string;
}

/** A kiosk to audit and where its SQLite file is. */
export interface AuditKiosk {
  kioskId: string;
  dataDir: string;
}

/** The whole audit: per kiosk, and per mall (daily analytics are counted per mall). */
export interface PipelineAudit {
  kiosks: KioskAudit[];
  mallMismatches: string[];
  clean: boolean;
}

/** What a kiosk's SQLite outbox holds: every recorded event, dead-lettered sequences, the ack watermark. */
export function readKioskOutbox(dataDir: string): { events: RecordedEvent[]; deadLettered: Set<number>; acked: number } {
  const file = join(dataDir, 'kiosk.db');
  if (!existsSync(file)) return { events: [], deadLettered: new Set(), acked: 0 };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const events = (db.prepare('SELECT sequence, id, type, payload FROM outbox ORDER BY sequence').all() as { sequence: number; id: string; type: string; payload: string }[]).map((row) => {
      const event = JSON.parse(row.payload) as { time: string; data: Record<string, unknown> };
      return { sequence: row.sequence, id: row.id, type: row.type, time: event.time, data: event.data };
    });
    const deadLettered = new Set((db.prepare('SELECT sequence FROM outbox_rejections').all() as { sequence: number }[]).map((r) => r.sequence));
    const acked = (db.prepare('SELECT COALESCE(MAX(acked_through), 0) AS acked FROM outbox_acks').get() as { acked: number }).acked;
    return { events, deadLettered, acked };
  } finally {
    db.close();
  }
}

/** Open clients to the stores the audit reads. */
export interface AuditClients {
  cassandra: cassandra.Client;
  pool: pg.Pool;
  mongo: MongoClient;
  db: Db;
  targets: AuditTargets;
  close(): Promise<void>;
}

/** Connects to the event store and the views. */
export async function openAuditClients(targets: AuditTargets): Promise<AuditClients> {
  const client = new cassandra.Client({
    contactPoints: targets.cassandra.contactPoints,
    localDataCenter: targets.cassandra.dataCenter,
    keyspace: targets.cassandra.keyspace,
    socketOptions: { readTimeout: 30_000, connectTimeout: 10_000 },
  });
  await client.connect();
  const pool = new pg.Pool({ connectionString: targets.pgUrl, max: 4 });
  pool.on('error', () => undefined);
  const mongo = new MongoClient(targets.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  await mongo.connect();
  const dbName = decodeURIComponent(new URL(targets.mongoUrl).pathname.replace(/^\//, '')) || 'atrium';
  return {
    cassandra: client,
    pool,
    mongo,
    db: mongo.db(dbName),
    targets,
    async close() {
      await Promise.allSettled([client.shutdown(), pool.end(), mongo.close()]);
    },
  };
}

/** Every `events_by_kiosk` row of a kiosk up to sequence `upTo` (bucket = sequence / 100000). */
export async function readStoredRows(client: cassandra.Client, kioskId: string, upTo: number): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  for (let bucket = 0; bucket <= Math.floor(upTo / 100_000) + 1; bucket += 1) {
    let pageState: string | undefined;
    do {
      const result = await client.execute('SELECT sequence, id FROM events_by_kiosk WHERE kiosk_id = ? AND bucket = ?', [kioskId, bucket], {
        prepare: true,
        fetchSize: 5_000,
        ...(pageState ? { pageState } : {}),
      });
      for (const row of result.rows) rows.push({ sequence: Number(row['sequence']), id: String(row['id']) });
      pageState = result.pageState ?? undefined;
    } while (pageState);
  }
  return rows;
}

/** What the views hold for one kiosk. */
export async function readKioskViews(clients: AuditClients, kioskId: string): Promise<KioskViews> {
  const views: KioskViews = { lastHeartbeatAt: null, stores: {}, offers: {}, claimRows: 0, loyaltyRows: 0 };
  const fleet = await clients.db.collection<{ _id: string; lastHeartbeatAt?: Date }>('fleet_status').findOne({ _id: kioskId });
  views.lastHeartbeatAt = fleet?.lastHeartbeatAt instanceof Date ? fleet.lastHeartbeatAt.toISOString() : null;
  for (const doc of await clients.db.collection('store_popularity').find({ kioskId }).toArray()) {
    for (const [key, counters] of Object.entries((doc['stores'] ?? {}) as Record<string, Record<string, number>>)) {
      const into = (views.stores[decodeFieldKey(key)] ??= { views: 0, routes: 0 });
      into.views += counters['views'] ?? 0;
      into.routes += counters['routes'] ?? 0;
    }
  }
  for (const doc of await clients.db.collection('offer_performance').find({ kioskId }).toArray()) {
    for (const [key, counters] of Object.entries((doc['offers'] ?? {}) as Record<string, Record<string, number>>)) {
      const into = (views.offers[decodeFieldKey(key)] ??= { views: 0, claims: 0 });
      into.views += counters['views'] ?? 0;
      into.claims += counters['claims'] ?? 0;
    }
  }
  const schema = clients.targets.pgSchema;
  const claims = await clients.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.offer_claims WHERE kiosk_id = $1`, [kioskId]);
  views.claimRows = Number(claims.rows[0]?.n ?? 0);
  const members = await clients.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.loyalty_members WHERE kiosk_id = $1`, [kioskId]);
  views.loyaltyRows = Number(members.rows[0]?.n ?? 0);
  return views;
}

async function mallMismatches(clients: AuditClients, recorded: Map<string, RecordedEvent[]>): Promise<string[]> {
  const expected = new Map<string, number>();
  const malls = new Set<string>();
  for (const [kioskId, events] of recorded) {
    const mall = mallOfKiosk(kioskId);
    malls.add(mall);
    for (const e of events) {
      const key = `${mall} ${new Date(e.time).toISOString().slice(0, 10)} ${e.type}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
  }
  const actual = new Map<string, number>();
  const { rows } = await clients.pool.query<{ mall_id: string; day: string; event_type: string; events: string }>(
    `SELECT mall_id, to_char(day, 'YYYY-MM-DD') AS day, event_type, events FROM ${clients.targets.pgSchema}.daily_analytics WHERE mall_id = ANY($1)`,
    [[...malls]],
  );
  for (const r of rows) actual.set(`${r.mall_id} ${r.day} ${r.event_type}`, Number(r.events));
  const out: string[] = [];
  for (const key of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
    if ((expected.get(key) ?? 0) !== (actual.get(key) ?? 0)) out.push(`daily-analytics ${key}: expected ${expected.get(key) ?? 0}, found ${actual.get(key) ?? 0}`);
  }
  return out;
}

/**
 * Audits kiosks end to end: every sequence a kiosk recorded is in `events_by_kiosk` exactly once
 * under its recorded id (dead-lettered ones excepted), nothing else is stored for it, and each
 * view holds what the recorded events imply. With `wholeMalls`, daily analytics (counted per mall)
 * are checked too: only valid when every kiosk of those malls is being audited.
 */
export async function auditPipeline(clients: AuditClients, kiosks: readonly AuditKiosk[], options: { wholeMalls?: boolean } = {}): Promise<PipelineAudit> {
  const audits: KioskAudit[] = [];
  const recordedByKiosk = new Map<string, RecordedEvent[]>();
  for (const kiosk of kiosks) {
    const outbox = readKioskOutbox(kiosk.dataDir);
    recordedByKiosk.set(kiosk.kioskId, outbox.events.filter((e) => !outbox.deadLettered.has(e.sequence)));
    const last = outbox.events.at(-1)?.sequence ?? 0;
    const stored = await readStoredRows(clients.cassandra, kiosk.kioskId, last);
    const events = compareEvents(kiosk.kioskId, outbox.events, outbox.deadLettered, outbox.acked, stored);
    const viewMismatches = compareViews(expectedViews(outbox.events.filter((e) => !outbox.deadLettered.has(e.sequence))), await readKioskViews(clients, kiosk.kioskId));
    audits.push({ ...events, viewMismatches });
  }
  const malls = options.wholeMalls ? await mallMismatches(clients, recordedByKiosk) : [];
  return { kiosks: audits, mallMismatches: malls, clean: audits.every(auditClean) && malls.length === 0 };
}

/** Audits until clean (the consumers may still be catching up) or until `timeoutMs`; returns the last audit. */
export async function auditUntilClean(clients: AuditClients, kiosks: readonly AuditKiosk[], options: { wholeMalls?: boolean; timeoutMs: number; intervalMs?: number }): Promise<PipelineAudit & { waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const audit = await auditPipeline(clients, kiosks, options);
    if (audit.clean || Date.now() - started >= options.timeoutMs) return { ...audit, waitedMs: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
  }
}
