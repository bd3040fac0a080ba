import { verify } from 'node:crypto';
import { AtriumError } from '@atrium/contracts';
import type pg from 'pg';
import { keyRotationProofPayload, type EnrolmentResult, type KeyRotationBody } from '../api/schemas';
import { devicesWithKeys, enrolmentResultOf, lockRotationSubject, rotateDeviceKeys } from '../db/deviceStore';
import { inTransaction } from '../db/pgPool';
import { verifyDeviceRequest, type ReceivedRequest } from '../signatures/deviceRequestSignature';
import { ed25519PublicKeyFromRaw } from './deviceKeys';

/** What key rotation needs from its surroundings. */
export interface RotationDeps {
  pool: pg.Pool;
  persistentKeepaliveS: number;
  now: () => Date;
}

/**
 * Rotates a device's keys. The request is signed with the current Ed25519 key (RFC 9421) and
 * carries a proof made with the new one; the hardware must be the enrolled hardware. The device
 * keeps its id, so nothing queued under it is lost; the hub reconciler swaps the peer. Repeating
 * a rotation that already happened (the answer was lost) is accepted with the previous key.
 */
export async function rotateKeys(deps: RotationDeps, deviceId: string, body: KeyRotationBody, request: ReceivedRequest): Promise<EnrolmentResult> {
  const newSigningKey = Buffer.from(body.signingPublicKey, 'base64url');
  return inTransaction(deps.pool, async (db) => {
    const subject = await lockRotationSubject(db, deviceId);
    if (!subject) throw new AtriumError('DEVICE_UNKNOWN', `no enrolled device ${deviceId}`);
    if (subject.status !== 'active') throw new AtriumError('DEVICE_REVOKED', 'this device was revoked; enrol it again with a new token');
    const alreadyRotated = subject.wireguardPublicKey === body.wireguardPublicKey && subject.signingPublicKey.equals(newSigningKey);
    const signerKey = alreadyRotated ? subject.previousSigningPublicKey : subject.signingPublicKey;
    if (!signerKey) throw new AtriumError('SIGNATURE_INVALID', 'the request must be signed with the key being replaced');
    await verifyDeviceRequest(request, deviceId, ed25519PublicKeyFromRaw(signerKey));
    if (subject.hardwareFingerprint !== body.hardwareFingerprint) {
      throw new AtriumError('FORBIDDEN', 'this hardware is not the hardware the device was enrolled on (a cloned disk?); enrol it with a new token');
    }
    const proof = Buffer.from(body.newKeyProof, 'base64url');
    if (!verify(null, keyRotationProofPayload(deviceId, body.wireguardPublicKey, body.signingPublicKey), ed25519PublicKeyFromRaw(newSigningKey), proof)) {
      throw new AtriumError('SIGNATURE_INVALID', 'newKeyProof is not a signature by the new signing key');
    }
    if (!alreadyRotated) {
      const holders = (await devicesWithKeys(db, body.wireguardPublicKey, newSigningKey)).filter((d) => d.deviceId !== deviceId);
      if (holders.length > 0) throw new AtriumError('CONFLICT', 'the new keys are already registered; make new keys and try again');
      await rotateDeviceKeys(db, deviceId, body.wireguardPublicKey, newSigningKey, deps.now());
    }
    return (await enrolmentResultOf(db, deviceId, deps.persistentKeepaliveS))!;
  });
}
