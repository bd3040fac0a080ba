import { decodeFieldKey } from '../projections/reducers/fieldKey';
import type { CloudTestKit } from './cloudTestKit';

/** Counts across every store and view, to check each event took effect exactly once. */
export interface ViewCounts {
  storedEvents: number;
  analyticsByType: Record<string, number>;
  claims: number;
  members: number;
  enrolments: number;
  storeViews: number;
  routes: number;
  offerViews: number;
  offerClaims: number;
  fleetKiosks: number;
}

/** Reads the counts of every store and view of a test kit. */
export async function viewCounts(kit: CloudTestKit, kioskIds: readonly string[]): Promise<ViewCounts> {
  const cassandra = await kit.connections.cassandra();
  let storedEvents = 0;
  for (const kioskId of kioskIds) {
    const r = await cassandra.execute('SELECT count(*) AS n FROM events_by_kiosk WHERE kiosk_id = ? AND bucket = 0', [kioskId], { prepare: true });
    storedEvents += Number(r.rows[0]!.get('n'));
  }
  const pool = kit.connections.pg();
  const s = kit.config.postgresSchema;
  const analytics = await pool.query<{ event_type: string; n: string }>(`SELECT event_type, sum(events) AS n FROM ${s}.daily_analytics GROUP BY event_type`);
  const claims = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.offer_claims`);
  const members = await pool.query<{ n: string; e: string }>(`SELECT count(*) AS n, coalesce(sum(enrolments), 0) AS e FROM ${s}.loyalty_members`);
  const db = await kit.connections.mongo();
  let storeViews = 0;
  let routes = 0;
  for (const doc of await db.collection('store_popularity').find({}).toArray()) {
    for (const counters of Object.values((doc.stores ?? {}) as Record<string, { views?: number; routes?: number }>)) {
      storeViews += counters.views ?? 0;
      routes += counters.routes ?? 0;
    }
  }
  let offerViews = 0;
  let offerClaims = 0;
  for (const doc of await db.collection('offer_performance').find({}).toArray()) {
    for (const counters of Object.values((doc.offers ?? {}) as Record<string, { views?: number; claims?: number }>)) {
      offerViews += counters.views ?? 0;
      offerClaims += counters.claims ?? 0;
    }
  }
  return {
    storedEvents,
    analyticsByType: Object.fromEntries(analytics.rows.map((r) => [r.event_type, Number(r.n)])),
    claims: Number(claims.rows[0]!.n),
    members: Number(members.rows[0]!.n),
    enrolments: Number(members.rows[0]!.e),
    storeViews,
    routes,
    offerViews,
    offerClaims,
    fleetKiosks: await db.collection('fleet_status').countDocuments({}),
  };
}

/** The counts that sequences 1..n of each kiosk should give when each event took effect once. */
export function expectedCounts(kiosks: number, n: number, typeCounts: Record<string, number>): ViewCounts {
  const per = (type: string) => (typeCounts[type] ?? 0) * kiosks;
  return {
    storedEvents: kiosks * n,
    analyticsByType: Object.fromEntries(Object.entries(typeCounts).map(([t, c]) => [t, c * kiosks])),
    claims: per('mall.offer.claimed'),
    members: per('mall.loyalty.enrolled'),
    enrolments: per('mall.loyalty.enrolled'),
    storeViews: per('mall.store.viewed'),
    routes: per('mall.route.requested'),
    offerViews: per('mall.offer.viewed'),
    offerClaims: per('mall.offer.claimed'),
    fleetKiosks: per('kiosk.heartbeat') > 0 ? kiosks : 0,
  };
}

export { decodeFieldKey };
