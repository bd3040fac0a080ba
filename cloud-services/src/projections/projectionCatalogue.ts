import type { ProjectionName } from '../config/cloudConfig';
import { fleetStatusProjection, offerPerformanceProjection, storePopularityProjection, type MongoProjection } from './mongo/mongoProjections';
import { dailyAnalyticsProjection } from './postgres/dailyAnalyticsProjection';
import { loyaltyMembersProjection } from './postgres/loyaltyMembersProjection';
import { offerClaimsProjection } from './postgres/offerClaimsProjection';
import type { PgProjection } from './postgres/pgProjection';

/** Every projection by name, tagged with the database it keeps its view in. */
export type AnyProjection = { store: 'mongo'; projection: MongoProjection } | { store: 'postgres'; projection: PgProjection };

const catalogue: Record<ProjectionName, AnyProjection> = {
  'fleet-status': { store: 'mongo', projection: fleetStatusProjection },
  'store-popularity': { store: 'mongo', projection: storePopularityProjection },
  'offer-performance': { store: 'mongo', projection: offerPerformanceProjection },
  'loyalty-members': { store: 'postgres', projection: loyaltyMembersProjection },
  'offer-claims': { store: 'postgres', projection: offerClaimsProjection },
  'daily-analytics': { store: 'postgres', projection: dailyAnalyticsProjection },
};

/** The projection called `name`. */
export function projectionNamed(name: ProjectionName): AnyProjection {
  return catalogue[name];
}
