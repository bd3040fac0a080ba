import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AtriumError } from '@atrium/contracts';
import { TokenCreateBody, TokenCreated, TokenView } from '../../api/schemas';
import { findMallPool } from '../../db/poolStore';
import { insertToken, listTokens, revokeToken, tokenView } from '../../db/tokenStore';
import { hashEnrolmentToken, newEnrolmentToken } from '../../tokens/enrolmentToken';
import { found } from '../errorHandler';
import { ADMIN_STATUSES, problemResponses } from '../problemResponses';
import type { AppDeps } from '../appDeps';

/** Ops: create, list and revoke enrolment tokens. */
export const adminTokenRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/v1/admin/enrolment-tokens',
    { schema: { summary: 'Create a one-time enrolment token for a kiosk slot', body: TokenCreateBody, response: { 201: TokenCreated, ...problemResponses(...ADMIN_STATUSES, 409) } } },
    async (request, reply) => {
      const body = request.body;
      if (body.ttlS > deps.config.maxTokenTtlS) throw new AtriumError('VALIDATION_FAILED', `ttlS may be at most ${deps.config.maxTokenTtlS}`);
      if (!(await findMallPool(deps.pool, body.mallId))) throw new AtriumError('CONFLICT', `mall ${body.mallId} has no VPN address pool yet; create it first`);
      const token = newEnrolmentToken();
      const now = deps.now();
      const row = await insertToken(deps.pool, {
        tokenId: randomUUID(),
        sha256: hashEnrolmentToken(token),
        mallId: body.mallId,
        kioskId: body.kioskId,
        location: body.location ?? null,
        createdBy: body.createdBy,
        expiresAt: new Date(now.getTime() + body.ttlS * 1000),
      });
      request.log.info({ tokenId: row.token_id, mallId: row.mall_id, kioskId: row.kiosk_id, createdBy: row.created_by }, 'enrolment token created');
      return reply.code(201).send({ ...tokenView(row, now), token });
    },
  );

  app.get(
    '/v1/admin/enrolment-tokens',
    {
      schema: {
        summary: 'List enrolment tokens, newest first',
        querystring: Type.Object({ mallId: Type.Optional(Type.String()), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: { 200: Type.Object({ tokens: Type.Array(TokenView) }), ...problemResponses(...ADMIN_STATUSES) },
      },
    },
    async (request) => {
      const now = deps.now();
      const rows = await listTokens(deps.pool, { mallId: request.query.mallId, limit: request.query.limit });
      return { tokens: rows.map((row) => tokenView(row, now)) };
    },
  );

  app.post(
    '/v1/admin/enrolment-tokens/:tokenId/revoke',
    {
      schema: {
        summary: 'Revoke an unused enrolment token',
        params: Type.Object({ tokenId: Type.String({ format: 'uuid' }) }),
        response: { 200: TokenView, ...problemResponses(...ADMIN_STATUSES, 409) },
      },
    },
    async (request) => {
      const now = deps.now();
      const row = found(await revokeToken(deps.pool, request.params.tokenId, now), 'enrolment token');
      const view = tokenView(row, now);
      if (view.state === 'used') throw new AtriumError('CONFLICT', `token was already used by device ${row.used_by_device_id}; revoke the device instead`);
      request.log.info({ tokenId: row.token_id }, 'enrolment token revoked');
      return view;
    },
  );
};
