import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import type { EnrolmentBody } from '../api/schemas';
import { isProvisioningRefusal, provisioningClient, type ProvisioningClient } from '../kioskctl/provisioningClient';
import { opsClient, type OpsClient } from '../testing/opsClient';
import { cleanupRun, registerTestHub, runSuffix, startProvisioning, testKioskIdentity, type RunningProvisioning, type TestKioskIdentity } from '../testing/provisioningFixture';
import { randomTestPool, TEST_HUB_TUNNEL_ADDRESS } from '../testing/testNetworks';

const run = runSuffix();
const hubId = `hub-${run}`;
const mallA = `mall-a-${run}`;
const mallB = `mall-b-${run}`;
const mallTiny = `mall-t-${run}`;
let clock = Date.now();
let service: RunningProvisioning;
let kiosk: ProvisioningClient;
let ops: OpsClient;

const body = (token: string, id: TestKioskIdentity, extra: Partial<EnrolmentBody> = {}): EnrolmentBody => ({
  token,
  wireguardPublicKey: id.wireguardPublicKey,
  signingPublicKey: id.signingPublicKey,
  hardwareFingerprint: id.hardwareFingerprint,
  ...extra,
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

beforeAll(async () => {
  service = await startProvisioning(testEndpoints().postgresUrl, () => new Date(clock));
  kiosk = provisioningClient(service.baseUrl);
  ops = opsClient(service.baseUrl, service.adminToken);
  await registerTestHub(service.pool, hubId, TEST_HUB_TUNNEL_ADDRESS);
  await ops.setPool(mallA, hubId, randomTestPool(24));
  await ops.setPool(mallB, hubId, randomTestPool(24));
});

afterAll(async () => {
  if (!service) return;
  await cleanupRun(service.pool, [mallA, mallB, mallTiny], [hubId]);
  await service.close();
});

describe('enrolment with one-time tokens', () => {
  it('given a fresh token, when a kiosk enrols, then it is registered with a VPN address and its WireGuard settings', async () => {
    const { token } = await ops.createToken({ mallId: mallA, kioskId: 'kiosk-entrance', ttlS: 600, location: 'Level 0, main entrance' });
    const id = testKioskIdentity();
    const result = await kiosk.enrol(body(token, id, { mallId: mallA }));
    expect(result).toMatchObject({ kioskId: 'kiosk-entrance', mallId: mallA, keyGeneration: 1, gatewayUrl: `http://${TEST_HUB_TUNNEL_ADDRESS}:8443` });
    expect(result.wireguard).toMatchObject({ address: `${result.vpnAddress}/32`, allowedIps: [`${TEST_HUB_TUNNEL_ADDRESS}/32`], persistentKeepaliveS: 25 });
    const registry = await service.pool.query('SELECT status, public_key_ed25519 FROM atrium.devices WHERE device_id = $1', [result.deviceId]);
    expect(registry.rows[0].status).toBe('active');
    expect(Buffer.from(registry.rows[0].public_key_ed25519).toString('base64url')).toBe(id.signingPublicKey);
    const peers = await service.pool.query('SELECT public_key, host(allowed_ip) AS ip FROM atrium.vpn_desired_peers WHERE device_id = $1', [result.deviceId]);
    expect(peers.rows).toEqual([{ public_key: id.wireguardPublicKey, ip: result.vpnAddress }]);
  });

  it('given a token just created, when its row is read, then only its SHA-256 is stored, never the token itself', async () => {
    const { token, tokenId } = await ops.createToken({ mallId: mallA, kioskId: 'kiosk-hashed', ttlS: 600 });
    const row = await service.pool.query('SELECT to_jsonb(t) AS row, token_sha256 FROM atrium.enrolment_tokens t WHERE token_id = $1', [tokenId]);
    expect(Buffer.from(row.rows[0].token_sha256)).toEqual(createHash('sha256').update(token).digest());
    expect(JSON.stringify(row.rows[0].row)).not.toContain(token.slice('atr_enrol_'.length));
  });

  it('given a used token, when another kiosk presents it, then TOKEN_USED; when the same kiosk repeats, then the same enrolment', async () => {
    const { token } = await ops.createToken({ mallId: mallA, kioskId: 'kiosk-food-court', ttlS: 600 });
    const id = testKioskIdentity();
    const first = await kiosk.enrol(body(token, id));
    expect(await refusal(kiosk.enrol(body(token, testKioskIdentity())))).toMatchObject({ code: 'TOKEN_USED' });
    expect(await kiosk.enrol(body(token, id))).toEqual(first);
  });

  it('given a token past its expiry, when a kiosk enrols, then TOKEN_EXPIRED', async () => {
    const { token } = await ops.createToken({ mallId: mallA, kioskId: 'kiosk-late', ttlS: 60 });
    clock += 61_000;
    expect(await refusal(kiosk.enrol(body(token, testKioskIdentity())))).toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('given a token for another mall, when the technician names their mall, then TOKEN_SCOPE_MISMATCH', async () => {
    const { token } = await ops.createToken({ mallId: mallB, kioskId: 'kiosk-b1', ttlS: 600 });
    expect(await refusal(kiosk.enrol(body(token, testKioskIdentity(), { mallId: mallA })))).toMatchObject({ code: 'TOKEN_SCOPE_MISMATCH' });
  });

  it('given a revoked or unknown token, when a kiosk enrols, then TOKEN_INVALID', async () => {
    const created = await ops.createToken({ mallId: mallA, kioskId: 'kiosk-revoked', ttlS: 600 });
    expect((await ops.revokeToken(created.tokenId)).state).toBe('revoked');
    expect(await refusal(kiosk.enrol(body(created.token, testKioskIdentity())))).toMatchObject({ code: 'TOKEN_INVALID' });
    expect(await refusal(kiosk.enrol(body('atr_enrol_' + 'A'.repeat(43), testKioskIdentity())))).toMatchObject({ code: 'TOKEN_INVALID' });
    const listed = (await ops.listTokens(mallA)).tokens.find((t) => t.tokenId === created.tokenId);
    expect(listed).toMatchObject({ state: 'revoked', kioskId: 'kiosk-revoked' });
    expect(JSON.stringify(listed)).not.toContain(created.token);
  });
});

describe('address allocation under concurrency', () => {
  it('given one free address left, when eight kiosks enrol at once, then exactly one gets it and the rest hear ADDRESS_POOL_EXHAUSTED', async () => {
    await ops.setPool(mallTiny, hubId, randomTestPool(30));
    const firstToken = await ops.createToken({ mallId: mallTiny, kioskId: 'kiosk-t0', ttlS: 600 });
    const first = await kiosk.enrol(body(firstToken.token, testKioskIdentity()));
    const tokens = await Promise.all(Array.from({ length: 8 }, (_, i) => ops.createToken({ mallId: mallTiny, kioskId: `kiosk-t${i + 1}`, ttlS: 600 })));
    const outcomes = await Promise.allSettled(tokens.map((t) => kiosk.enrol(body(t.token, testKioskIdentity()))));
    const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(winners).toHaveLength(1);
    expect(winners[0]!.vpnAddress).not.toBe(first.vpnAddress);
    expect(losers.map((l) => (isProvisioningRefusal(l) ? l.problem.code : String(l)))).toEqual(Array(7).fill('ADDRESS_POOL_EXHAUSTED'));
    expect(await ops.pool(mallTiny)).toMatchObject({ capacity: 2, allocated: 2 });
    const unused = (await ops.listTokens(mallTiny)).tokens.filter((t) => t.state === 'usable');
    expect(unused).toHaveLength(7);
  });

  it('given a /27, when forty kiosks enrol at once, then thirty get distinct addresses and ten are refused', async () => {
    const mall = mallB;
    await cleanupRun(service.pool, [mall], []);
    await ops.setPool(mall, hubId, randomTestPool(27));
    const tokens = await Promise.all(Array.from({ length: 40 }, (_, i) => ops.createToken({ mallId: mall, kioskId: `kiosk-r${i}`, ttlS: 600 })));
    const outcomes = await Promise.allSettled(tokens.map((t) => kiosk.enrol(body(t.token, testKioskIdentity()))));
    const addresses = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.vpnAddress] : []));
    expect(addresses).toHaveLength(30);
    expect(new Set(addresses).size).toBe(30);
    expect(outcomes.filter((o) => o.status === 'rejected' && isProvisioningRefusal(o.reason) && o.reason.problem.code === 'ADDRESS_POOL_EXHAUSTED')).toHaveLength(10);
  });
});
