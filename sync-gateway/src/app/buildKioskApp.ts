import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { AtriumError } from '@atrium/contracts';
import { deviceAuthPlugin } from '../auth/deviceAuthPlugin';
import { contentRoute } from '../content/contentRoute';
import { registerBatchBodyParser } from '../ingest/batchBodyParser';
import { ingestRoute } from '../ingest/ingestRoute';
import { configPlugin } from '../plugins/configPlugin';
import { fastifyOptions, openApiInfo } from '../plugins/fastifyOptions';
import { problemHandler } from '../plugins/problemHandler';
import { closeOnShutdown } from '../plugins/closeOnShutdown';
import { urgentRoute } from '../urgent/urgentRoute';
import { updateFeedPlugin } from '../updateFeed';
import { requireDevice } from '../auth/deviceAuthPlugin';
import type { GatewayServices } from './gatewayServices';

/**
 * The kiosk listener (bound to the WireGuard address in production): external plugins, then app
 * plugins, then routes. Every route is signed by a device key.
 */
export async function buildKioskApp(services: GatewayServices, logger?: FastifyBaseLogger): Promise<FastifyInstance> {
  const { config, metrics } = services;
  const limits = config.limits;
  const app = Fastify(fastifyOptions(logger, limits.maxBodyBytes));

  // External plugins.
  await app.register(swagger, { openapi: { openapi: '3.0.3', info: openApiInfo, tags: [{ name: 'kiosk', description: 'Kiosk listener; every request signed by the device key' }] } });
  await app.register(rateLimit, {
    global: false,
    // After the signature check (onRequest), before the body is read: keyed by the verified device.
    hook: 'preParsing',
    keyGenerator: (request) => request.device?.deviceId ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new AtriumError('RATE_LIMITED', `At most ${context.max} requests per minute per device`, { retryAfterS: Math.max(1, Math.ceil(context.ttl / 1000)) }),
  });

  // App plugins.
  await app.register(configPlugin, { config });
  await app.register(problemHandler, { metrics });
  await app.register(closeOnShutdown);
  await app.register(deviceAuthPlugin, { registry: services.registry, replayCache: services.replayCache, clock: services.clock });
  registerBatchBodyParser(app, limits);

  // Routes.
  const perMinute = limits.requestsPerDevicePerMinute;
  await app.register(ingestRoute, { ackGate: services.ackGate, metrics, clock: services.clock, maxEventsPerBatch: limits.maxEventsPerBatch, requestsPerDevicePerMinute: perMinute });
  await app.register(contentRoute, { store: services.contentStore, clock: services.clock, pageDefault: limits.contentPageDefault, pageMax: limits.contentPageMax, requestsPerDevicePerMinute: perMinute });
  await app.register(urgentRoute, { hub: services.urgentHub, bus: services.urgentBus, metrics, heartbeatMs: limits.urgentHeartbeatMs, requestsPerDevicePerMinute: perMinute });
  if (services.updateFeed) {
    await app.register(updateFeedPlugin, {
      prefix: '/v1/updates',
      authenticate: app.authenticateDevice,
      identify: (request) => requireDevice(request),
      source: services.updateFeed.source,
      artefacts: services.updateFeed.artefacts,
    });
  }
  app.addHook('preClose', async () => services.urgentHub.closeAll());
  return app;
}
