import type { FastifyInstance } from 'fastify';

/** The OpenAPI document of a ready app, as committed in provisioning/openapi.json. */
export function openApiDocument(app: FastifyInstance): unknown {
  return JSON.parse(JSON.stringify(app.swagger()));
}
