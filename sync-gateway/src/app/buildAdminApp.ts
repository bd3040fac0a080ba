import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { adminRoutes } from '../ops/adminRoutes';
import { configPlugin } from '../plugins/configPlugin';
import { fastifyOptions, openApiInfo } from '../plugins/fastifyOptions';
import { problemHandler } from '../plugins/problemHandler';
import { closeOnShutdown } from '../plugins/closeOnShutdown';
import type { GatewayServices } from './gatewayServices';

/**
 * The admin listener (ops network only): health, readiness, metrics, broadcasts, and the OpenAPI
 * document of both listeners at /docs. `openApi` returns the merged document.
 */
export async function buildAdminApp(services: GatewayServices, openApi: () => Record<string, unknown>, logger?: FastifyBaseLogger): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions(logger, 64 * 1024));

  // External plugins.
  await app.register(swagger, { openapi: { openapi: '3.0.3', info: openApiInfo, tags: [{ name: 'admin', description: 'Admin listener; ops network only' }] } });
  await app.register(swaggerUi, { routePrefix: '/docs', transformSpecification: () => openApi(), transformSpecificationClone: false });

  // App plugins.
  await app.register(configPlugin, { config: services.config });
  await app.register(problemHandler, { metrics: services.metrics });
  await app.register(closeOnShutdown);

  // Routes.
  await app.register(adminRoutes, services);
  return app;
}
