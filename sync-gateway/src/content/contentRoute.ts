import type {} from '@fastify/rate-limit';
import { createHash } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { CONTENT_FEED_PATH, ContentPage, type ContentKind } from '@atrium/contracts';
import type { FastifyInstance } from 'fastify';
import { requireDevice } from '../auth/deviceAuthPlugin';
import { problemResponses } from '../plugins/problemResponses';
import { decodeContentCursor, encodeContentCursor } from './contentCursor';
import type { ContentStore } from './contentStore';

/** What the content feed route needs. */
export interface ContentRouteDeps {
  store: ContentStore;
  clock: () => number;
  pageDefault: number;
  pageMax: number;
  requestsPerDevicePerMinute: number;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * `GET CONTENT_FEED_PATH?cursor=&limit=`: the content delta since the cursor, one page at a time.
 * The ETag names the exact rows of the page (their change sequences never change), so a kiosk
 * polling with an unchanged cursor and nothing new gets 304.
 */
export async function contentRoute(app: FastifyInstance, deps: ContentRouteDeps): Promise<void> {
  const Query = Type.Object({
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'opaque; from the previous page, absent at first' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: deps.pageMax, default: deps.pageDefault })),
  });
  app.get<{ Querystring: Static<typeof Query>; Headers: { 'if-none-match'?: string } }>(CONTENT_FEED_PATH, {
    onRequest: app.authenticateDevice,
    config: { rateLimit: { max: deps.requestsPerDevicePerMinute, timeWindow: 60_000 } },
    schema: {
      summary: 'Content delta feed',
      description: 'Upserts and deletes since the cursor, in change order; apply a page in one transaction, then store nextCursor. ETag / If-None-Match → 304.',
      tags: ['kiosk'],
      querystring: Query,
      response: {
        200: ContentPage,
        304: Type.Null({ description: 'Not modified: nothing changed since this cursor' }),
        ...problemResponses(['VALIDATION_FAILED', 'CURSOR_INVALID', 'SIGNATURE_MISSING', 'SIGNATURE_INVALID', 'SIGNATURE_EXPIRED', 'SIGNATURE_REPLAYED', 'DEVICE_UNKNOWN', 'DEVICE_REVOKED', 'RATE_LIMITED', 'BACKEND_UNAVAILABLE']),
      },
    },
    handler: async (request, reply) => {
      requireDevice(request);
      const cursor = request.query.cursor ?? '';
      const limit = request.query.limit ?? deps.pageDefault;
      const afterSeq = decodeContentCursor(cursor);
      const { changes, hasMore } = await deps.store.changesAfter(afterSeq, limit);
      const lastSeq = changes.at(-1)?.changeSeq ?? afterSeq;
      const etag = `"${createHash('sha256').update(`${afterSeq}|${limit}|${changes.map((c) => c.changeSeq).join(',')}`).digest('base64url').slice(0, 32)}"`;
      void reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
      const page: ContentPage = {
        cursor,
        nextCursor: encodeContentCursor(lastSeq),
        hasMore,
        upserts: [],
        deletes: [],
        serverTime: new Date(deps.clock()).toISOString(),
      };
      for (const c of changes) {
        if (c.deleted) page.deletes.push({ kind: c.kind as ContentKind, id: c.id });
        else page.upserts.push({ kind: c.kind, id: c.id, version: c.version, body: c.body });
      }
      return page;
    },
  });
}
