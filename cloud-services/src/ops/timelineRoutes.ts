import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AtriumError, Problem } from '@atrium/contracts';
import type { TimelinePage } from './kioskTimeline';

const TimelineEvent = Type.Object({ id: Type.String(), type: Type.String(), time: Type.String(), sequence: Type.Integer(), data: Type.Record(Type.String(), Type.Unknown()) });

/** `GET /kiosks/{kioskId}/events`: a kiosk's events from the event store, newest first, paged. */
export function timelineRoutes(deps: { timeline(kioskId: string, limit: number, cursor?: string): Promise<TimelinePage | undefined> }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/kiosks/:kioskId/events',
      {
        schema: {
          summary: "A kiosk's event timeline from the event store, newest first",
          description: 'Pass `nextCursor` back as `cursor` for the next page; it is absent after the oldest event. Sealed PII shows as "[sealed]".',
          tags: ['fleet'],
          params: Type.Object({ kioskId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }) }),
          querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 8_000 })) }),
          response: { 200: Type.Object({ events: Type.Array(TimelineEvent), nextCursor: Type.Union([Type.String(), Type.Null()]) }), 400: Problem, 404: Problem },
        },
      },
      async (request) => {
        const page = await deps.timeline(request.params.kioskId, request.query.limit, request.query.cursor);
        if (!page) throw new AtriumError('NOT_FOUND', `The event store holds nothing of kiosk ${request.params.kioskId}`);
        return page;
      },
    );
  };
}
