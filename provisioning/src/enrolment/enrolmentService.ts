import { randomUUID } from 'node:crypto';
import { AtriumError } from '@atrium/contracts';
import type pg from 'pg';
import type { EnrolmentBody, EnrolmentResult } from '../api/schemas';
import { completeApproval, findApproval, recordPendingApproval, type Attempt } from '../db/approvalStore';
import { activeDevicesInKiosk, activeDevicesWithFingerprint, devicesWithKeys, enrolmentResultOf, insertDevice, revokeDevices, takeOverDevice } from '../db/deviceStore';
import { inTransaction, type Queryable } from '../db/pgPool';
import { addressOf, allocateAddress, findMallPool, releaseAddress } from '../db/poolStore';
import { lockTokenByHash, markTokenUsed } from '../db/tokenStore';
import { hashEnrolmentToken, looksLikeEnrolmentToken } from '../tokens/enrolmentToken';
import { tokenState } from '../tokens/tokenState';
import { decideEnrolment, type EnrolmentDecision } from './enrolmentDecision';

/** What the enrolment service needs from its surroundings. */
export interface EnrolmentDeps {
  pool: pg.Pool;
  persistentKeepaliveS: number;
  now: () => Date;
  newDeviceId?: () => string;
}

/** Serialises enrolments that touch the same hardware or kiosk slot (taken in a fixed order). */
async function lockIdentities(db: Queryable, keys: string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7361))', [key]);
}

type Outcome = { kind: 'enrolled'; result: EnrolmentResult } | { kind: 'refused'; error: AtriumError };

/**
 * Enrols a kiosk: one transaction that checks the token (locked, so one use wins), looks for
 * clones, registers the device, gives it an address and consumes the token. A flagged attempt
 * is recorded for ops and committed before the refusal is thrown, so ops can see it.
 */
export async function enrol(deps: EnrolmentDeps, body: EnrolmentBody, sourceAddress: string | null): Promise<EnrolmentResult> {
  if (!looksLikeEnrolmentToken(body.token)) throw new AtriumError('TOKEN_INVALID', 'this is not an enrolment token; check for a typo or ask ops for a new one');
  const signingKey = Buffer.from(body.signingPublicKey, 'base64url');
  const outcome = await inTransaction<Outcome>(deps.pool, async (db) => {
    const now = deps.now();
    const token = await lockTokenByHash(db, hashEnrolmentToken(body.token));
    if (token) await lockIdentities(db, [`fp:${body.hardwareFingerprint}`, `kiosk:${token.mall_id}/${token.kiosk_id}`]);
    const attempt: Attempt | undefined = token && {
      tokenId: token.token_id,
      wireguardPublicKey: body.wireguardPublicKey,
      signingPublicKey: signingKey,
      hardwareFingerprint: body.hardwareFingerprint,
    };
    const approval = attempt ? await findApproval(db, attempt) : undefined;
    const decision: EnrolmentDecision = decideEnrolment({
      request: { ...body, expectedMallId: body.mallId, expectedKioskId: body.kioskId },
      token: token && {
        state: tokenState({ expiresAt: token.expires_at, usedAt: token.used_at, revokedAt: token.revoked_at }, now),
        mallId: token.mall_id,
        kioskId: token.kiosk_id,
        usedByDeviceId: token.used_by_device_id,
      },
      sameKeys: await devicesWithKeys(db, body.wireguardPublicKey, signingKey),
      sameFingerprint: await activeDevicesWithFingerprint(db, body.hardwareFingerprint),
      sameKiosk: token ? await activeDevicesInKiosk(db, token.mall_id, token.kiosk_id) : [],
      approval: approval?.status,
    });

    switch (decision.kind) {
      case 'refused':
        return { kind: 'refused', error: new AtriumError(decision.code, decision.detail) };
      case 'approvalRequired': {
        const approvalId = await recordPendingApproval(db, randomUUID(), attempt!, { reasons: decision.reasons, matchedDeviceIds: decision.matchedDeviceIds, sourceAddress });
        const detail = `approval ${approvalId} is waiting for ops (${decision.reasons.join(', ')}; matches ${decision.matchedDeviceIds.join(', ')}); once approved, run the same command again`;
        return { kind: 'refused', error: new AtriumError('APPROVAL_REQUIRED', detail) };
      }
      case 'replay':
        return { kind: 'enrolled', result: (await enrolmentResultOf(db, decision.deviceId, deps.persistentKeepaliveS))! };
      case 'enrol':
      case 'takeOver': {
        const mallPool = await findMallPool(db, token!.mall_id);
        if (!mallPool) throw new AtriumError('CONFLICT', `mall ${token!.mall_id} has no VPN address pool; ask ops to create one`);
        const deviceId = decision.kind === 'takeOver' ? decision.deviceId : (deps.newDeviceId ?? randomUUID)();
        await revokeDevices(db, decision.revokeDeviceIds, `replaced by ${deviceId} (approval ${approval?.approvalId ?? '-'})`, now);
        const identity = {
          deviceId,
          kioskId: token!.kiosk_id,
          mallId: token!.mall_id,
          wireguardPublicKey: body.wireguardPublicKey,
          signingPublicKey: signingKey,
          hardwareFingerprint: body.hardwareFingerprint,
          location: token!.location,
          tokenId: token!.token_id,
        };
        if (decision.kind === 'takeOver') {
          await takeOverDevice(db, identity);
          const held = await addressOf(db, deviceId);
          if (held && held.mallId !== mallPool.mallId) await releaseAddress(db, deviceId);
          if (!held || held.mallId !== mallPool.mallId) await allocateAddress(db, mallPool, deviceId);
        } else {
          await insertDevice(db, identity);
          await allocateAddress(db, mallPool, deviceId);
        }
        await markTokenUsed(db, token!.token_id, deviceId, now);
        if (approval) await completeApproval(db, approval.approvalId, deviceId);
        return { kind: 'enrolled', result: (await enrolmentResultOf(db, deviceId, deps.persistentKeepaliveS))! };
      }
      default: {
        const never: never = decision;
        throw new Error(`unknown enrolment decision ${JSON.stringify(never)}`);
      }
    }
  });
  if (outcome.kind === 'refused') throw outcome.error;
  return outcome.result;
}
