import { createHash } from 'node:crypto';
import { exampleData, newEventId, type CatalogueEvent, type ValidEvent } from '@atrium/contracts';
import { kioskEvent } from './cloudTestKit';

const CYCLE = ['kiosk.heartbeat', 'mall.directory.searched', 'mall.store.viewed', 'mall.route.requested', 'mall.offer.viewed', 'mall.offer.claimed', 'mall.loyalty.enrolled', 'mall.feedback.submitted'] as const;

/** A kiosk's events `from..to` cycling through the types every view reads (deterministic types). */
export function mixedEvents(kioskId: string, from: number, to: number, offerId: string): ValidEvent[] {
  const events: ValidEvent[] = [];
  for (let seq = from; seq <= to; seq += 1) events.push(kioskEvent(kioskId, seq, mixedEventData(kioskId, seq, offerId)));
  return events;
}

/** The `{ type, data }` of sequence `seq` in the mix. */
export function mixedEventData(kioskId: string, seq: number, offerId: string): CatalogueEvent {
  const type = CYCLE[(seq - 1) % CYCLE.length]!;
  switch (type) {
    case 'kiosk.heartbeat':
      return { type, data: { ...exampleData[type], queueDepth: seq } };
    case 'mall.store.viewed':
    case 'mall.route.requested':
      return { type, data: { ...exampleData[type], storeId: `store-${seq % 3}` } } as CatalogueEvent;
    case 'mall.offer.viewed':
      return { type, data: { ...exampleData[type], offerId } };
    case 'mall.offer.claimed':
      return { type, data: { ...exampleData[type], offerId, claimId: newEventId(), offline: seq % 2 === 0 } };
    case 'mall.loyalty.enrolled':
      return { type, data: { ...exampleData[type], memberRef: newEventId(), emailHash: createHash('sha256').update(`${kioskId}#${seq}`).digest('hex') } };
    default:
      return { type, data: exampleData[type] } as CatalogueEvent;
  }
}

/** How many events of each type sequences 1..n hold. */
export function expectedTypeCounts(n: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let seq = 1; seq <= n; seq += 1) {
    const type = CYCLE[(seq - 1) % CYCLE.length]!;
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}
