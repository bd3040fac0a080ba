import { sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { keyRotationProofPayload, type EnrolmentBody, type KeyRotationBody } from '../api/schemas';
import { isProvisioningRefusal, provisioningClient, type ProvisioningClient } from '../kioskctl/provisioningClient';
import { opsClient, type OpsClient } from '../testing/opsClient';
import { cleanupRun, registerTestHub, runSuffix, startProvisioning, testKioskIdentity, type RunningProvisioning, type TestKioskIdentity } from '../testing/provisioningFixture';
import { randomTestPool, TEST_HUB_TUNNEL_ADDRESS } from '../testing/testNetworks';

const run = runSuffix();
const hubId = `hub-${run}`;
const mall = `mall-l-${run}`;
let service: RunningProvisioning;
let kiosk: ProvisioningClient;
let ops: OpsClient;

const body = (token: string, id: TestKioskIdentity): EnrolmentBody => ({
  token,
  wireguardPublicKey: id.wireguardPublicKey,
  signingPublicKey: id.signingPublicKey,
  hardwareFingerprint: id.hardwareFingerprint,
});

async function refusal(promise: Promise<unknown>): Promise<{ code: string; detail?: string }> {
  try {
    await promise;
  } catch (error) {
    if (isProvisioningRefusal(error)) return error.problem;
    throw error;
  }
  throw new Error('expected a refusal, got success');
}

async function enrolNew(kioskId: string, id = testKioskIdentity()) {
  const { token } = await ops.createToken({ mallId: mall, kioskId, ttlS: 600 });
  return { id, token, result: await kiosk.enrol(body(token, id)) };
}

function rotationBody(deviceId: string, next: TestKioskIdentity, fingerprint: string): KeyRotationBody {
  const proof = sign(null, keyRotationProofPayload(deviceId, next.wireguardPublicKey, next.signingPublicKey), next.signingKey).toString('base64url');
  return { wireguardPublicKey: next.wireguardPublicKey, signingPublicKey: next.signingPublicKey, hardwareFingerprint: fingerprint, newKeyProof: proof };
}

const desiredPeer = async (deviceId: string) =>
  (await service.pool.query('SELECT public_key, host(allowed_ip) AS ip FROM atrium.vpn_desired_peers WHERE device_id = $1', [deviceId])).rows;

beforeAll(async () => {
  service = await startProvisioning(testEndpoints().postgresUrl);
  kiosk = provisioningClient(service.baseUrl);
  ops = opsClient(service.baseUrl, service.adminToken);
  await registerTestHub(service.pool, hubId, TEST_HUB_TUNNEL_ADDRESS);
  await ops.setPool(mall, hubId, randomTestPool(24));
});

afterAll(async () => {
  if (!service) return;
  await cleanupRun(service.pool, [mall], [hubId]);
  await service.close();
});

describe('clone detection', () => {
  it('given a cloned disk (same keys, other hardware), when it enrols with a new token, then it waits for ops; once approved it takes the device over', async () => {
    const original = await enrolNew('kiosk-clone-1');
    const clone = { ...original.id, hardwareFingerprint: testKioskIdentity().hardwareFingerprint };
    const { token } = await ops.createToken({ mallId: mall, kioskId: 'kiosk-clone-1', ttlS: 600 });
    const flagged = await refusal(kiosk.enrol(body(token, clone)));
    expect(flagged.code).toBe('APPROVAL_REQUIRED');
    expect(await refusal(kiosk.enrol(body(token, clone)))).toMatchObject({ code: 'APPROVAL_REQUIRED' });
    const pending = (await ops.approvals(mall)).approvals.filter((a) => a.status === 'pending' && a.matchedDeviceIds.includes(original.result.deviceId));
    expect(pending).toHaveLength(1);
    expect(pending[0]!.reasons).toEqual(['keys-registered', 'kiosk-live']);
    expect(pending[0]!.sourceAddress).toBe('127.0.0.1');
    expect(flagged.detail).toContain(pending[0]!.approvalId);

    await ops.approve(pending[0]!.approvalId);
    const takenOver = await kiosk.enrol(body(token, clone));
    expect(takenOver.deviceId).toBe(original.result.deviceId);
    expect(takenOver.vpnAddress).toBe(original.result.vpnAddress);
    expect((await ops.approvals(mall)).approvals.find((a) => a.approvalId === pending[0]!.approvalId)).toMatchObject({ status: 'completed', deviceId: original.result.deviceId });
  });

  it('given a live kiosk, when new hardware enrols into its slot, then ops decide: a rejection sticks, an approval replaces the old device', async () => {
    const old = await enrolNew('kiosk-slot-2');
    const replacement = testKioskIdentity();
    const rejectedToken = await ops.createToken({ mallId: mall, kioskId: 'kiosk-slot-2', ttlS: 600 });
    expect(await refusal(kiosk.enrol(body(rejectedToken.token, replacement)))).toMatchObject({ code: 'APPROVAL_REQUIRED' });
    const first = (await ops.approvals(mall)).approvals.find((a) => a.tokenId === rejectedToken.tokenId)!;
    await ops.reject(first.approvalId);
    expect(await refusal(kiosk.enrol(body(rejectedToken.token, replacement)))).toMatchObject({ code: 'APPROVAL_REJECTED' });

    const approvedToken = await ops.createToken({ mallId: mall, kioskId: 'kiosk-slot-2', ttlS: 600 });
    expect(await refusal(kiosk.enrol(body(approvedToken.token, replacement)))).toMatchObject({ code: 'APPROVAL_REQUIRED' });
    const second = (await ops.approvals(mall)).approvals.find((a) => a.tokenId === approvedToken.tokenId)!;
    expect(second.reasons).toEqual(['kiosk-live']);
    await ops.approve(second.approvalId);
    const fresh = await kiosk.enrol(body(approvedToken.token, replacement));
    expect(fresh.deviceId).not.toBe(old.result.deviceId);
    expect(await ops.device(old.result.deviceId)).toMatchObject({ status: 'revoked' });
    expect(await desiredPeer(old.result.deviceId)).toEqual([]);
  });

  it('given live hardware, when the same machine enrols new keys into another slot, then it waits for ops', async () => {
    const live = await enrolNew('kiosk-hw-3');
    const { token } = await ops.createToken({ mallId: mall, kioskId: 'kiosk-hw-4', ttlS: 600 });
    const problem = await refusal(kiosk.enrol(body(token, testKioskIdentity(live.id.hardwareFingerprint))));
    expect(problem.code).toBe('APPROVAL_REQUIRED');
    expect(problem.detail).toContain('fingerprint-live');
  });
});

describe('key rotation', () => {
  it('given an enrolled kiosk, when it rotates signed with its old key, then the device keeps its id and the hub peer switches key', async () => {
    const { id, result } = await enrolNew('kiosk-rotate-1');
    const next = testKioskIdentity(id.hardwareFingerprint);
    const rotation = rotationBody(result.deviceId, next, id.hardwareFingerprint);
    const rotated = await kiosk.rotateKeys(result.deviceId, rotation, id.signingKey, new Date());
    expect(rotated).toMatchObject({ deviceId: result.deviceId, vpnAddress: result.vpnAddress, keyGeneration: 2 });
    expect(await desiredPeer(result.deviceId)).toEqual([{ public_key: next.wireguardPublicKey, ip: result.vpnAddress }]);
    const registry = await service.pool.query('SELECT public_key_ed25519 FROM atrium.devices WHERE device_id = $1', [result.deviceId]);
    expect(Buffer.from(registry.rows[0].public_key_ed25519).toString('base64url')).toBe(next.signingPublicKey);

    // The answer was lost: the kiosk repeats the same rotation, still signed with the old key.
    expect(await kiosk.rotateKeys(result.deviceId, rotation, id.signingKey, new Date())).toMatchObject({ keyGeneration: 2 });
  });

  it('given a rotation signed by a key that is not the device key, then SIGNATURE_INVALID', async () => {
    const { id, result } = await enrolNew('kiosk-rotate-2');
    const next = testKioskIdentity(id.hardwareFingerprint);
    const problem = await refusal(kiosk.rotateKeys(result.deviceId, rotationBody(result.deviceId, next, id.hardwareFingerprint), testKioskIdentity().signingKey, new Date()));
    expect(problem.code).toBe('SIGNATURE_INVALID');
  });

  it('given a rotation signed long ago, then SIGNATURE_EXPIRED', async () => {
    const { id, result } = await enrolNew('kiosk-rotate-3');
    const next = testKioskIdentity(id.hardwareFingerprint);
    const problem = await refusal(kiosk.rotateKeys(result.deviceId, rotationBody(result.deviceId, next, id.hardwareFingerprint), id.signingKey, new Date(Date.now() - 3_600_000)));
    expect(problem.code).toBe('SIGNATURE_EXPIRED');
  });

  it('given a rotation from other hardware (a clone holding the key), then FORBIDDEN', async () => {
    const { id, result } = await enrolNew('kiosk-rotate-4');
    const next = testKioskIdentity();
    const problem = await refusal(kiosk.rotateKeys(result.deviceId, rotationBody(result.deviceId, next, next.hardwareFingerprint), id.signingKey, new Date()));
    expect(problem.code).toBe('FORBIDDEN');
  });

  it('given a new-key proof by another key, then SIGNATURE_INVALID', async () => {
    const { id, result } = await enrolNew('kiosk-rotate-5');
    const next = testKioskIdentity(id.hardwareFingerprint);
    const forged = { ...rotationBody(result.deviceId, next, id.hardwareFingerprint), newKeyProof: rotationBody(result.deviceId, testKioskIdentity(), id.hardwareFingerprint).newKeyProof };
    expect(await refusal(kiosk.rotateKeys(result.deviceId, forged, id.signingKey, new Date()))).toMatchObject({ code: 'SIGNATURE_INVALID' });
  });
});

describe('revocation and decommissioning', () => {
  it('given an active kiosk, when ops revoke it, then it leaves the hub peers but keeps its address; decommissioning releases the address', async () => {
    const { id, result } = await enrolNew('kiosk-retire-1');
    const revoked = await ops.revokeDevice(result.deviceId, 'stolen');
    expect(revoked).toMatchObject({ status: 'revoked', revokedReason: 'stolen', vpnAddress: result.vpnAddress });
    expect(await desiredPeer(result.deviceId)).toEqual([]);
    const next = testKioskIdentity(id.hardwareFingerprint);
    expect(await refusal(kiosk.rotateKeys(result.deviceId, rotationBody(result.deviceId, next, id.hardwareFingerprint), id.signingKey, new Date()))).toMatchObject({
      code: 'DEVICE_REVOKED',
    });
    const decommissioned = await ops.decommissionDevice(result.deviceId, 'removed from the mall');
    expect(decommissioned).toMatchObject({ status: 'revoked', decommissioned: true, vpnAddress: null });
  });
});
