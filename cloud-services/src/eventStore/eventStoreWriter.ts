import type { EventApplier } from '../kafka/eventConsumer';
import type { CassandraEventStore } from './cassandraEventStore';
import { sequenceRunsByKiosk } from './eventStoreRow';

/** The stage name of the event-store writer (dead-letter headers, metrics, redrive). */
export const EVENT_STORE_STAGE = 'event-store';

/**
 * The writer's applier: rows first, summary second; the consumer commits the offsets only after
 * both were acknowledged. Events it dead-letters are recorded as dead-lettered sequences, so the
 * gap audit accounts for them instead of calling them lost.
 */
export function eventStoreApplier(store: CassandraEventStore): EventApplier {
  return {
    stage: EVENT_STORE_STAGE,
    apply: (events) => store.append(events),
    async deadLettered(items) {
      const known = items.flatMap((i) => (i.kioskId && i.sequence ? [{ kioskId: i.kioskId, sequence: i.sequence }] : []));
      await store.recordRanges('dead_lettered', sequenceRunsByKiosk(known));
    },
  };
}
