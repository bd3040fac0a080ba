import { AtriumError } from '@atrium/contracts';

const PREFIX = 'atrium-content:v1:';

/**
 * Cursors are opaque to kiosks: base64url of a versioned prefix and the last `change_seq` the
 * kiosk has applied. The empty cursor (or none) means "from the beginning".
 */
export function encodeContentCursor(changeSeq: number): string {
  return Buffer.from(`${PREFIX}${changeSeq}`).toString('base64url');
}

/** The change sequence a cursor stands for; CURSOR_INVALID for anything this service did not issue. */
export function decodeContentCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const digits = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  const value = /^(0|[1-9]\d{0,15})$/.test(digits) ? Number(digits) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new AtriumError('CURSOR_INVALID');
  return value;
}
