import { AtriumError, isAtriumError, problem, PROBLEM_CONTENT_TYPE, type ErrorCode, type Problem } from '@atrium/contracts';
import type { FastifyError, FastifyInstance } from 'fastify';

function fromFastifyError(error: FastifyError): Problem | undefined {
  if (error.validation) {
    return problem('VALIDATION_FAILED', error.message, { errors: error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' })) });
  }
  const byCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
    FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'BODY_MALFORMED',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BODY_MALFORMED',
  };
  const code = byCode[error.code];
  if (code) return problem(code, error.message);
  if (error instanceof SyntaxError || error.statusCode === 400) return problem('BODY_MALFORMED', 'the body is not valid JSON');
  return undefined;
}

/**
 * The one error handler: catalogued errors become their problem details, framework errors are
 * mapped to catalogue codes, a lost unique-constraint race is a CONFLICT, and anything else is
 * INTERNAL with its details kept in the log, not in the answer.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let body: Problem;
    if (isAtriumError(error)) {
      const coded = error as AtriumError;
      body = problem(coded.code, coded.message, { ...(coded.errors ? { errors: coded.errors } : {}), ...(coded.retryAfterS !== undefined ? { retryAfterS: coded.retryAfterS } : {}) });
    } else if ((error as { code?: string }).code === '23505') {
      body = problem('CONFLICT', 'a concurrent request registered the same thing; run the command again');
    } else {
      body = fromFastifyError(error) ?? problem('INTERNAL');
    }
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, detail: body.detail }, 'request refused');
    void reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem('NOT_FOUND', `no route ${request.method} ${request.url}`));
  });
}

/** Throws NOT_FOUND when `value` is undefined. */
export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new AtriumError('NOT_FOUND', `no such ${what}`);
  return value;
}
