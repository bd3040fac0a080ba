import { Problem, PROBLEM_CONTENT_TYPE } from '@atrium/contracts';

/** One problem response, declared with its own media type so OpenAPI says problem+json. */
const problemResponse = { description: 'Problem details (RFC 9457)', content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } };

/** Response schemas for the problem statuses a route can answer with (400, 500, 503 always). */
export function problemResponses(...statuses: number[]): Record<number, typeof problemResponse> {
  const all = [...new Set([400, 500, 503, ...statuses])].sort();
  return Object.fromEntries(all.map((status) => [status, problemResponse]));
}

/** Statuses every admin route can answer with (bad token, unknown resource). */
export const ADMIN_STATUSES = [403, 404];
