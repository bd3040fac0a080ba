import type {} from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import { URGENT_CHANNEL_PATH, UrgentMessage } from '@atrium/contracts';
import type { FastifyInstance } from 'fastify';
import { requireDevice } from '../auth/deviceAuthPlugin';
import type { GatewayMetrics } from '../plugins/gatewayMetrics';
import { problemResponses } from '../plugins/problemResponses';
import type { UrgentBus } from './urgentBus';
import type { UrgentHub } from './urgentHub';

/** What the urgent channel route needs. */
export interface UrgentRouteDeps {
  hub: UrgentHub;
  bus: UrgentBus;
  metrics: GatewayMetrics;
  heartbeatMs: number;
  requestsPerDevicePerMinute: number;
}

/** One Server-Sent Event carrying an urgent message (`data:` is its JSON). */
export function sseFrame(message: UrgentMessage): string {
  const id = 'id' in message ? `id: ${message.id}\n` : '';
  return `${id}event: urgent\ndata: ${JSON.stringify(message)}\n\n`;
}

/**
 * `GET URGENT_CHANNEL_PATH`: a signed Server-Sent Events stream of `UrgentMessage`s. On connect
 * the kiosk first gets the emergencies still in force, then everything broadcast while it stays.
 */
export async function urgentRoute(app: FastifyInstance, deps: UrgentRouteDeps): Promise<void> {
  app.get(URGENT_CHANNEL_PATH, {
    onRequest: app.authenticateDevice,
    config: { rateLimit: { max: deps.requestsPerDevicePerMinute, timeWindow: 60_000 } },
    schema: {
      summary: 'Urgent channel (Server-Sent Events)',
      description: 'Each event is `event: urgent`, `data: <UrgentMessage JSON>`; emergencies carry `id:`. Comments keep the stream alive; reconnect on close.',
      tags: ['kiosk'],
      response: {
        200: { description: 'An event stream of UrgentMessage', content: { 'text/event-stream': { schema: UrgentMessage } } },
        ...problemResponses(['SIGNATURE_MISSING', 'SIGNATURE_INVALID', 'SIGNATURE_EXPIRED', 'SIGNATURE_REPLAYED', 'DEVICE_UNKNOWN', 'DEVICE_REVOKED', 'RATE_LIMITED']),
      },
    },
    handler: async (request, reply) => {
      const device = requireDevice(request);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(`retry: 3000\n: connected ${new Date().toISOString()}\n\n`);
      let open = true;
      const heartbeat = setInterval(() => raw.write(`: keep-alive ${new Date().toISOString()}\n\n`), deps.heartbeatMs);
      const unsubscribe = deps.hub.subscribe({
        kioskId: device.kioskId,
        mallId: device.mallId,
        write: (message) => {
          if (!open) return;
          raw.write(sseFrame(message));
          deps.metrics.urgentMessages.inc();
        },
        close: () => raw.end(),
      });
      const closed = () => {
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
      };
      raw.on('close', closed);
      request.log.info('urgent stream opened');
      // Subscribed first, then the standing emergencies: a broadcast in between may arrive twice
      // (kiosks de-duplicate by id) but never not at all.
      try {
        for (const broadcast of await deps.bus.activeEmergencies(device)) {
          if (open) raw.write(sseFrame(broadcast.message));
        }
      } catch (err) {
        request.log.warn({ err }, 'standing emergencies could not be read');
      }
    },
  });
}

/** Response of the admin broadcast endpoint. */
export const BroadcastAccepted = Type.Object({ published: Type.Literal(true), serverTime: Type.String({ format: 'date-time' }) });
