import { countOf, mergeRanges, subtractRanges, type SequenceRange } from '../eventStore/sequenceRanges';

/** What the event store holds of one kiosk's sequence. */
export interface KioskGapAudit {
  kioskId: string;
  /** Highest n such that every sequence 1..n is stored or dead-lettered (0 when 1 is missing). */
  highestContiguous: number;
  /** Highest sequence seen at all. */
  highestSeen: number;
  /** Events stored in the event store. */
  storedCount: number;
  /** Sequences that were dead-lettered (by the gateway or a consumer) and are not stored. */
  deadLetteredCount: number;
  /** Sequences in 1..highestSeen neither stored nor dead-lettered. */
  missing: SequenceRange[];
  missingCount: number;
}

/**
 * Audits one kiosk from its summary ranges. Dead-lettered sequences count as accounted for (the
 * gateway acknowledged them, DESIGN.md), but are reported apart, so a gap is never hidden.
 */
export function auditKiosk(kioskId: string, stored: readonly SequenceRange[], deadLettered: readonly SequenceRange[]): KioskGapAudit {
  const storedRuns = mergeRanges(stored);
  const deadOnly = subtractRanges(deadLettered, storedRuns);
  const accounted = mergeRanges([...storedRuns, ...deadOnly]);
  const highestSeen = accounted.length > 0 ? accounted[accounted.length - 1]!.last : 0;
  const first = accounted[0];
  const highestContiguous = first && first.first <= 1 ? first.last : 0;
  const missing = highestSeen === 0 ? [] : subtractRanges([{ first: 1, last: highestSeen }], accounted);
  return {
    kioskId,
    highestContiguous,
    highestSeen,
    storedCount: countOf(storedRuns),
    deadLetteredCount: countOf(deadOnly),
    missing,
    missingCount: countOf(missing),
  };
}

/** Renders audits as a fixed-width text table (the CLI's default output). */
export function formatAuditTable(audits: readonly KioskGapAudit[]): string {
  const header = ['kiosk', 'contiguous', 'highest', 'stored', 'dead-lettered', 'missing', 'missing ranges'];
  const rows = audits.map((a) => [
    a.kioskId,
    String(a.highestContiguous),
    String(a.highestSeen),
    String(a.storedCount),
    String(a.deadLetteredCount),
    String(a.missingCount),
    a.missing.length === 0 ? '-' : a.missing.slice(0, 5).map((r) => (r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`)).join(',') + (a.missing.length > 5 ? ',…' : ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
