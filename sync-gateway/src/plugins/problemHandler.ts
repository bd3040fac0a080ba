import fp from 'fastify-plugin';
import { AtriumError, PROBLEM_CONTENT_TYPE, isAtriumError, problem, type ErrorCode, type Problem } from '@atrium/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayMetrics } from './gatewayMetrics';

// Fastify's own errors, as catalogued codes.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BODY_MALFORMED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BODY_MALFORMED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BODY_MALFORMED',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
};

function toAtriumError(error: FastifyError): AtriumError {
  if (isAtriumError(error)) return error;
  if (error.validation) {
    const errors = error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' }));
    return new AtriumError('VALIDATION_FAILED', error.message, { errors });
  }
  const mapped = FASTIFY_CODES[error.code];
  if (mapped) return new AtriumError(mapped, error.message);
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return new AtriumError('VALIDATION_FAILED', error.message);
  return new AtriumError('INTERNAL', undefined, { cause: error });
}

/** Sends problem details for `err` (RFC 9457), with Retry-After when it has one. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, err: AtriumError): FastifyReply {
  const body: Problem = problem(err.code, err.status >= 500 && err.code === 'INTERNAL' ? undefined : err.message, {
    instance: request.url.split('?')[0] ?? request.url,
    ...(err.errors ? { errors: err.errors } : {}),
    ...(err.retryAfterS !== undefined ? { retryAfterS: err.retryAfterS } : {}),
  });
  if (err.retryAfterS !== undefined) void reply.header('retry-after', String(err.retryAfterS));
  return reply.code(err.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/**
 * The one error handler: every error leaves as `application/problem+json` with a catalogued
 * code. Details of 5xx stay in the log (with the request id), never in the reply.
 */
export const problemHandler = fp(
  async (app: FastifyInstance, options: { metrics: GatewayMetrics }) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const err = toAtriumError(error);
      if (err.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
      else if (err.status >= 500) request.log.warn({ code: err.code, detail: err.message }, 'request refused: backend');
      else request.log.info({ code: err.code, detail: err.message }, 'request refused');
      options.metrics.rejections.inc({ code: err.code, scope: 'request' });
      return sendProblem(reply, request, err);
    });
    app.setNotFoundHandler((request, reply) => sendProblem(reply, request, new AtriumError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`)));
  },
  { name: 'atrium-problem-handler' },
);
