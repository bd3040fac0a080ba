/** One event as the kiosk recorded it (from its SQLite outbox). */
export interface RecordedEvent {
  sequence: number;
  id: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
}

/** One row of `events_by_kiosk`. */
export interface StoredRow {
  sequence: number;
  id: string;
}

/** What the views hold for one kiosk (summed over days). */
export interface KioskViews {
  /** fleet_status: last heartbeat (ISO) or null when the kiosk has no document. */
  lastHeartbeatAt: string | null;
  /** store_popularity: per store id, views and routes. */
  stores: Record<string, { views: number; routes: number }>;
  /** offer_performance: per offer id, views and claims. */
  offers: Record<string, { views: number; claims: number }>;
  /** offer_claims (PostgreSQL): rows of this kiosk. */
  claimRows: number;
  /** loyalty_members (PostgreSQL): rows whose identity came from this kiosk. */
  loyaltyRows: number;
}

/** The audit of one kiosk. */
export interface KioskAudit {
  kioskId: string;
  recorded: number;
  /** Recorded sequences the gateway dead-lettered (acknowledged, never stored by design). */
  deadLettered: number;
  acked: number;
  stored: number;
  missing: number[];
  /** Event ids stored more than once, or stored under another sequence than recorded. */
  duplicateIds: string[];
  /** Stored sequences the kiosk never recorded. */
  unexpected: number[];
  viewMismatches: string[];
}

/** What the recorded events imply for the views. */
export function expectedViews(events: readonly RecordedEvent[]): KioskViews {
  const views: KioskViews = { lastHeartbeatAt: null, stores: {}, offers: {}, claimRows: 0, loyaltyRows: 0 };
  let lastHeartbeatSeq = 0;
  const store = (id: string) => (views.stores[id] ??= { views: 0, routes: 0 });
  const offer = (id: string) => (views.offers[id] ??= { views: 0, claims: 0 });
  for (const e of events) {
    switch (e.type) {
      case 'kiosk.heartbeat':
        if (e.sequence > lastHeartbeatSeq) {
          lastHeartbeatSeq = e.sequence;
          views.lastHeartbeatAt = new Date(e.time).toISOString();
        }
        break;
      case 'mall.store.viewed':
        store(String(e.data.storeId)).views += 1;
        break;
      case 'mall.route.requested':
        store(String(e.data.storeId)).routes += 1;
        break;
      case 'mall.offer.viewed':
        offer(String(e.data.offerId)).views += 1;
        break;
      case 'mall.offer.claimed':
        offer(String(e.data.offerId)).claims += 1;
        views.claimRows += 1;
        break;
      case 'mall.loyalty.enrolled':
        views.loyaltyRows += 1;
        break;
      default:
        break;
    }
  }
  return views;
}

function diffCounters(view: string, expected: Record<string, Record<string, number>>, actual: Record<string, Record<string, number>>): string[] {
  const out: string[] = [];
  for (const id of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
    for (const counter of [...new Set([...Object.keys(expected[id] ?? {}), ...Object.keys(actual[id] ?? {})])].sort()) {
      const want = expected[id]?.[counter] ?? 0;
      const got = actual[id]?.[counter] ?? 0;
      if (want !== got) out.push(`${view} ${id} ${counter}: expected ${want}, found ${got}`);
    }
  }
  return out;
}

/** Differences between the views the events imply and the views found. */
export function compareViews(expected: KioskViews, actual: KioskViews): string[] {
  const out: string[] = [];
  if (expected.lastHeartbeatAt !== actual.lastHeartbeatAt) out.push(`fleet-status lastHeartbeatAt: expected ${expected.lastHeartbeatAt}, found ${actual.lastHeartbeatAt}`);
  out.push(...diffCounters('store-popularity', expected.stores, actual.stores));
  out.push(...diffCounters('offer-performance', expected.offers, actual.offers));
  if (expected.claimRows !== actual.claimRows) out.push(`offer-claims rows: expected ${expected.claimRows}, found ${actual.claimRows}`);
  if (expected.loyaltyRows !== actual.loyaltyRows) out.push(`loyalty-members rows: expected ${expected.loyaltyRows}, found ${actual.loyaltyRows}`);
  return out;
}

/** Compares what a kiosk recorded with what the event store holds for it (by sequence and id). */
export function compareEvents(
  kioskId: string,
  recorded: readonly RecordedEvent[],
  deadLettered: ReadonlySet<number>,
  acked: number,
  stored: readonly StoredRow[],
): Omit<KioskAudit, 'viewMismatches'> {
  const storedBySeq = new Map<number, string>();
  const seqsById = new Map<string, number[]>();
  for (const row of stored) {
    storedBySeq.set(row.sequence, row.id);
    seqsById.set(row.id, [...(seqsById.get(row.id) ?? []), row.sequence]);
  }
  const recordedSeqs = new Set<number>();
  const missing: number[] = [];
  const duplicateIds = new Set<string>();
  for (const e of recorded) {
    recordedSeqs.add(e.sequence);
    if (deadLettered.has(e.sequence)) continue;
    const id = storedBySeq.get(e.sequence);
    if (id === undefined) missing.push(e.sequence);
    else if (id !== e.id) duplicateIds.add(id);
  }
  for (const [id, seqs] of seqsById) if (seqs.length > 1) duplicateIds.add(id);
  const unexpected = stored.filter((r) => !recordedSeqs.has(r.sequence)).map((r) => r.sequence);
  return { kioskId, recorded: recorded.length, deadLettered: deadLettered.size, acked, stored: stored.length, missing, duplicateIds: [...duplicateIds], unexpected };
}

/** True when a kiosk's audit found no difference at all. */
export function auditClean(audit: KioskAudit): boolean {
  return audit.missing.length === 0 && audit.duplicateIds.length === 0 && audit.unexpected.length === 0 && audit.viewMismatches.length === 0;
}

/** Renders sequences compactly as ranges: `1-3,7`. */
export function formatRanges(seqs: readonly number[], max = 6): string {
  const sorted = [...seqs].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j += 1;
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.length > max ? `${ranges.slice(0, max).join(',')},…(${ranges.length - max} more)` : ranges.join(',');
}

/** The audit table: kiosk, recorded, acked, stored, missing, duplicates by id, view mismatches. */
export function formatAuditTable(audits: readonly KioskAudit[]): string {
  const header = ['kiosk', 'recorded', 'acked', 'stored', 'missing', 'dup-ids', 'unexpected', 'view-mismatches'];
  const rows = audits.map((a) => [a.kioskId, String(a.recorded), String(a.acked), String(a.stored), a.missing.length ? `${a.missing.length} (${formatRanges(a.missing)})` : '0', String(a.duplicateIds.length), String(a.unexpected.length), String(a.viewMismatches.length)]);
  const total = (f: (a: KioskAudit) => number) => String(audits.reduce((n, a) => n + f(a), 0));
  rows.push(['TOTAL', total((a) => a.recorded), total((a) => a.acked), total((a) => a.stored), total((a) => a.missing.length), total((a) => a.duplicateIds.length), total((a) => a.unexpected.length), total((a) => a.viewMismatches.length)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const details = audits.flatMap((a) => a.viewMismatches.slice(0, 5).map((m) => `  ${a.kioskId}: ${m}`));
  return [line(header), ...rows.map(line), ...(details.length ? ['', 'view mismatches:', ...details] : [])].join('\n');
}
