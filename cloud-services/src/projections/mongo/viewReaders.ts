import type { Db } from 'mongodb';
import { connectivityAt, type Connectivity } from '../reducers/fleetStatus';
import { decodeFieldKey } from '../reducers/fieldKey';

/** One kiosk in the fleet view, with connectivity derived at read time. */
export interface FleetStatusEntry {
  kioskId: string;
  connectivity: Connectivity;
  lastHeartbeatAt: string | null;
  version: string | null;
  queueDepth: number | null;
}

/** Reads the fleet view. */
export async function readFleetStatus(db: Db, now: Date, offlineAfterMs: number, collection = 'fleet_status'): Promise<FleetStatusEntry[]> {
  const docs = await db.collection(collection).find({}).sort({ _id: 1 }).toArray();
  return docs.map((d) => ({
    kioskId: String(d._id),
    connectivity: connectivityAt(d.lastHeartbeatAt instanceof Date ? d.lastHeartbeatAt : undefined, now, offlineAfterMs),
    lastHeartbeatAt: d.lastHeartbeatAt instanceof Date ? d.lastHeartbeatAt.toISOString() : null,
    version: typeof d.version === 'string' ? d.version : null,
    queueDepth: typeof d.queueDepth === 'number' ? d.queueDepth : null,
  }));
}

/** Sums one (kiosk, day) view over kiosks: `{ id: { counter: n } }` per day (store popularity, offer performance). */
export async function readKioskDayTotals(db: Db, collection: string, field: 'stores' | 'offers', day: string): Promise<Record<string, Record<string, number>>> {
  const totals: Record<string, Record<string, number>> = {};
  for (const doc of await db.collection(collection).find({ day }).toArray()) {
    for (const [key, counters] of Object.entries((doc[field] ?? {}) as Record<string, Record<string, number>>)) {
      const id = decodeFieldKey(key);
      const into = (totals[id] ??= {});
      for (const [name, n] of Object.entries(counters)) into[name] = (into[name] ?? 0) + n;
    }
  }
  return totals;
}
