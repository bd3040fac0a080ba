import type { FastifyError, FastifyInstance } from 'fastify';
import { isAtriumError, problem, PROBLEM_CONTENT_TYPE } from '@atrium/contracts';

/** The one error handler: catalogued errors and schema failures become problem+json; 5xx hide details. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const body = problem('VALIDATION_FAILED', error.message, { instance: request.url, errors: error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' })) });
      return reply.code(400).type(PROBLEM_CONTENT_TYPE).send(body);
    }
    if (isAtriumError(error)) {
      const body = problem(error.code, error.status >= 500 ? undefined : error.message, { instance: request.url });
      return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(body);
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).type(PROBLEM_CONTENT_TYPE).send(problem('INTERNAL', undefined, { instance: request.url }));
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem('NOT_FOUND', `No route ${request.method} ${request.url}`, { instance: request.url })));
}
