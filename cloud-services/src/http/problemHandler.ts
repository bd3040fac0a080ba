import type { FastifyError, FastifyInstance } from 'fastify';
import { isAtriumError, problem, PROBLEM_CONTENT_TYPE, type ErrorCode, type Problem } from '@atrium/contracts';

// Fastify's own request errors (body parsing), as catalogued codes instead of a 500.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BODY_MALFORMED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BODY_MALFORMED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BODY_MALFORMED',
};

// PostgreSQL's unique_violation: a request that lost a race to create the same row (the stores
// check first, so nothing else reaches it).
const PG_UNIQUE_VIOLATION = '23505';

/** Any error as catalogued problem details for `instance`; the details of a 5xx stay in the log. */
export function toProblem(error: FastifyError, instance: string): Problem {
  if (error.validation) {
    return problem('VALIDATION_FAILED', error.message, { instance, errors: error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' })) });
  }
  if (isAtriumError(error)) return problem(error.code, error.status >= 500 ? undefined : error.message, { instance, ...(error.errors ? { errors: error.errors } : {}) });
  const mapped = FASTIFY_CODES[error.code];
  if (mapped) return problem(mapped, error.message, { instance });
  if (error.code === PG_UNIQUE_VIOLATION) return problem('CONFLICT', 'a concurrent request created the same thing', { instance });
  return problem('INTERNAL', undefined, { instance });
}

/**
 * The one error handler of the ops API (and of every route plugin registered in it, the OTA
 * routes included): catalogued errors and schema failures become problem+json; 5xx hide details.
 */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = toProblem(error, request.url);
    if (body.status >= 500 && body.code === 'INTERNAL') request.log.error({ err: error }, 'unhandled error');
    return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem('NOT_FOUND', `No route ${request.method} ${request.url}`, { instance: request.url })));
}
