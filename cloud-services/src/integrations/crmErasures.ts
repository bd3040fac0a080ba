import type { Pool } from 'pg';
import type { Logger } from '../log/logger';
import { CrmUnavailableError, type CrmClient } from './crmClient';

/** What one pass over the erasure outbox did. */
export interface ErasurePass {
  /** Erasures the CRM now knows of. */
  propagated: number;
  /** Erasures still waiting (the CRM was unreachable or refused). */
  waiting: number;
}

/**
 * Tells the CRM of erasures. `member_erasures` is the outbox (migration 008): for each row not yet
 * stamped, every member ref whose key that erasure shredded is deleted at the CRM, then the row is
 * stamped, unless it was erased again meanwhile (then the next pass tells the CRM again). A ref
 * enrolled after the erasure (a new consent, its key intact) is left alone. An unreachable CRM ends
 * the pass; the rows wait for the next one.
 */
export async function propagateErasures(pool: Pool, schema: string, crm: CrmClient, log: Logger, limit = 100): Promise<ErasurePass> {
  const { rows } = await pool.query<{ email_hash: string; member_ref: string; erased_at: Date }>(
    `SELECT email_hash, member_ref, erased_at FROM ${schema}.member_erasures WHERE crm_erased_at IS NULL ORDER BY erased_at LIMIT $1`,
    [limit],
  );
  let propagated = 0;
  for (const row of rows) {
    const shredded = await pool.query<{ member_ref: string }>(`SELECT member_ref FROM ${schema}.member_keys WHERE email_hash = $1 AND erased_at IS NOT NULL`, [row.email_hash]);
    const refs = new Set([row.member_ref, ...shredded.rows.map((r) => r.member_ref)]);
    try {
      for (const ref of refs) await crm.deleteMember(ref);
    } catch (error) {
      if (error instanceof CrmUnavailableError) {
        log.warn({ err: error }, 'crm: erasures wait for the CRM');
        break;
      }
      log.error({ err: error, memberRef: row.member_ref }, 'crm: the CRM refused an erasure; it will be tried again');
      continue;
    }
    await pool.query(`UPDATE ${schema}.member_erasures SET crm_erased_at = now() WHERE email_hash = $1 AND erased_at = $2 AND crm_erased_at IS NULL`, [row.email_hash, row.erased_at]);
    log.info({ memberRef: row.member_ref, refs: refs.size }, 'crm: erasure propagated');
    propagated += 1;
  }
  return { propagated, waiting: rows.length - propagated };
}
