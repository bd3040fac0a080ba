import { isAtriumError, problem, PROBLEM_CONTENT_TYPE, type AtriumError, type ErrorCode, type Problem } from '@atrium/contracts';
import type { FastifyError, FastifyInstance } from 'fastify';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BODY_MALFORMED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BODY_MALFORMED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BODY_MALFORMED',
};

/** Turns any error into catalogued problem details; 5xx details stay in the log. */
export function toProblem(error: FastifyError): Problem {
  if (isAtriumError(error)) {
    const coded = error as AtriumError;
    const detail = coded.code === 'INTERNAL' ? undefined : coded.message;
    return problem(coded.code, detail, coded.errors ? { errors: coded.errors } : {});
  }
  if (error.validation) {
    return problem('VALIDATION_FAILED', error.message, { errors: error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' })) });
  }
  const mapped = FASTIFY_CODES[error.code];
  if (mapped) return problem(mapped, error.message);
  // A lost race on a unique key (two uploads of one version at once).
  if ((error as { code?: string }).code === '23505') return problem('CONFLICT', 'a concurrent request created the same thing');
  return problem('INTERNAL');
}

/**
 * The OTA routes' error handler, scoped to the plugin's encapsulation context so the plugin
 * answers problem+json on its own and in tests; the cloud app's one handler produces the same.
 */
export function installOtaProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = toProblem(error);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, detail: body.detail }, 'request refused');
    return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
  });
}
