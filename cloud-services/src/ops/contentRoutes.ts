import { TypeBoxValidatorCompiler, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import { AtriumError, contentBodySchemas, ContentKind, Problem, type ContentKind as Kind } from '@atrium/contracts';
import type { ContentAuthoring } from './contentAuthoring';

/** The path segment of each content kind: `/content/stores/{id}`, `/content/hours/{id}`, … */
export const CONTENT_PATHS: Readonly<Record<Kind, string>> = {
  store: 'stores',
  category: 'categories',
  offer: 'offers',
  'map-node': 'map-nodes',
  'map-edge': 'map-edges',
  'opening-hours': 'hours',
  'kiosk-config': 'kiosk-configs',
};

const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' });
const IdParams = Type.Object({ id: Id });
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ pattern: '^"[0-9]{1,9}"$', description: 'the version you read, quoted: refused with CONFLICT if the item has changed since' })) });
const versionOf = (header: string | undefined) => (header === undefined ? undefined : Number(header.slice(1, -1)));
const etag = (version: number) => `"${version}"`;
const ListQuery = Type.Object({ after: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) });
const itemSchema = (body: TSchema) =>
  Type.Object({
    kind: ContentKind,
    id: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    changeSeq: Type.Integer({ minimum: 1, description: 'position in the gateway content feed' }),
    deleted: Type.Boolean(),
    updatedAt: Type.String({ format: 'date-time' }),
    body,
  });

/**
 * Content authoring: `PUT/GET/DELETE /content/<kind>/{id}` and `GET /content/<kind>` for every
 * content kind, each body checked against its schema in `contentBodySchemas` (contracts) by
 * TypeBox itself: no coercion, no silently dropped fields, exactly what kiosks will accept. The
 * gateway's feed (`GET /v1/content`) carries each change to kiosks; deletes travel as tombstones.
 */
export function contentRoutes(deps: { authoring: ContentAuthoring }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.setValidatorCompiler(TypeBoxValidatorCompiler);
    for (const kind of Object.keys(CONTENT_PATHS) as Kind[]) {
      const path = `/content/${CONTENT_PATHS[kind]}`;
      const body = contentBodySchemas[kind] as TSchema;
      const Item = itemSchema(body);
      const tags = ['content'];
      app.put(
        `${path}/:id`,
        {
          schema: { summary: `Create or replace a ${kind}`, tags, params: IdParams, headers: IfMatch, body, response: { 200: Item, 201: Item, 400: Problem, 409: Problem } },
        },
        async (request, reply) => {
          const itemBody = request.body as Record<string, unknown>;
          if (itemBody['id'] !== request.params.id) {
            throw new AtriumError('VALIDATION_FAILED', `body.id "${String(itemBody['id'])}" differs from the path id "${request.params.id}"`, { errors: [{ path: '/id', message: 'must equal the path id' }] });
          }
          const { item, outcome } = await deps.authoring.put(kind, request.params.id, itemBody, versionOf(request.headers['if-match']));
          request.log.info({ kind, id: item.id, version: item.version, changeSeq: item.changeSeq, outcome }, 'content written');
          return reply.code(outcome === 'created' ? 201 : 200).header('etag', etag(item.version)).send(item);
        },
      );
      app.get(`${path}/:id`, { schema: { summary: `Read a ${kind} (ETag: its version)`, tags, params: IdParams, response: { 200: Item, 404: Problem } } }, async (request, reply) => {
        const item = await deps.authoring.get(kind, request.params.id);
        if (!item) throw new AtriumError('NOT_FOUND', `No ${kind} ${request.params.id}`);
        return reply.header('etag', etag(item.version)).send(item);
      });
      app.delete(`${path}/:id`, { schema: { summary: `Delete a ${kind} (a tombstone in the feed)`, tags, params: IdParams, headers: IfMatch, response: { 200: Item, 404: Problem, 409: Problem } } }, async (request) => {
        const item = await deps.authoring.remove(kind, request.params.id, versionOf(request.headers['if-match']));
        if (!item) throw new AtriumError('NOT_FOUND', `No ${kind} ${request.params.id}`);
        request.log.info({ kind, id: item.id, changeSeq: item.changeSeq }, 'content deleted');
        return item;
      });
      app.get(path, { schema: { summary: `List ${kind} items in id order (tombstones included)`, tags, querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(Item), nextAfter: Type.Union([Type.String(), Type.Null()]) }), 400: Problem } } }, async (request) => {
        const limit = request.query.limit ?? 100;
        const items = await deps.authoring.list(kind, request.query.after ?? '', limit);
        return { items, nextAfter: items.length === limit ? items[items.length - 1]!.id : null };
      });
    }
  };
}
