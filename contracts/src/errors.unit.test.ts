import { describe, expect, it } from 'vitest';
import { AtriumError, errorCatalogue, hasErrorCode, isAtriumError, isProblem, problem, problemType } from './errors';

describe('the error catalogue', () => {
  it('gives every code a 4xx or 5xx status and a distinct problem type', () => {
    const types = new Set<string>();
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      types.add(problemType(code as keyof typeof errorCatalogue));
    }
    expect(types.size).toBe(Object.keys(errorCatalogue).length);
  });

  it('builds RFC 9457 problem details from a code', () => {
    const p = problem('BATCH_TOO_MANY_EVENTS', 'at most 500 events', { retryAfterS: 0 });
    expect(p).toEqual({
      type: 'urn:atrium:problem:batch-too-many-events',
      title: errorCatalogue.BATCH_TOO_MANY_EVENTS.title,
      status: 413,
      code: 'BATCH_TOO_MANY_EVENTS',
      detail: 'at most 500 events',
      retryAfterS: 0,
    });
    expect(hasErrorCode(p, 'BATCH_TOO_MANY_EVENTS')).toBe(true);
    expect(hasErrorCode(p, 'INTERNAL')).toBe(false);
  });

  it('recognises coded errors by shape, also after crossing a serialisation boundary', () => {
    const err = new AtriumError('DEVICE_REVOKED');
    expect(isAtriumError(err)).toBe(true);
    expect(isAtriumError(JSON.parse(JSON.stringify({ code: err.code, message: err.message })))).toBe(true);
    expect(isAtriumError(new Error('plain'))).toBe(false);
    expect(isProblem({ code: 'X', status: 400, title: 't' })).toBe(true);
    expect(isProblem('nope')).toBe(false);
  });
});
