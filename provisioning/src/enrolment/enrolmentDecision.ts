import type { ErrorCode } from '@atrium/contracts';
import type { TokenState } from '../tokens/tokenState';

/** What the kiosk presents when it enrols. */
export interface EnrolmentRequest {
  wireguardPublicKey: string;
  /** Raw Ed25519 public key, base64url. */
  signingPublicKey: string;
  hardwareFingerprint: string;
  /** The mall the technician says they stand in; a token for another mall is refused. */
  expectedMallId?: string;
  /** The kiosk the technician says they enrol; a token for another kiosk is refused. */
  expectedKioskId?: string;
}

/** The stored token the request names, as far as the decision needs it. */
export interface TokenFacts {
  state: TokenState;
  mallId: string;
  kioskId: string;
  usedByDeviceId: string | null;
}

/** A registered device that shares something with the request. */
export interface KnownDevice {
  deviceId: string;
  status: 'active' | 'revoked';
  mallId: string;
  kioskId: string;
  wireguardPublicKey: string;
  signingPublicKey: string;
  hardwareFingerprint: string;
}

/** Why an enrolment looks like a clone or a re-enrolment and needs a person to decide. */
export type CloneReason = 'keys-registered' | 'fingerprint-live' | 'kiosk-live';

/** What ops decided about an earlier flagged attempt with the same token, keys and fingerprint. */
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'completed';

/** Everything the decision looks at, gathered by the adapter inside one transaction. */
export interface EnrolmentFacts {
  request: EnrolmentRequest;
  token: TokenFacts | undefined;
  /** Devices (any status) holding either of the request's public keys. */
  sameKeys: readonly KnownDevice[];
  /** Active devices with the request's hardware fingerprint. */
  sameFingerprint: readonly KnownDevice[];
  /** Active devices in the token's kiosk slot (same mall and kiosk id). */
  sameKiosk: readonly KnownDevice[];
  approval: ApprovalStatus | undefined;
}

/** The outcome of an enrolment attempt. */
export type EnrolmentDecision =
  | { kind: 'enrol'; revokeDeviceIds: string[] }
  | { kind: 'takeOver'; deviceId: string; revokeDeviceIds: string[] }
  | { kind: 'replay'; deviceId: string }
  | { kind: 'approvalRequired'; reasons: CloneReason[]; matchedDeviceIds: string[] }
  | { kind: 'refused'; code: ErrorCode; detail: string };

const uniq = (values: Iterable<string>): string[] => [...new Set(values)].sort();

function sameIdentity(device: KnownDevice, request: EnrolmentRequest): boolean {
  return device.wireguardPublicKey === request.wireguardPublicKey && device.signingPublicKey === request.signingPublicKey && device.hardwareFingerprint === request.hardwareFingerprint;
}

/**
 * Decides an enrolment. A token is good once; a repeat of the very request that used it
 * (same keys, same hardware, device still active) gets the same answer again, so a kiosk whose
 * first answer was lost can simply re-run. Keys already known, hardware already live, or a kiosk
 * slot already occupied mean a clone or a re-enrolment: it waits for ops. Once ops approved,
 * known keys take their device over (it keeps its id); new keys get a new device, and the live
 * devices they collide with are revoked in the same transaction.
 */
export function decideEnrolment(facts: EnrolmentFacts): EnrolmentDecision {
  const { request, token } = facts;
  if (!token) return { kind: 'refused', code: 'TOKEN_INVALID', detail: 'no such enrolment token; ask ops for a new one' };
  if (request.expectedMallId !== undefined && request.expectedMallId !== token.mallId) {
    return { kind: 'refused', code: 'TOKEN_SCOPE_MISMATCH', detail: `this token is for mall ${token.mallId}, not ${request.expectedMallId}` };
  }
  if (request.expectedKioskId !== undefined && request.expectedKioskId !== token.kioskId) {
    return { kind: 'refused', code: 'TOKEN_SCOPE_MISMATCH', detail: `this token is for kiosk ${token.kioskId}, not ${request.expectedKioskId}` };
  }
  switch (token.state) {
    case 'revoked':
      return { kind: 'refused', code: 'TOKEN_INVALID', detail: 'this enrolment token was revoked; ask ops for a new one' };
    case 'used': {
      const owner = facts.sameKeys.find((d) => d.deviceId === token.usedByDeviceId);
      if (owner && owner.status === 'active' && sameIdentity(owner, request)) return { kind: 'replay', deviceId: owner.deviceId };
      return { kind: 'refused', code: 'TOKEN_USED', detail: 'this enrolment token was already used; ask ops for a new one' };
    }
    case 'expired':
      return { kind: 'refused', code: 'TOKEN_EXPIRED', detail: 'this enrolment token has expired; ask ops for a new one' };
    case 'usable':
      break;
    default: {
      const never: never = token.state;
      throw new Error(`unknown token state ${String(never)}`);
    }
  }

  const reasons: CloneReason[] = [];
  if (facts.sameKeys.length > 0) reasons.push('keys-registered');
  if (facts.sameFingerprint.length > 0) reasons.push('fingerprint-live');
  if (facts.sameKiosk.length > 0) reasons.push('kiosk-live');
  if (reasons.length === 0) return { kind: 'enrol', revokeDeviceIds: [] };

  const matched = uniq([...facts.sameKeys, ...facts.sameFingerprint, ...facts.sameKiosk].map((d) => d.deviceId));
  switch (facts.approval) {
    case undefined:
    case 'pending':
      return { kind: 'approvalRequired', reasons, matchedDeviceIds: matched };
    case 'rejected':
      return { kind: 'refused', code: 'APPROVAL_REJECTED', detail: 'ops rejected this enrolment; ask ops before trying again' };
    case 'approved':
    case 'completed':
      break;
    default: {
      const never: never = facts.approval;
      throw new Error(`unknown approval status ${String(never)}`);
    }
  }

  const keyOwners = uniq(facts.sameKeys.map((d) => d.deviceId));
  if (keyOwners.length > 1) {
    return { kind: 'refused', code: 'CONFLICT', detail: `the WireGuard and signing keys belong to different devices (${keyOwners.join(', ')}); make new keys and enrol again` };
  }
  const owner = keyOwners[0];
  // The live devices this one replaces: same hardware or same kiosk slot, other than itself.
  const liveToRevoke = uniq([...facts.sameFingerprint, ...facts.sameKiosk].filter((d) => d.status === 'active' && d.deviceId !== owner).map((d) => d.deviceId));
  return owner === undefined ? { kind: 'enrol', revokeDeviceIds: liveToRevoke } : { kind: 'takeOver', deviceId: owner, revokeDeviceIds: liveToRevoke };
}
