import type { TokenView } from '../api/schemas';
import { tokenState } from '../tokens/tokenState';
import type { Queryable } from './pgPool';

/** An enrolment token row. */
export interface TokenRow {
  token_id: string;
  mall_id: string;
  kiosk_id: string;
  location: string | null;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  used_by_device_id: string | null;
  revoked_at: Date | null;
}

const COLUMNS = 'token_id, mall_id, kiosk_id, location, created_by, created_at, expires_at, used_at, used_by_device_id, revoked_at';

/** The ops view of a token row at `now`. */
export function tokenView(row: TokenRow, now: Date): TokenView {
  return {
    tokenId: row.token_id,
    mallId: row.mall_id,
    kioskId: row.kiosk_id,
    location: row.location,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    state: tokenState({ expiresAt: row.expires_at, usedAt: row.used_at, revokedAt: row.revoked_at }, now),
    usedByDeviceId: row.used_by_device_id,
  };
}

/** Stores a new token by its hash. */
export async function insertToken(
  db: Queryable,
  token: { tokenId: string; sha256: Buffer; mallId: string; kioskId: string; location: string | null; createdBy: string; expiresAt: Date },
): Promise<TokenRow> {
  const result = await db.query<TokenRow>(
    `INSERT INTO atrium.enrolment_tokens (token_id, token_sha256, mall_id, kiosk_id, location, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [token.tokenId, token.sha256, token.mallId, token.kioskId, token.location, token.createdBy, token.expiresAt],
  );
  return result.rows[0]!;
}

/** The token with this hash, locked for the rest of the transaction (one use at a time). */
export async function lockTokenByHash(db: Queryable, sha256: Buffer): Promise<TokenRow | undefined> {
  const result = await db.query<TokenRow>(`SELECT ${COLUMNS} FROM atrium.enrolment_tokens WHERE token_sha256 = $1 FOR UPDATE`, [sha256]);
  return result.rows[0];
}

/** Marks a token used by a device. */
export async function markTokenUsed(db: Queryable, tokenId: string, deviceId: string, now: Date): Promise<void> {
  await db.query('UPDATE atrium.enrolment_tokens SET used_at = $2, used_by_device_id = $3 WHERE token_id = $1', [tokenId, now, deviceId]);
}

/** Tokens of a mall (or all), newest first, bounded. */
export async function listTokens(db: Queryable, filter: { mallId?: string; limit: number }): Promise<TokenRow[]> {
  const result = await db.query<TokenRow>(
    `SELECT ${COLUMNS} FROM atrium.enrolment_tokens WHERE ($1::text IS NULL OR mall_id = $1) ORDER BY created_at DESC, token_id LIMIT $2`,
    [filter.mallId ?? null, filter.limit],
  );
  return result.rows;
}

/** Revokes a token that is not used yet; returns the row either way, undefined when unknown. */
export async function revokeToken(db: Queryable, tokenId: string, now: Date): Promise<TokenRow | undefined> {
  await db.query('UPDATE atrium.enrolment_tokens SET revoked_at = $2 WHERE token_id = $1 AND revoked_at IS NULL AND used_at IS NULL', [tokenId, now]);
  const result = await db.query<TokenRow>(`SELECT ${COLUMNS} FROM atrium.enrolment_tokens WHERE token_id = $1`, [tokenId]);
  return result.rows[0];
}
