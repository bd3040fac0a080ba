import type {} from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import { AtriumError, BATCH_CONTENT_TYPE, CloudEventEnvelope, UPLOAD_PATH, UploadResponse } from '@atrium/contracts';
import type { FastifyInstance } from 'fastify';
import { requireDevice } from '../auth/deviceAuthPlugin';
import type { GatewayMetrics } from '../plugins/gatewayMetrics';
import { problemResponses } from '../plugins/problemResponses';
import type { AckGate } from './ackGate';
import type { BatchBody } from './batchBodyParser';
import { planBatch } from './planBatch';

/** What the ingest route needs. */
export interface IngestRouteDeps {
  ackGate: AckGate;
  metrics: GatewayMetrics;
  clock: () => number;
  maxEventsPerBatch: number;
  requestsPerDevicePerMinute: number;
}

const BatchSchema = (maxItems: number) =>
  Type.Array(Type.Intersect([CloudEventEnvelope, Type.Object({ data: Type.Unknown() })]), {
    maxItems,
    description: 'A CloudEvents JSON batch of one kiosk, contiguous ascending sequences; gzip allowed (Content-Encoding)',
  });

/** `POST UPLOAD_PATH`: a signed CloudEvents batch in, Kafka-acknowledged `UploadResponse` out. */
export async function ingestRoute(app: FastifyInstance, deps: IngestRouteDeps): Promise<void> {
  app.post<{ Body: BatchBody }>(UPLOAD_PATH, {
    onRequest: app.authenticateDevice,
    config: { rateLimit: { max: deps.requestsPerDevicePerMinute, timeWindow: 60_000 } },
    // The batch parser already checked framing and limits; events are validated one by one by
    // `validateEvent` so an invalid one is dead-lettered rather than failing the whole batch.
    validatorCompiler: () => () => true,
    schema: {
      summary: 'Upload a batch of kiosk events',
      description:
        'Signed with the device key (RFC 9421, profile `deviceSignatureProfile`, Content-Digest over the bytes as sent). ' +
        'Answers only after Kafka acknowledged every event up to `ackedThrough`; invalid events are dead-lettered and listed in `rejections`. ' +
        'A repeated batch gets the same answer (and is produced again: sinks are idempotent).',
      tags: ['kiosk'],
      headers: Type.Object({ 'signature-input': Type.String(), signature: Type.String(), 'content-digest': Type.String() }),
      body: { content: { [BATCH_CONTENT_TYPE]: { schema: BatchSchema(deps.maxEventsPerBatch) } } },
      response: {
        200: UploadResponse,
        ...problemResponses([
          'VALIDATION_FAILED',
          'BODY_MALFORMED',
          'SIGNATURE_MISSING',
          'SIGNATURE_INVALID',
          'SIGNATURE_EXPIRED',
          'SIGNATURE_REPLAYED',
          'DEVICE_UNKNOWN',
          'DEVICE_REVOKED',
          'KIOSK_MISMATCH',
          'BODY_TOO_LARGE',
          'BODY_DECOMPRESSED_TOO_LARGE',
          'BATCH_TOO_MANY_EVENTS',
          'UNSUPPORTED_MEDIA_TYPE',
          'UNSUPPORTED_ENCODING',
          'SEQUENCE_GAP',
          'RATE_LIMITED',
          'BACKEND_UNAVAILABLE',
          'SHUTTING_DOWN',
        ]),
      },
    },
    handler: async (request): Promise<UploadResponse> => {
      const device = requireDevice(request);
      // An empty body never reaches the batch parser.
      if (!request.body || !Array.isArray(request.body.events)) throw new AtriumError('BODY_MALFORMED', 'The body must be a CloudEvents JSON batch');
      const events = request.body.events;
      const plan = planBatch(events, device, new Date(deps.clock()).toISOString());
      deps.metrics.batchSize.observe(events.length);
      const started = process.hrtime.bigint();
      try {
        await deps.ackGate.produce(plan.records);
      } catch (err) {
        deps.metrics.produceSeconds.observe({ outcome: 'failed' }, Number(process.hrtime.bigint() - started) / 1e9);
        throw err;
      }
      deps.metrics.produceSeconds.observe({ outcome: 'acked' }, Number(process.hrtime.bigint() - started) / 1e9);
      deps.metrics.ingestEvents.inc({ outcome: 'accepted' }, plan.accepted);
      if (plan.rejections.length > 0) {
        deps.metrics.ingestEvents.inc({ outcome: 'dead_lettered' }, plan.rejections.length);
        for (const r of plan.rejections) deps.metrics.rejections.inc({ code: r.code, scope: 'event' });
      }
      request.log.debug({ events: events.length, ackedThrough: plan.ackedThrough, rejected: plan.rejections.length }, 'batch acknowledged');
      return { ackedThrough: plan.ackedThrough, accepted: plan.accepted, rejections: plan.rejections, serverTime: new Date(deps.clock()).toISOString() };
    },
  });
}
