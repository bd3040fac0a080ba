import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../problemResponses';
import type { AppDeps } from '../appDeps';

/** /healthz (the database answers) and /metrics (Prometheus text). */
export const healthRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness and database reachability',
        response: { 200: Type.Object({ status: Type.Literal('ok'), serverTime: Type.String({ format: 'date-time' }) }), ...problemResponses() },
      },
    },
    async () => {
      await deps.pool.query('SELECT 1');
      return { status: 'ok' as const, serverTime: deps.now().toISOString() };
    },
  );
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', hide: true } }, async (_request, reply) => {
    void reply.type(deps.metrics.contentType);
    return deps.metrics.metrics();
  });
};
