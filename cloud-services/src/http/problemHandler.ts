import type { FastifyError, FastifyInstance } from 'fastify';
import { errorCatalogue, isAtriumError, problem, PROBLEM_CONTENT_TYPE, type ErrorCode } from '@atrium/contracts';

// Fastify's own request errors (body parsing), as catalogued codes instead of a 500.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BODY_MALFORMED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BODY_MALFORMED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BODY_MALFORMED',
};

/** The one error handler: catalogued errors and schema failures become problem+json; 5xx hide details. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const body = problem('VALIDATION_FAILED', error.message, { instance: request.url, errors: error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' })) });
      return reply.code(400).type(PROBLEM_CONTENT_TYPE).send(body);
    }
    if (isAtriumError(error)) {
      const body = problem(error.code, error.status >= 500 ? undefined : error.message, { instance: request.url, ...(error.errors ? { errors: error.errors } : {}) });
      return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(body);
    }
    const mapped = FASTIFY_CODES[error.code];
    if (mapped) return reply.code(errorCatalogue[mapped].status).type(PROBLEM_CONTENT_TYPE).send(problem(mapped, error.message, { instance: request.url }));
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).type(PROBLEM_CONTENT_TYPE).send(problem('INTERNAL', undefined, { instance: request.url }));
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem('NOT_FOUND', `No route ${request.method} ${request.url}`, { instance: request.url })));
}
