import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { newEventId, Problem } from '@atrium/contracts';
import type { BroadcastPublisher } from './gatewayBroadcasts';

const Audience = {
  mallId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'only kiosks of this mall (default: every mall)' })),
  kioskIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 200, description: 'only these kiosks' })),
};
const EmergencyBody = Type.Object(
  {
    message: Type.Object(
      { en: Type.String({ minLength: 1, maxLength: 500 }), es: Type.Optional(Type.String({ maxLength: 500 })), ar: Type.Optional(Type.String({ maxLength: 500 })) },
      { additionalProperties: false, description: 'text per shopper language; English is required' },
    ),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'ends by itself then (default: until cleared)' })),
    ...Audience,
  },
  { additionalProperties: false },
);
const Published = Type.Object({ broadcastId: Type.Union([Type.String(), Type.Null()]), publishedAt: Type.String({ format: 'date-time' }) });
const problems = { 400: Problem, 503: Problem };

/**
 * Emergency broadcasts, handed to the sync gateway's urgent channel: `POST /broadcasts/emergencies`
 * (pre-empts every kiosk screen in the audience and stays in force until cleared or `until`),
 * `DELETE /broadcasts/emergencies/{broadcastId}` (clears it) and `POST /broadcasts/sync-now`.
 */
export function broadcastRoutes(deps: { publisher: BroadcastPublisher; now?: () => Date }): FastifyPluginAsyncTypebox {
  const now = deps.now ?? (() => new Date());
  return async (app) => {
    app.post('/broadcasts/emergencies', { schema: { summary: 'Broadcast an emergency to kiosks', tags: ['broadcasts'], body: EmergencyBody, response: { 202: Published, ...problems } } }, async (request, reply) => {
      const { message, until, mallId, kioskIds } = request.body;
      const broadcastId = newEventId();
      const text: Record<string, string> = { ...message } as Record<string, string>;
      await deps.publisher.publish({ message: { kind: 'emergency', id: broadcastId, message: text, ...(until ? { until } : {}) }, ...(mallId ? { mallId } : {}), ...(kioskIds ? { kioskIds } : {}) });
      request.log.warn({ broadcastId, mallId, kioskIds, until }, 'emergency broadcast published');
      return reply.code(202).send({ broadcastId, publishedAt: now().toISOString() });
    });
    app.delete(
      '/broadcasts/emergencies/:broadcastId',
      { schema: { summary: 'Clear an emergency', tags: ['broadcasts'], params: Type.Object({ broadcastId: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 202: Published, ...problems } } },
      async (request, reply) => {
        await deps.publisher.publish({ message: { kind: 'emergency-cleared', id: request.params.broadcastId } });
        request.log.warn({ broadcastId: request.params.broadcastId }, 'emergency cleared');
        return reply.code(202).send({ broadcastId: request.params.broadcastId, publishedAt: now().toISOString() });
      },
    );
    app.post(
      '/broadcasts/sync-now',
      { schema: { summary: 'Ask kiosks to sync content now', tags: ['broadcasts'], body: Type.Object(Audience, { additionalProperties: false }), response: { 202: Published, ...problems } } },
      async (request, reply) => {
        const { mallId, kioskIds } = request.body;
        await deps.publisher.publish({ message: { kind: 'sync-now' }, ...(mallId ? { mallId } : {}), ...(kioskIds ? { kioskIds } : {}) });
        return reply.code(202).send({ broadcastId: null, publishedAt: now().toISOString() });
      },
    );
  };
}
