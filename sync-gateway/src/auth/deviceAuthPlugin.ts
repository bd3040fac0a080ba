import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DeviceRegistry } from './deviceRegistry';
import type { ReplayCache } from './replayCache';
import { verifyDeviceSignature, type AuthenticatedDevice } from './verifyDeviceSignature';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified signer; set by `authenticateDevice` on kiosk routes. */
    device: AuthenticatedDevice | null;
  }
  interface FastifyInstance {
    /** onRequest hook for kiosk routes: verifies the device signature before the body is read. */
    authenticateDevice: (request: FastifyRequest) => Promise<void>;
  }
}

/** The signed request's authenticated device; throws if the route forgot the auth hook. */
export function requireDevice(request: FastifyRequest): AuthenticatedDevice {
  if (!request.device) throw new Error('authenticateDevice did not run on this route');
  return request.device;
}

/** Decorates `authenticateDevice`, checking every kiosk request's signature against the registry. */
export const deviceAuthPlugin = fp(
  async (app: FastifyInstance, options: { registry: DeviceRegistry; replayCache: ReplayCache; clock: () => number }) => {
    app.decorateRequest('device', null);
    app.decorate('authenticateDevice', async (request: FastifyRequest) => {
      request.device = await verifyDeviceSignature(
        {
          method: request.method,
          // @target-uri as the kiosk addressed it: scheme, Host header and the path with query.
          url: `${request.protocol}://${request.host}${request.url}`,
          headers: request.headers,
          hasBody: request.method === 'POST',
        },
        { registry: options.registry, replayCache: options.replayCache, nowMs: options.clock() },
      );
      request.log = request.log.child({ deviceId: request.device.deviceId, kioskId: request.device.kioskId });
    });
  },
  { name: 'atrium-device-auth' },
);
