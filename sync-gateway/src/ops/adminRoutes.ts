import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { GatewayServices } from '../app/gatewayServices';
import { problemResponses } from '../plugins/problemResponses';
import { UrgentBroadcastSchema } from '../urgent/urgentBus';
import { BroadcastAccepted } from '../urgent/urgentRoute';

const Health = Type.Object({ status: Type.Literal('ok'), serverTime: Type.String({ format: 'date-time' }) });
const Check = Type.Union([Type.Literal('up'), Type.Literal('down')]);
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unready')]),
  checks: Type.Object({ kafka: Check, postgres: Check }),
  serverTime: Type.String({ format: 'date-time' }),
});
type Readiness = Static<typeof Readiness>;

async function probe(check: () => Promise<void>): Promise<'up' | 'down'> {
  try {
    await check();
    return 'up';
  } catch {
    return 'down';
  }
}

/** Health, readiness, metrics and the broadcast endpoint of the admin listener. */
export async function adminRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const now = () => new Date(services.clock()).toISOString();

  app.get('/healthz', {
    schema: { summary: 'Liveness: the process answers', tags: ['admin'], response: { 200: Health } },
    handler: async () => ({ status: 'ok' as const, serverTime: now() }),
  });

  app.get('/readyz', {
    schema: { summary: 'Readiness: Kafka and PostgreSQL reachable', tags: ['admin'], response: { 200: Readiness, 503: Readiness } },
    handler: async (_request, reply) => {
      const [kafka, postgres] = await Promise.all([probe(services.readiness.kafka), probe(services.readiness.postgres)]);
      const body: Readiness = { status: kafka === 'up' && postgres === 'up' ? 'ready' : 'unready', checks: { kafka, postgres }, serverTime: now() };
      return reply.code(body.status === 'ready' ? 200 : 503).send(body);
    },
  });

  app.get('/metrics', {
    schema: { summary: 'Prometheus metrics', tags: ['admin'], response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: Type.String() } } } } },
    handler: async (_request, reply) => {
      const text = await services.metrics.registry.metrics();
      return reply.type(services.metrics.registry.contentType).send(text);
    },
  });

  app.post<{ Body: Static<typeof UrgentBroadcastSchema> }>('/admin/v1/broadcasts', {
    schema: {
      summary: 'Broadcast an urgent message to connected kiosks',
      description: 'Fans out through PostgreSQL NOTIFY to every gateway instance; emergencies stay in force (and reach kiosks that connect later) until cleared or `until`.',
      tags: ['admin'],
      body: UrgentBroadcastSchema,
      response: { 202: BroadcastAccepted, ...problemResponses(['VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE', 'BACKEND_UNAVAILABLE']) },
    },
    handler: async (request, reply) => {
      await services.urgentBus.publish(request.body);
      request.log.info({ kind: request.body.message.kind, mallId: request.body.mallId }, 'urgent broadcast published');
      return reply.code(202).send({ published: true as const, serverTime: now() });
    },
  });
}
