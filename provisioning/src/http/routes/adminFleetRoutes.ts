import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AtriumError } from '@atrium/contracts';
import { DeviceView, PoolBody, PoolView, RevokeBody } from '../../api/schemas';
import { findDeviceView, listDeviceViews, markDecommissioned, revokeDevices } from '../../db/deviceStore';
import { hubExists, hubTunnelAddress } from '../../db/hubStore';
import { inTransaction, isExclusionViolation } from '../../db/pgPool';
import { poolView, releaseAddress, upsertMallPool } from '../../db/poolStore';
import { parsePool, poolContains } from '../../ipam/addressPool';
import { found } from '../errorHandler';
import { ADMIN_STATUSES, problemResponses } from '../problemResponses';
import type { AppDeps } from '../appDeps';

const DeviceParams = Type.Object({ deviceId: Type.String({ minLength: 1, maxLength: 100 }) });

/** Ops: VPN pools per mall, and the devices (list, revoke, decommission). */
export const adminFleetRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.put(
    '/v1/admin/malls/:mallId/vpn-pool',
    {
      schema: {
        summary: "Set a mall's kiosk address pool and the hub that serves it",
        params: Type.Object({ mallId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }) }),
        body: PoolBody,
        response: { 200: PoolView, ...problemResponses(...ADMIN_STATUSES, 409) },
      },
    },
    async (request) => {
      const { mallId } = request.params;
      let pool;
      try {
        pool = parsePool(request.body.cidr);
      } catch (error) {
        throw new AtriumError('VALIDATION_FAILED', (error as Error).message);
      }
      if (!(await hubExists(deps.pool, request.body.hubId))) throw new AtriumError('CONFLICT', `hub ${request.body.hubId} has not registered; start its hub agent first`);
      const hubAddress = await hubTunnelAddress(deps.pool, request.body.hubId);
      if (hubAddress && poolContains(pool, hubAddress)) throw new AtriumError('CONFLICT', `the pool ${pool.cidr} contains the hub's own address ${hubAddress}`);
      try {
        await upsertMallPool(deps.pool, mallId, request.body.hubId, pool.cidr);
      } catch (error) {
        if (isExclusionViolation(error)) throw new AtriumError('CONFLICT', `the pool ${pool.cidr} overlaps another mall's pool`);
        if ((error as { code?: string }).code === '23503') throw new AtriumError('CONFLICT', 'kiosks hold addresses in the old pool; decommission them first');
        throw error;
      }
      request.log.info({ mallId, hubId: request.body.hubId, cidr: pool.cidr }, 'vpn pool set');
      return found(await poolView(deps.pool, mallId), 'pool');
    },
  );

  app.get(
    '/v1/admin/malls/:mallId/vpn-pool',
    {
      schema: {
        summary: "A mall's kiosk address pool and how full it is",
        params: Type.Object({ mallId: Type.String() }),
        response: { 200: PoolView, ...problemResponses(...ADMIN_STATUSES) },
      },
    },
    async (request) => found(await poolView(deps.pool, request.params.mallId), 'pool'),
  );

  app.get(
    '/v1/admin/devices',
    {
      schema: {
        summary: 'List enrolled devices',
        querystring: Type.Object({ mallId: Type.Optional(Type.String()), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: { 200: Type.Object({ devices: Type.Array(DeviceView) }), ...problemResponses(...ADMIN_STATUSES) },
      },
    },
    async (request) => ({ devices: await listDeviceViews(deps.pool, { mallId: request.query.mallId, limit: request.query.limit }) }),
  );

  app.get(
    '/v1/admin/devices/:deviceId',
    { schema: { summary: 'One enrolled device', params: DeviceParams, response: { 200: DeviceView, ...problemResponses(...ADMIN_STATUSES) } } },
    async (request) => found(await findDeviceView(deps.pool, request.params.deviceId), 'device'),
  );

  app.post(
    '/v1/admin/devices/:deviceId/revoke',
    {
      schema: {
        summary: 'Revoke a device: the gateway refuses it and the hub drops its peer; it keeps its address',
        params: DeviceParams,
        body: RevokeBody,
        response: { 200: DeviceView, ...problemResponses(...ADMIN_STATUSES) },
      },
    },
    async (request) => {
      const { deviceId } = request.params;
      found(await findDeviceView(deps.pool, deviceId), 'device');
      await revokeDevices(deps.pool, [deviceId], request.body.reason, deps.now());
      request.log.info({ deviceId, reason: request.body.reason }, 'device revoked');
      return found(await findDeviceView(deps.pool, deviceId), 'device');
    },
  );

  app.post(
    '/v1/admin/devices/:deviceId/decommission',
    {
      schema: {
        summary: 'Decommission a device: revoke it and release its VPN address',
        params: DeviceParams,
        body: RevokeBody,
        response: { 200: DeviceView, ...problemResponses(...ADMIN_STATUSES) },
      },
    },
    async (request) => {
      const { deviceId } = request.params;
      await inTransaction(deps.pool, async (db) => {
        found(await findDeviceView(db, deviceId), 'device');
        const now = deps.now();
        await revokeDevices(db, [deviceId], request.body.reason, now);
        await releaseAddress(db, deviceId);
        await markDecommissioned(db, deviceId, now);
      });
      request.log.info({ deviceId, reason: request.body.reason }, 'device decommissioned');
      return found(await findDeviceView(deps.pool, deviceId), 'device');
    },
  );
};
