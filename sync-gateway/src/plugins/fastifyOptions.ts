import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

/** Server options both listeners share: the logger, request ids (x-request-id), body limit. */
export function fastifyOptions(logger: FastifyBaseLogger | undefined, bodyLimit: number): FastifyServerOptions & { loggerInstance?: FastifyBaseLogger } {
  return {
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit,
    // Idle keep-alive sockets close at once; requests in flight (uploads waiting for Kafka) finish.
    // Urgent streams are ended by the kiosk app's preClose hook.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  };
}

/** OpenAPI `info` of the gateway. */
export const openApiInfo = {
  title: 'Atrium sync gateway',
  version: '0.1.0',
  description: 'The only door from the kiosks into the cloud: event ingest, content delta feed, urgent channel (kiosk listener); health, metrics and broadcasts (admin listener).',
};
