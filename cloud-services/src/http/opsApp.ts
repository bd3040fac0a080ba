import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AtriumError, Problem } from '@atrium/contracts';
import type { KioskGapAudit } from '../audit/gapAudit';
import type { ConsumerStatus } from '../kafka/eventConsumer';
import type { Logger } from '../log/logger';
import type { ServiceMetrics } from '../metrics/serviceMetrics';
import type { FleetStatusEntry } from '../projections/mongo/viewReaders';
import { installProblemHandler } from './problemHandler';

/** What the ops API reads; adapters in production, plain functions in tests. */
export interface OpsDeps {
  log: Logger;
  metrics: ServiceMetrics;
  audit(kioskIds?: readonly string[]): Promise<KioskGapAudit[]>;
  fleetStatus(now: Date): Promise<FleetStatusEntry[]>;
  consumers(): ConsumerStatus[];
  now?: () => Date;
  /** More routes (src/ops: content, members, timeline, broadcasts), registered under the same error handler. */
  routes?: readonly FastifyPluginAsync[];
}

const Range = Type.Object({ first: Type.Integer(), last: Type.Integer() });
const KioskAudit = Type.Object({
  kioskId: Type.String(),
  highestContiguous: Type.Integer(),
  highestSeen: Type.Integer(),
  storedCount: Type.Integer(),
  deadLetteredCount: Type.Integer(),
  missing: Type.Array(Range),
  missingCount: Type.Integer(),
});
const KioskIdParam = Type.Object({ kioskId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }) });
const FleetEntry = Type.Object({
  kioskId: Type.String(),
  connectivity: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('never-seen')]),
  lastHeartbeatAt: Type.Union([Type.String(), Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  queueDepth: Type.Union([Type.Integer(), Type.Null()]),
});
const Status = Type.Object({ stage: Type.String(), running: Type.Boolean(), pausedSince: Type.Union([Type.String(), Type.Null()]), lastError: Type.Union([Type.String(), Type.Null()]) });

/** The ops and audit HTTP API of the cloud services (OpenAPI at /openapi.json). */
export async function buildOpsApp(deps: OpsDeps): Promise<FastifyInstance> {
  const base = Fastify({ loggerInstance: deps.log as FastifyBaseLogger });
  installProblemHandler(base);
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(swagger, { openapi: { info: { title: 'Atrium cloud services ops API', version: '0.1.0' } } });
  const now = deps.now ?? (() => new Date());

  app.get('/healthz', { schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
  app.get('/readyz', { schema: { response: { 200: Type.Object({ consumers: Type.Array(Status) }), 503: Type.Object({ consumers: Type.Array(Status) }) } } }, async (_req, reply) => {
    const consumers = deps.consumers();
    // Paused on a database outage counts as not ready: traffic is fine, but alerts should see it.
    const ready = consumers.every((c) => c.running && c.pausedSince === null);
    return reply.code(ready ? 200 : 503).send({ consumers });
  });
  app.get('/metrics', async (_req, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()));

  app.get(
    '/audit/kiosks',
    {
      schema: {
        summary: 'Gap audit of every kiosk (or those named)',
        querystring: Type.Object({ kioskId: Type.Optional(Type.Array(KioskIdParam.properties.kioskId, { maxItems: 500 })) }),
        response: { 200: Type.Object({ kiosks: Type.Array(KioskAudit) }), 400: Problem, 503: Problem },
      },
    },
    async (request) => ({ kiosks: await deps.audit(request.query.kioskId) }),
  );
  app.get(
    '/audit/kiosks/:kioskId',
    { schema: { summary: 'Gap audit of one kiosk', params: KioskIdParam, response: { 200: KioskAudit, 400: Problem, 404: Problem } } },
    async (request) => {
      const [audit] = await deps.audit([request.params.kioskId]);
      if (!audit || audit.highestSeen === 0) throw new AtriumError('NOT_FOUND', `The event store holds nothing of kiosk ${request.params.kioskId}`);
      return audit;
    },
  );
  app.get('/fleet/status', { schema: { summary: 'Fleet status with connectivity from heartbeat age', response: { 200: Type.Object({ kiosks: Type.Array(FleetEntry) }) } } }, async () => ({
    kiosks: await deps.fleetStatus(now()),
  }));
  for (const routes of deps.routes ?? []) await app.register(routes);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return base;
}
