import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Counter } from 'prom-client';
import { EnrolmentBody, EnrolmentResult, KeyRotationBody } from '../../api/schemas';
import { enrol } from '../../enrolment/enrolmentService';
import { rotateKeys } from '../../enrolment/rotationService';
import { problemResponses } from '../problemResponses';
import type { AppDeps } from '../appDeps';

/** The routes a kiosk calls: enrolment (with a token) and key rotation (signed). */
export const kioskRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const outcomes = new Counter({ name: 'atrium_provisioning_enrolments_total', help: 'Enrolment attempts by outcome code', labelNames: ['outcome'], registers: [deps.metrics] });
  const rotations = new Counter({ name: 'atrium_provisioning_key_rotations_total', help: 'Key rotations by outcome code', labelNames: ['outcome'], registers: [deps.metrics] });
  const serviceDeps = { pool: deps.pool, persistentKeepaliveS: deps.config.persistentKeepaliveS, now: deps.now };

  app.post(
    '/v1/enrolments',
    {
      schema: {
        summary: 'Enrol a kiosk with a one-time token; answers its WireGuard configuration',
        body: EnrolmentBody,
        response: { 201: EnrolmentResult, ...problemResponses(401, 403, 409, 410, 413, 415) },
      },
    },
    async (request, reply) => {
      try {
        const result = await enrol(serviceDeps, request.body, request.ip);
        outcomes.inc({ outcome: 'ENROLLED' });
        request.log.info({ deviceId: result.deviceId, kioskId: result.kioskId, mallId: result.mallId, vpnAddress: result.vpnAddress }, 'kiosk enrolled');
        return reply.code(201).send(result);
      } catch (error) {
        outcomes.inc({ outcome: (error as { code?: string }).code ?? 'INTERNAL' });
        throw error;
      }
    },
  );

  app.post(
    '/v1/devices/:deviceId/key-rotations',
    {
      schema: {
        summary: 'Rotate a device’s keys; signed (RFC 9421) with the key being replaced',
        params: Type.Object({ deviceId: Type.String({ minLength: 1, maxLength: 100 }) }),
        body: KeyRotationBody,
        response: { 200: EnrolmentResult, ...problemResponses(401, 403, 409, 413, 415) },
      },
    },
    async (request) => {
      try {
        const url = `${request.protocol}://${request.host}${request.url}`;
        const result = await rotateKeys(serviceDeps, request.params.deviceId, request.body, { method: request.method, url, headers: request.headers, rawBody: request.rawBody ?? Buffer.alloc(0) });
        rotations.inc({ outcome: 'ROTATED' });
        request.log.info({ deviceId: result.deviceId, keyGeneration: result.keyGeneration }, 'device keys rotated');
        return result;
      } catch (error) {
        rotations.inc({ outcome: (error as { code?: string }).code ?? 'INTERNAL' });
        throw error;
      }
    },
  );
};
