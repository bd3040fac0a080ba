import { randomBytes, type KeyObject } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { unwrapKey, wrapKey, x25519PrivateKey, x25519PublicKey, rawPublicKey } from './sealedBoxCrypto';
import { inTransaction } from '../pg/inTransaction';

/** A member's data key: an X25519 key pair that their PII is sealed to, or gone (crypto-shredded). */
export type MemberKey = { status: 'active'; privateKey: KeyObject; publicKey: KeyObject; raw: Buffer } | { status: 'erased' };

/** What an erasure did. */
export interface ErasureResult {
  memberRef: string;
  /** The email hash whose enrolments the erasure covers (kept: it is how later arrivals are refused). */
  emailHash: string;
  /** Keys shredded now: every member ref enrolled with the same email hash (0 when already erased). */
  keysShredded: number;
  erasedAt: string;
}

/** The per-member keys of loyalty PII (`member_keys`, `member_erasures`). */
export interface MemberKeyStore {
  /**
   * The key of an enrolment's member, made on first use. `erased` when the member was erased, or
   * when the enrolment is not later than an erasure of its email hash (an event that arrives after
   * the shopper asked to be forgotten must not bring their PII back).
   */
  keyForEnrolment(memberRef: string, emailHash: string, enrolledAt: Date): Promise<MemberKey>;
  /** The member's key as it stands; undefined when the member never had one. */
  keyOf(memberRef: string): Promise<MemberKey | undefined>;
  /** Shreds the keys of every enrolment of the member's email hash; undefined for an unknown member. */
  erase(memberRef: string, now: Date): Promise<ErasureResult | undefined>;
}

function active(raw: Buffer): MemberKey {
  const privateKey = x25519PrivateKey(raw);
  return { status: 'active', privateKey, publicKey: x25519PublicKey(rawPublicKey(privateKey)), raw };
}


// Key creation and erasure of one email hash are serialised by a transaction-scoped advisory
// lock, so no key can be made for an enrolment that an erasure running at that moment covers.
const lockEmailHash = (client: PoolClient, emailHash: string) => client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 4150233902))', [emailHash]);

/**
 * Member keys in PostgreSQL, schema `schema` (migration 007). Raw keys never rest in the table:
 * each is wrapped (AES-256-GCM) under `kek`, bound to its member ref. Erasure sets the wrapped key
 * to NULL; PostgreSQL's old row versions go with the next VACUUM, backups with their retention.
 */
export function pgMemberKeyStore(pool: Pool, schema: string, kek: Buffer): MemberKeyStore {
  const keys = `${schema}.member_keys`;
  const erasures = `${schema}.member_erasures`;
  const unwrap = (memberRef: string, wrapped: Buffer | null): MemberKey => (wrapped ? active(unwrapKey(kek, memberRef, wrapped)) : { status: 'erased' });

  return {
    async keyForEnrolment(memberRef, emailHash, enrolledAt) {
      const known = await this.keyOf(memberRef);
      if (known) return known;
      return inTransaction(pool, async (client) => {
        await lockEmailHash(client, emailHash);
        const again = await client.query<{ wrapped_key: Buffer | null }>(`SELECT wrapped_key FROM ${keys} WHERE member_ref = $1`, [memberRef]);
        if (again.rows[0]) return unwrap(memberRef, again.rows[0].wrapped_key);
        const erased = await client.query(`SELECT 1 FROM ${erasures} WHERE email_hash = $1 AND erased_at >= $2`, [emailHash, enrolledAt]);
        if ((erased.rowCount ?? 0) > 0) return { status: 'erased' as const };
        const raw = randomBytes(32);
        await client.query(`INSERT INTO ${keys} (member_ref, email_hash, wrapped_key) VALUES ($1, $2, $3)`, [memberRef, emailHash, wrapKey(kek, memberRef, raw)]);
        return active(raw);
      });
    },

    async keyOf(memberRef) {
      const { rows } = await pool.query<{ wrapped_key: Buffer | null }>(`SELECT wrapped_key FROM ${keys} WHERE member_ref = $1`, [memberRef]);
      return rows[0] ? unwrap(memberRef, rows[0].wrapped_key) : undefined;
    },

    async erase(memberRef, now) {
      const found = await pool.query<{ email_hash: string }>(
        `SELECT email_hash FROM ${keys} WHERE member_ref = $1 UNION SELECT email_hash FROM ${schema}.loyalty_members WHERE member_ref = $1`,
        [memberRef],
      );
      const emailHash = found.rows[0]?.email_hash;
      if (!emailHash) return undefined;
      return inTransaction(pool, async (client) => {
        await lockEmailHash(client, emailHash);
        const shredded = await client.query(`UPDATE ${keys} SET wrapped_key = NULL, erased_at = $2 WHERE email_hash = $1 AND wrapped_key IS NOT NULL`, [emailHash, now]);
        const recorded = await client.query<{ erased_at: Date }>(
          `INSERT INTO ${erasures} AS e (email_hash, erased_at, member_ref) VALUES ($1, $2, $3)
           ON CONFLICT (email_hash) DO UPDATE SET erased_at = GREATEST(e.erased_at, excluded.erased_at), member_ref = excluded.member_ref, crm_erased_at = NULL
           RETURNING erased_at`,
          [emailHash, now, memberRef],
        );
        return { memberRef, emailHash, keysShredded: shredded.rowCount ?? 0, erasedAt: recorded.rows[0]!.erased_at.toISOString() };
      });
    },
  };
}
