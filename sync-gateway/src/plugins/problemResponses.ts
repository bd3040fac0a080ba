import { Problem, PROBLEM_CONTENT_TYPE, errorCatalogue, type ErrorCode } from '@atrium/contracts';

/**
 * Response schemas for the error statuses a route can answer, each `application/problem+json`
 * and documented with the codes that produce it.
 */
export function problemResponses(codes: readonly ErrorCode[]): Record<number, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes, 'INTERNAL' as const]) {
    const status = errorCatalogue[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<number, unknown> = {};
  for (const [status, list] of [...byStatus.entries()].sort((a, b) => a[0] - b[0])) {
    out[status] = { description: `Problem details; code ${list.join(', ')}`, content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } };
  }
  return out;
}
