import { describe, expect, it } from 'vitest';
import { decodeContentCursor, encodeContentCursor } from './contentCursor';

describe('content cursors', () => {
  it('round-trip a change sequence and treat no cursor as the beginning', () => {
    expect(decodeContentCursor(encodeContentCursor(12_345))).toBe(12_345);
    expect(decodeContentCursor(undefined)).toBe(0);
    expect(decodeContentCursor('')).toBe(0);
  });

  it('refuse anything the gateway did not issue with CURSOR_INVALID', () => {
    for (const cursor of ['12', 'not base64!', Buffer.from('atrium-content:v1:-1').toString('base64url'), Buffer.from('atrium-content:v2:5').toString('base64url'), Buffer.from('atrium-content:v1:1e3').toString('base64url')]) {
      expect(() => decodeContentCursor(cursor)).toThrow(expect.objectContaining({ code: 'CURSOR_INVALID' }));
    }
  });
});
