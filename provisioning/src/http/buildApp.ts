import '@atrium/contracts';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppDeps } from './appDeps';
import { requireAdminToken } from './adminAuth';
import { installErrorHandler } from './errorHandler';
import { adminApprovalRoutes } from './routes/adminApprovalRoutes';
import { adminFleetRoutes } from './routes/adminFleetRoutes';
import { adminTokenRoutes } from './routes/adminTokenRoutes';
import { healthRoutes } from './routes/healthRoutes';
import { kioskRoutes } from './routes/kioskRoutes';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body bytes as received; the key rotation's signature covers them (content-digest). */
    rawBody?: Buffer;
  }
}

/** Largest body accepted: enrolments and rotations are a few hundred bytes. */
const BODY_LIMIT = 16 * 1024;

/**
 * Builds the provisioning service: external plugins (OpenAPI), then the error handler, then the
 * kiosk routes and the ops admin routes (behind the admin bearer token).
 */
export async function buildApp(deps: AppDeps, logger?: FastifyBaseLogger): Promise<FastifyInstance> {
  const app = Fastify({ ...(logger ? { loggerInstance: logger } : { logger: false }), bodyLimit: BODY_LIMIT, trustProxy: deps.config.trustProxy }).withTypeProvider<TypeBoxTypeProvider>();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // JSON only: every route takes a JSON body, anything else is refused with 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    parseJson(request, (body as Buffer).toString('utf8'), done);
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Atrium provisioning', version: '1.0.0', description: 'Kiosk enrolment, VPN addresses and key rotation. Errors are application/problem+json.' },
      components: { securitySchemes: { opsBearer: { type: 'http', scheme: 'bearer' }, deviceSignature: { type: 'apiKey', in: 'header', name: 'Signature', description: 'RFC 9421, Ed25519, the device signature profile' } } },
    },
  });
  installErrorHandler(app);
  await app.register(healthRoutes, { deps });
  await app.register(kioskRoutes, { deps });
  await app.register(
    async (admin) => {
      admin.addHook('onRequest', requireAdminToken(deps.config.adminToken));
      admin.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, tags: ['ops'], security: [{ opsBearer: [] }] };
      });
      await admin.register(adminTokenRoutes, { deps });
      await admin.register(adminFleetRoutes, { deps });
      await admin.register(adminApprovalRoutes, { deps });
    },
  );
  return app;
}
