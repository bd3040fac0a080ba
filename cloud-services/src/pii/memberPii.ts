import type { Pool } from 'pg';
import type { MemberKeyStore } from './memberKeyStore';
import { ERASED_KEY_ID, erasedBox } from './piiResealer';
import { openSealedBox, type PiiFields, type SealedBoxValue } from './sealedBoxCrypto';

/** A member's PII as the loyalty view can give it. */
export type MemberPii =
  | { status: 'open'; memberRef: string; fields: PiiFields }
  | { status: 'erased'; memberRef: string }
  | { status: 'not-found' }
  /** The box is not sealed to a member key (written before resealing was configured). */
  | { status: 'not-resealed'; memberRef: string };

/** Opens a box sealed to a member's key; `erased` when the key is gone. */
export async function openMemberBox(keys: MemberKeyStore, memberRef: string, box: SealedBoxValue): Promise<MemberPii> {
  if (box.keyId === ERASED_KEY_ID) return { status: 'erased', memberRef };
  const owner = box.keyId.startsWith('member:') ? box.keyId.slice('member:'.length) : undefined;
  if (!owner) return { status: 'not-resealed', memberRef };
  const key = await keys.keyOf(owner);
  if (!key || key.status === 'erased') return { status: 'erased', memberRef };
  return { status: 'open', memberRef, fields: openSealedBox(box, key.privateKey) };
}

/** Reads and opens a member's PII from the loyalty view, by email hash or member ref. */
export async function readMemberPii(pool: Pool, schema: string, keys: MemberKeyStore, by: { emailHash: string } | { memberRef: string }): Promise<MemberPii> {
  const [column, value] = 'emailHash' in by ? ['email_hash', by.emailHash] : ['member_ref', by.memberRef];
  const { rows } = await pool.query<{ member_ref: string; sealed_pii: SealedBoxValue }>(`SELECT member_ref, sealed_pii FROM ${schema}.loyalty_members WHERE ${column} = $1`, [value]);
  const row = rows[0];
  if (!row) return { status: 'not-found' };
  return openMemberBox(keys, row.member_ref, row.sealed_pii);
}

/**
 * Erases a member's PII by crypto-shredding: every key of the member's email hash is deleted,
 * so each copy sealed to those keys (loyalty view, event store) can no longer be opened, while
 * every event and view row stays. A view row still holding a box sealed to the cloud key (from
 * before resealing was configured) cannot be shredded that way, so its box is replaced.
 */
export async function eraseMemberPii(pool: Pool, schema: string, keys: MemberKeyStore, memberRef: string, now: Date) {
  const result = await keys.erase(memberRef, now);
  if (!result) return undefined;
  const { rows } = await pool.query<{ event_id: string }>(
    `SELECT event_id FROM ${schema}.loyalty_members WHERE email_hash = $1 AND sealed_pii->>'keyId' <> $2 AND sealed_pii->>'keyId' NOT LIKE 'member:%'`,
    [result.emailHash, ERASED_KEY_ID],
  );
  for (const row of rows) {
    await pool.query(`UPDATE ${schema}.loyalty_members SET sealed_pii = $2 WHERE email_hash = $1 AND event_id = $3`, [result.emailHash, JSON.stringify(erasedBox(row.event_id)), row.event_id]);
  }
  return result;
}
