import type { GatewayConfig } from '../config/gatewayConfig';
import type { DeviceRegistry } from '../auth/deviceRegistry';
import type { ReplayCache } from '../auth/replayCache';
import type { ContentStore } from '../content/contentStore';
import type { AckGate } from '../ingest/ackGate';
import type { GatewayMetrics } from '../plugins/gatewayMetrics';
import type { UrgentBus } from '../urgent/urgentBus';
import type { UrgentHub } from '../urgent/urgentHub';
import type { ArtefactReader } from '../updateFeed/artefactReader';
import type { UpdateFeedSource } from '../updateFeed/updateFeedSource';

/** A readiness probe: resolves when the backend answers. */
export type ReadinessCheck = () => Promise<void>;

/** Everything the two listeners are built from: adapters in, Fastify apps out. */
export interface GatewayServices {
  config: GatewayConfig;
  registry: DeviceRegistry;
  replayCache: ReplayCache;
  ackGate: AckGate;
  contentStore: ContentStore;
  urgentHub: UrgentHub;
  urgentBus: UrgentBus;
  metrics: GatewayMetrics;
  readiness: { kafka: ReadinessCheck; postgres: ReadinessCheck };
  /** The per-device OTA update feed (`/v1/updates`); absent, the route is not served. */
  updateFeed?: { source: UpdateFeedSource; artefacts: ArtefactReader };
  /** The server's clock (ms since the epoch). */
  clock: () => number;
}
