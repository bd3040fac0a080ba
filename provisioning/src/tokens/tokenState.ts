/** The lifecycle facts of a stored enrolment token. */
export interface TokenLifecycle {
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** Where a token stands at a given moment. */
export type TokenState = 'usable' | 'used' | 'expired' | 'revoked';

/**
 * The state of a token at `now`. Revocation wins over use, and use over expiry, so ops and the
 * technician are told the most useful reason first.
 */
export function tokenState(token: TokenLifecycle, now: Date): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.usedAt) return 'used';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'usable';
}
