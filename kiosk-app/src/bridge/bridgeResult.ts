import { problem, type ErrorCode, type Problem } from '@atrium/contracts';

/** The outcome of every bridge call: a value, or problem details with a catalogued code. */
export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: Problem };

/** A successful bridge result. */
export function bridgeOk<T>(value: T): BridgeResult<T> {
  return { ok: true, value };
}

/** A failed bridge result carrying problem details for `code`. */
export function bridgeFail<T = never>(code: ErrorCode, detail?: string, extra: Partial<Pick<Problem, 'errors'>> = {}): BridgeResult<T> {
  return { ok: false, error: problem(code, detail, extra) };
}
