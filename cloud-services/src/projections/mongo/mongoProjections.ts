import type { Db } from 'mongodb';
import type { ValidEvent } from '@atrium/contracts';
import type { ProjectionName } from '../../config/cloudConfig';
import { utcDay } from '../../eventStore/sequenceBucket';
import type { DeadLettered, EventApplier } from '../../kafka/eventConsumer';
import { foldFleetStatus, type FleetStatusFields } from '../reducers/fleetStatus';
import { foldKioskDay, kioskDayDocId, offerPerformanceReducer, storePopularityReducer, type KioskDayReducer } from '../reducers/kioskDayCounters';
import { casApply, markDeadLettered, redriveInc, type WatermarkedDoc } from './casApply';

/** A MongoDB view: its live collection and how it applies, marks and redrives events. */
export interface MongoProjection {
  name: ProjectionName;
  collection: string;
  handles(type: string): boolean;
  /** Applies events above each document's watermark, into `collection` of `db`. */
  apply(db: Db, collection: string, events: readonly ValidEvent[]): Promise<void>;
  markDeadLettered(db: Db, collection: string, event: ValidEvent): Promise<void>;
  redrive(db: Db, collection: string, event: ValidEvent): Promise<'applied' | 'not-dead-lettered'>;
}

function groupBy(events: readonly ValidEvent[], docId: (e: ValidEvent) => string): Map<string, { kioskId: string; events: ValidEvent[] }> {
  const groups = new Map<string, { kioskId: string; events: ValidEvent[] }>();
  for (const event of events) {
    const id = docId(event);
    const group = groups.get(id) ?? { kioskId: event.kioskid, events: [] };
    group.events.push(event);
    groups.set(id, group);
  }
  return groups;
}

interface FleetDoc extends WatermarkedDoc, FleetStatusFields {}

/** Fleet status: one document per kiosk (`_id` = kiosk id), last heartbeat, version, queue depth. */
export const fleetStatusProjection: MongoProjection = {
  name: 'fleet-status',
  collection: 'fleet_status',
  handles: (type) => type === 'kiosk.heartbeat' || type === 'kiosk.update.installed' || type === 'kiosk.update.rolledback',
  async apply(db, collection, events) {
    const handled = events.filter((e) => this.handles(e.type));
    await casApply(db.collection<FleetDoc>(collection), groupBy(handled, (e) => e.kioskid), (doc, fresh) => ({ set: { ...(foldFleetStatus(doc, fresh) ?? {}) }, inc: {} }), () => ({}));
  },
  markDeadLettered: (db, collection, event) => markDeadLettered(db.collection<WatermarkedDoc>(collection), event.kioskid, event.kioskid, event.sequence, {}),
  // A redriven heartbeat is older than what the view shows: it is superseded, only its mark goes.
  redrive: (db, collection, event) => redriveInc(db.collection<WatermarkedDoc>(collection), event.kioskid, event.sequence, {}),
};

function kioskDayProjection<S>(name: ProjectionName, collection: string, reducer: KioskDayReducer<S>): MongoProjection {
  const insertFields = (docId: string) => ({ day: docId.slice(docId.lastIndexOf('|') + 1) });
  return {
    name,
    collection,
    handles: reducer.handles,
    async apply(db, coll, events) {
      const handled = events.filter((e) => reducer.handles(e.type));
      await casApply(
        db.collection<WatermarkedDoc & { state?: S }>(coll),
        groupBy(handled, kioskDayDocId),
        (doc, fresh) => {
          const { inc, state } = foldKioskDay(reducer, doc?.state ?? reducer.initial(), fresh);
          return { set: { state }, inc };
        },
        insertFields,
      );
    },
    markDeadLettered: (db, coll, event) =>
      markDeadLettered(db.collection<WatermarkedDoc>(coll), kioskDayDocId(event), event.kioskid, event.sequence, { day: utcDay(event.time) }),
    // Counters only: the per-session state belongs to the live order and is left alone.
    redrive: (db, coll, event) => redriveInc(db.collection<WatermarkedDoc>(coll), kioskDayDocId(event), event.sequence, foldKioskDay(reducer, reducer.initial(), [event]).inc),
  };
}

/** Store popularity per store and day, one document per (kiosk, day). */
export const storePopularityProjection = kioskDayProjection('store-popularity', 'store_popularity', storePopularityReducer);
/** Offer views and claims per offer and day, one document per (kiosk, day). */
export const offerPerformanceProjection = kioskDayProjection('offer-performance', 'offer_performance', offerPerformanceReducer);

/** The consumer stage of a Mongo projection on its live collection. */
export function mongoProjectionApplier(db: Db, projection: MongoProjection): EventApplier {
  return {
    stage: projection.name,
    apply: (events) => projection.apply(db, projection.collection, events),
    async deadLettered(items: readonly DeadLettered[]) {
      for (const item of items) if (item.event && projection.handles(item.event.type)) await projection.markDeadLettered(db, projection.collection, item.event);
    },
  };
}
