import { Type, type Static } from '@sinclair/typebox';

/**
 * The one catalogue of errors that cross a service boundary. Codes are stable: clients
 * branch on `code`, never on `title` or `detail`. Add entries; never rename or reuse one.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, title: 'The request does not match its schema' },
  BODY_MALFORMED: { status: 400, title: 'The request body could not be parsed' },
  CURSOR_INVALID: { status: 400, title: 'The cursor is not one this service issued' },
  SIGNATURE_MISSING: { status: 401, title: 'The request is not signed' },
  SIGNATURE_INVALID: { status: 401, title: 'The request signature does not verify' },
  SIGNATURE_EXPIRED: { status: 401, title: 'The signature is outside the accepted time window' },
  SIGNATURE_REPLAYED: { status: 401, title: 'This signature was already used' },
  DEVICE_UNKNOWN: { status: 401, title: 'The signing key belongs to no registered device' },
  DEVICE_REVOKED: { status: 403, title: 'The device has been revoked' },
  KIOSK_MISMATCH: { status: 403, title: 'An event names a kiosk other than the signer' },
  TOKEN_INVALID: { status: 401, title: 'The enrolment token is not valid' },
  TOKEN_EXPIRED: { status: 410, title: 'The enrolment token has expired' },
  TOKEN_USED: { status: 410, title: 'The enrolment token was already used' },
  TOKEN_SCOPE_MISMATCH: { status: 403, title: 'The enrolment token is for another mall or kiosk' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  NOT_FOUND: { status: 404, title: 'No such resource' },
  CONFLICT: { status: 409, title: 'The request conflicts with the current state' },
  APPROVAL_REQUIRED: { status: 409, title: 'This action waits for ops approval' },
  APPROVAL_REJECTED: { status: 403, title: 'Ops rejected this action' },
  ADDRESS_POOL_EXHAUSTED: { status: 409, title: 'No free VPN address is left in the pool' },
  BODY_TOO_LARGE: { status: 413, title: 'The request body is larger than allowed' },
  RANGE_NOT_SATISFIABLE: { status: 416, title: 'The requested byte range is outside the resource' },
  ARTEFACT_DIGEST_MISMATCH: { status: 422, title: 'The uploaded artefact does not match its declared sha512 or size' },
  BODY_DECOMPRESSED_TOO_LARGE: { status: 413, title: 'The decompressed body is larger than allowed' },
  BATCH_TOO_MANY_EVENTS: { status: 413, title: 'The batch has more events than allowed' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The content type is not accepted here' },
  UNSUPPORTED_ENCODING: { status: 415, title: 'The content encoding is not accepted here' },
  EVENT_INVALID: { status: 422, title: 'The event does not match its schema' },
  EVENT_TYPE_UNKNOWN: { status: 422, title: 'The event type is not in the catalogue' },
  SEQUENCE_GAP: { status: 422, title: "The batch does not continue the kiosk's sequence" },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  BACKEND_UNAVAILABLE: { status: 503, title: 'A backend is unavailable; retry later' },
  SHUTTING_DOWN: { status: 503, title: 'The service is shutting down; retry later' },
} as const satisfies Record<string, { status: number; title: string }>;

/** A stable error code from the catalogue. */
export type ErrorCode = keyof typeof errorCatalogue;

/** The problem type URI of a code. */
export function problemType(code: ErrorCode): string {
  return `urn:atrium:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

/** RFC 9457 problem details as every Atrium HTTP API returns them (`application/problem+json`). */
export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer({ minimum: 400, maximum: 599 }),
  code: Type.String(),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  retryAfterS: Type.Optional(Type.Integer({ minimum: 0 })),
});

/** RFC 9457 problem details. */
export type Problem = Static<typeof Problem>;

/** The media type of problem details. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Builds the problem details for a catalogued code. */
export function problem(code: ErrorCode, detail?: string, extra: Partial<Pick<Problem, 'errors' | 'instance' | 'retryAfterS'>> = {}): Problem {
  const entry = errorCatalogue[code];
  return { type: problemType(code), title: entry.title, status: entry.status, code, ...(detail ? { detail } : {}), ...extra };
}

/** True when `value` is problem details (checked by shape and code, never by class). */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['code'] === 'string' && typeof v['status'] === 'number' && typeof v['title'] === 'string';
}

/** True when `value` is problem details with the given code. */
export function hasErrorCode(value: unknown, code: ErrorCode): value is Problem {
  return isProblem(value) && value.code === code;
}

/**
 * An error carrying a catalogued code, for throwing inside a service; the service's one
 * error handler turns it into problem details. Guards check `code`, not `instanceof`.
 */
export class AtriumError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: Problem['errors'];
  readonly retryAfterS: number | undefined;

  constructor(code: ErrorCode, detail?: string, options: { errors?: Problem['errors']; retryAfterS?: number; cause?: unknown } = {}) {
    super(detail ?? errorCatalogue[code].title, { cause: options.cause });
    this.name = 'AtriumError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.errors = options.errors;
    this.retryAfterS = options.retryAfterS;
  }
}

/** True for any error that carries a catalogued code (works across packages and IPC). */
export function isAtriumError(err: unknown): err is AtriumError {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code in errorCatalogue;
}
