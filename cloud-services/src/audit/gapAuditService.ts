import type { CassandraEventStore, SequenceKind } from '../eventStore/cassandraEventStore';
import { mergeRanges, type SequenceRange } from '../eventStore/sequenceRanges';
import { auditKiosk, type KioskGapAudit } from './gapAudit';

/** Options of an audit run. */
export interface GapAuditOptions {
  /** Only these kiosks; all kiosks with a summary when absent. */
  kioskIds?: readonly string[];
  /** Compact a kiosk's summary when it has more rows than this (0 = never). */
  compactAbove?: number;
}

/** Audits kiosks from the summary table, compacting summaries that grew long along the way. */
export async function runGapAudit(store: CassandraEventStore, options: GapAuditOptions = {}): Promise<KioskGapAudit[]> {
  const kioskIds = options.kioskIds ?? (await store.kioskIds());
  const compactAbove = options.compactAbove ?? 64;
  const audits: KioskGapAudit[] = [];
  for (const kioskId of kioskIds) {
    const rows = await store.summaryRows(kioskId);
    const byKind: Record<SequenceKind, SequenceRange[]> = { stored: [], dead_lettered: [] };
    for (const row of rows) byKind[row.kind]?.push({ first: row.first, last: row.last });
    for (const kind of ['stored', 'dead_lettered'] as const) {
      const merged = mergeRanges(byKind[kind]);
      if (compactAbove > 0 && byKind[kind].length > compactAbove) await store.compactSummary(kioskId, kind, byKind[kind], merged);
    }
    audits.push(auditKiosk(kioskId, byKind.stored, byKind.dead_lettered));
  }
  return audits;
}
