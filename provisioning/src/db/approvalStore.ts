import type { ApprovalView } from '../api/schemas';
import type { ApprovalStatus, CloneReason } from '../enrolment/enrolmentDecision';
import type { Queryable } from './pgPool';

/** The attempt an approval is about: one token with one set of keys from one piece of hardware. */
export interface Attempt {
  tokenId: string;
  wireguardPublicKey: string;
  signingPublicKey: Buffer;
  hardwareFingerprint: string;
}

const ATTEMPT = 'token_id = $1 AND wireguard_public_key = $2 AND signing_public_key = $3 AND hardware_fingerprint = $4';
const params = (a: Attempt): unknown[] => [a.tokenId, a.wireguardPublicKey, a.signingPublicKey, a.hardwareFingerprint];

/** The approval of this exact attempt, if ops have seen it. */
export async function findApproval(db: Queryable, attempt: Attempt): Promise<{ approvalId: string; status: ApprovalStatus } | undefined> {
  const result = await db.query<{ approval_id: string; status: ApprovalStatus }>(`SELECT approval_id, status FROM atrium.enrolment_approvals WHERE ${ATTEMPT}`, params(attempt));
  const row = result.rows[0];
  return row ? { approvalId: row.approval_id, status: row.status } : undefined;
}

/** Records a flagged attempt once (a retry finds the same row); returns its id. */
export async function recordPendingApproval(
  db: Queryable,
  approvalId: string,
  attempt: Attempt,
  details: { reasons: readonly CloneReason[]; matchedDeviceIds: readonly string[]; sourceAddress: string | null },
): Promise<string> {
  await db.query(
    `INSERT INTO atrium.enrolment_approvals (approval_id, token_id, wireguard_public_key, signing_public_key, hardware_fingerprint, source_address, reasons, matched_device_ids)
     VALUES ($5, $1, $2, $3, $4, $6, $7, $8) ON CONFLICT (token_id, wireguard_public_key, signing_public_key, hardware_fingerprint) DO NOTHING`,
    [...params(attempt), approvalId, details.sourceAddress, details.reasons, details.matchedDeviceIds],
  );
  return (await findApproval(db, attempt))!.approvalId;
}

/** Marks an approved attempt done, naming the device it produced. */
export async function completeApproval(db: Queryable, approvalId: string, deviceId: string): Promise<void> {
  await db.query(`UPDATE atrium.enrolment_approvals SET status = 'completed', device_id = $2 WHERE approval_id = $1`, [approvalId, deviceId]);
}

interface ApprovalRow {
  approval_id: string;
  token_id: string;
  mall_id: string;
  kiosk_id: string;
  reasons: string[];
  matched_device_ids: string[];
  source_address: string | null;
  status: ApprovalStatus;
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  device_id: string | null;
}

const VIEW = `SELECT a.approval_id, a.token_id, t.mall_id, t.kiosk_id, a.reasons, a.matched_device_ids, a.source_address, a.status, a.created_at,
  a.decided_at, a.decided_by, a.device_id FROM atrium.enrolment_approvals a JOIN atrium.enrolment_tokens t ON t.token_id = a.token_id`;

function view(row: ApprovalRow): ApprovalView {
  return {
    approvalId: row.approval_id,
    tokenId: row.token_id,
    mallId: row.mall_id,
    kioskId: row.kiosk_id,
    reasons: row.reasons,
    matchedDeviceIds: row.matched_device_ids,
    sourceAddress: row.source_address,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
    decidedBy: row.decided_by,
    deviceId: row.device_id,
  };
}

/** Approvals, optionally of one status and mall, oldest first, bounded. */
export async function listApprovals(db: Queryable, filter: { status?: ApprovalStatus; mallId?: string; limit: number }): Promise<ApprovalView[]> {
  const result = await db.query<ApprovalRow>(`${VIEW} WHERE ($1::text IS NULL OR a.status = $1) AND ($2::text IS NULL OR t.mall_id = $2) ORDER BY a.created_at, a.approval_id LIMIT $3`, [
    filter.status ?? null,
    filter.mallId ?? null,
    filter.limit,
  ]);
  return result.rows.map(view);
}

/** One approval. */
export async function findApprovalView(db: Queryable, approvalId: string): Promise<ApprovalView | undefined> {
  const result = await db.query<ApprovalRow>(`${VIEW} WHERE a.approval_id = $1`, [approvalId]);
  return result.rows[0] ? view(result.rows[0]) : undefined;
}

/** Approves or rejects a pending approval; false when it is not pending (unknown or decided). */
export async function decideApproval(db: Queryable, approvalId: string, status: 'approved' | 'rejected', decidedBy: string, now: Date): Promise<boolean> {
  const result = await db.query(`UPDATE atrium.enrolment_approvals SET status = $2, decided_by = $3, decided_at = $4 WHERE approval_id = $1 AND status = 'pending'`, [
    approvalId,
    status,
    decidedBy,
    now,
  ]);
  return (result.rowCount ?? 0) > 0;
}
