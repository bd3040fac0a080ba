import type { FastifyPluginAsync } from 'fastify';
import { runGapAudit } from '../audit/gapAuditService';
import type { CloudConfig } from '../config/cloudConfig';
import { ConfigError } from '../config/cloudConfig';
import type { OtaService } from '../ota/otaService';
import { otaRoutes } from '../ota/otaRuntime';
import { eraseMemberPii } from '../pii/memberPii';
import type { PiiServices } from '../pii/piiServices';
import { readFleetStatus } from '../projections/mongo/viewReaders';
import type { CloudConnections } from '../runtime/cloudConnections';
import { broadcastRoutes } from './broadcastRoutes';
import { pgContentAuthoring } from './contentAuthoring';
import { contentRoutes } from './contentRoutes';
import { fleetRoutes } from './fleetRoutes';
import { gatewayBroadcastPublisher } from './gatewayBroadcasts';
import { readKioskTimeline } from './kioskTimeline';
import { memberRoutes } from './memberRoutes';
import { timelineRoutes } from './timelineRoutes';

/** The env var naming the sync gateway's admin listener (emergency broadcasts). */
export const GATEWAY_ADMIN_URL_ENV = 'ATRIUM_GATEWAY_ADMIN_URL';

/** The gateway admin URL from the environment, checked; undefined when not set. */
export function gatewayAdminUrlFrom(env: NodeJS.ProcessEnv): string | undefined {
  const value = env[GATEWAY_ADMIN_URL_ENV];
  if (!value) return undefined;
  if (!/^https?:\/\/[^/]+/.test(value)) throw new ConfigError(`${GATEWAY_ADMIN_URL_ENV} must be an http(s) URL`);
  return value;
}

/** Every route plugin of src/ops on the live adapters, and the OTA routes; broadcasts and erasure only when configured. */
export function opsRoutes(config: CloudConfig, connections: CloudConnections, options: { pii?: PiiServices; gatewayAdminUrl?: string; ota?: OtaService }): FastifyPluginAsync[] {
  const pool = connections.pg();
  const routes = [
    contentRoutes({ authoring: pgContentAuthoring(pool, config.postgresSchema) }),
    fleetRoutes({
      fleetStatus: async (now) => readFleetStatus(await connections.mongo(), now, config.offlineAfterS * 1_000),
      audit: async (kioskIds) => runGapAudit(await connections.eventStore(), kioskIds ? { kioskIds } : {}),
    }),
    timelineRoutes({ timeline: async (kioskId, limit, cursor) => readKioskTimeline(await connections.cassandra(), await connections.eventStore(), kioskId, limit, cursor) }),
  ];
  if (options.gatewayAdminUrl) routes.push(broadcastRoutes({ publisher: gatewayBroadcastPublisher(options.gatewayAdminUrl) }));
  const pii = options.pii;
  if (pii) routes.push(memberRoutes({ erase: (memberRef, now) => eraseMemberPii(pool, config.postgresSchema, pii.keys, memberRef, now) }));
  if (options.ota) routes.push(otaRoutes(options.ota));
  return routes as FastifyPluginAsync[];
}
