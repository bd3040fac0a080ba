import { errorCatalogue, isProblem, type ErrorCode } from '@atrium/contracts';
import { fullJitterDelayMs, parseRetryAfterMs, type BackoffPolicy } from './backoff';

/**
 * How a request to the gateway fails, and the retry rules both sync loops (events up, content
 * down) follow. Pure: replies, errors, time and randomness are passed in.
 */

/** Codes the kiosk itself gives to failures that carry no problem code from the server. */
export type LocalSyncErrorCode = 'NETWORK' | 'TIMEOUT' | 'REPLY_INVALID' | 'NO_PROGRESS' | 'HTTP_ERROR' | 'LOCAL_FAILURE';

/** A failure's code: a catalogued problem code from the gateway, or a local one. */
export type SyncErrorCode = ErrorCode | LocalSyncErrorCode;

/** How one request failed. */
export type UploadFailure =
  | { kind: 'network'; code: 'NETWORK' | 'TIMEOUT'; detail: string }
  | { kind: 'http'; status: number; code: SyncErrorCode; detail: string; retryAfterMs?: number }
  | { kind: 'invalid-reply'; code: 'REPLY_INVALID'; detail: string };

/** The last error, as a status shows it. */
export interface SyncError {
  code: SyncErrorCode;
  status?: number;
  detail: string;
  at: number;
}

/** An HTTP reply that was not a success, as the edge read it. */
export interface FailedReply {
  status: number;
  text: string;
  /** The `Retry-After` header, if any. */
  retryAfter: string | null;
  /** The server's clock (`Date` header), to read an HTTP-date `Retry-After` against; else the kiosk's. */
  nowMs: number;
}

function fallbackCode(status: number): SyncErrorCode {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 413) return 'BODY_TOO_LARGE';
  if (status === 503) return 'BACKEND_UNAVAILABLE';
  return 'HTTP_ERROR';
}

/** Reads a failed reply: the problem's catalogued code (else one from the status), its detail, and how long the server asked us to wait. */
export function failureOfReply(reply: FailedReply): UploadFailure {
  let json: unknown;
  try {
    json = reply.text ? JSON.parse(reply.text) : undefined;
  } catch {
    json = undefined;
  }
  const problem = isProblem(json) ? json : null;
  const code: SyncErrorCode = problem && problem.code in errorCatalogue ? (problem.code as ErrorCode) : fallbackCode(reply.status);
  const retryAfterMs = parseRetryAfterMs(reply.retryAfter, reply.nowMs) ?? (problem?.retryAfterS !== undefined ? problem.retryAfterS * 1000 : undefined);
  const detail = (problem?.detail ?? problem?.title ?? reply.text.slice(0, 200)) || `HTTP ${reply.status}`;
  return { kind: 'http', status: reply.status, code, detail, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** A request that got no reply: it timed out, or the connection failed (named by its cause). */
export function networkFailure(err: unknown, timedOut: boolean, timeoutMs: number): UploadFailure {
  if (timedOut) return { kind: 'network', code: 'TIMEOUT', detail: `no reply within ${timeoutMs} ms` };
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  return { kind: 'network', code: 'NETWORK', detail: cause?.code ?? cause?.message ?? String((err as Error | null)?.message ?? err) };
}

/** True when retrying the same request later may succeed (network, 5xx, 408, 429, garbled reply). */
export function isTransient(failure: UploadFailure): boolean {
  switch (failure.kind) {
    case 'network':
    case 'invalid-reply':
      return true;
    case 'http':
      return failure.status >= 500 || failure.status === 408 || failure.status === 429;
    default: {
      const never: never = failure;
      return never;
    }
  }
}

/** A failure as the status shows it. */
export function syncErrorOf(failure: { code: SyncErrorCode; detail: string; status?: number }, at: number): SyncError {
  return { code: failure.code, ...(failure.status !== undefined ? { status: failure.status } : {}), detail: failure.detail, at };
}

/** The wait a server's `Retry-After` imposes, up to `capMs`; 0 when it gave none. */
export function retryAfterWaitMs(failure: { kind: string; retryAfterMs?: number }, capMs: number): number {
  return failure.kind === 'http' && failure.retryAfterMs !== undefined ? Math.min(failure.retryAfterMs, capMs) : 0;
}

/** A long wait spread over [ms/2, ms], for a request that would fail the same way again (a fleet does not come back in step). */
export function jitteredWaitMs(ms: number, random: number): number {
  return Math.floor(ms * (0.5 + random / 2));
}

/** The wait before retrying a transient failure: full jitter, but never less than the server's `Retry-After`. */
export function transientRetryDelayMs(failure: UploadFailure, failures: number, random: number, backoff: BackoffPolicy, maxRetryAfterMs: number): number {
  return Math.max(fullJitterDelayMs(backoff, failures, random), retryAfterWaitMs(failure, maxRetryAfterMs));
}
