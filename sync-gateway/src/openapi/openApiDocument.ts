import type { FastifyInstance } from 'fastify';
import { openApiInfo } from '../plugins/fastifyOptions';

type Doc = { paths?: Record<string, unknown>; components?: { schemas?: Record<string, unknown> }; tags?: unknown[] };

/** One OpenAPI document for both listeners (kiosk paths, then admin paths). Both apps must be ready. */
export function openApiDocument(kioskApp: FastifyInstance, adminApp: FastifyInstance): Record<string, unknown> {
  const kiosk = kioskApp.swagger() as Doc;
  const admin = adminApp.swagger() as Doc;
  // Round-trip through JSON so the document is plain data (what gets committed and served).
  return JSON.parse(
    JSON.stringify({
      openapi: '3.0.3',
      info: openApiInfo,
      tags: [...(kiosk.tags ?? []), ...(admin.tags ?? [])],
      paths: { ...kiosk.paths, ...admin.paths },
      components: { schemas: { ...kiosk.components?.schemas, ...admin.components?.schemas } },
    }),
  ) as Record<string, unknown>;
}
