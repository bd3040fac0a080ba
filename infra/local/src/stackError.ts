/** Stable codes for the ways the local stack can fail, so callers branch on a code, not on text. */
export type StackErrorCode =
  | 'MISSING_PREREQUISITE'
  | 'BAD_ARGUMENT'
  | 'DOWNLOAD_FAILED'
  | 'START_FAILED'
  | 'NOT_READY'
  | 'TOPOLOGY_MISMATCH'
  | 'MIGRATION_FAILED'
  | 'LOCKED';

/** An error the CLI prints as a sentence plus a hint, without a stack trace. */
export class StackError extends Error {
  readonly code: StackErrorCode;
  readonly hint: string | undefined;

  constructor(code: StackErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'StackError';
    this.code = code;
    this.hint = hint;
  }
}

/** Checks the code rather than `instanceof`, which breaks across module copies (STYLE.md, point 7). */
export function isStackError(error: unknown): error is StackError {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'StackError';
}
