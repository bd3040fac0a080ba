import { describe, expect, it } from 'vitest';
import { hashEnrolmentToken, looksLikeEnrolmentToken, newEnrolmentToken } from './enrolmentToken';
import { tokenState } from './tokenState';

describe('enrolment tokens', () => {
  it('are high-entropy, recognisable and distinct', () => {
    const a = newEnrolmentToken();
    const b = newEnrolmentToken();
    expect(looksLikeEnrolmentToken(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(looksLikeEnrolmentToken('atr_enrol_short')).toBe(false);
  });

  it('are stored as a 32-byte SHA-256 that is stable for one token', () => {
    const token = newEnrolmentToken();
    expect(hashEnrolmentToken(token)).toHaveLength(32);
    expect(hashEnrolmentToken(token).equals(hashEnrolmentToken(token))).toBe(true);
    expect(hashEnrolmentToken(token).equals(hashEnrolmentToken(newEnrolmentToken()))).toBe(false);
  });
});

describe('token state', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const fresh = { expiresAt: new Date('2026-03-01T11:00:00Z'), usedAt: null, revokedAt: null };

  it('given an unused token before its expiry, when checked, then it is usable', () => {
    expect(tokenState(fresh, now)).toBe('usable');
  });

  it('given a token at its expiry instant, when checked, then it is expired', () => {
    expect(tokenState({ ...fresh, expiresAt: now }, now)).toBe('expired');
  });

  it('given a used and expired token, when checked, then use is reported first', () => {
    expect(tokenState({ ...fresh, expiresAt: new Date(0), usedAt: now }, now)).toBe('used');
  });

  it('given a revoked token that was also used, when checked, then revocation is reported first', () => {
    expect(tokenState({ ...fresh, usedAt: now, revokedAt: now }, now)).toBe('revoked');
  });
});
