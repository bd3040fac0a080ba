import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deviceSignatureProfile } from '@atrium/contracts';
import { signDeviceRequest, verifyDeviceRequest } from './deviceRequestSignature';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const url = 'http://provisioning.test/v1/devices/dev-1/key-rotations';
const body = Buffer.from('{"a":1}', 'utf8');

async function signedAgo(seconds: number): Promise<Record<string, string>> {
  return signDeviceRequest({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body }, 'dev-1', privateKey, new Date(Date.now() - seconds * 1000));
}
const check = (headers: Record<string, string>) => verifyDeviceRequest({ method: 'POST', url, headers, rawBody: body }, 'dev-1', publicKey);

describe('device request signatures on the provisioning service', () => {
  it('given a signature made a few seconds before the check (a slow network), then it verifies', async () => {
    await expect(check(await signedAgo(3))).resolves.toBeUndefined();
  });

  it('given a kiosk clock inside the skew window either way, then it verifies; outside, then SIGNATURE_EXPIRED', async () => {
    const skew = deviceSignatureProfile.maxSkewS;
    await expect(check(await signedAgo(skew - 10))).resolves.toBeUndefined();
    await expect(check(await signedAgo(-(skew - 10)))).resolves.toBeUndefined();
    await expect(check(await signedAgo(skew + 10))).rejects.toMatchObject({ code: 'SIGNATURE_EXPIRED' });
    await expect(check(await signedAgo(-(skew + 10)))).rejects.toMatchObject({ code: 'SIGNATURE_EXPIRED' });
  });

  it('given two requests signed in the same second, then their signatures differ (a nonce)', async () => {
    const now = new Date();
    const sign = () => signDeviceRequest({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body }, 'dev-1', privateKey, now);
    expect((await sign())['Signature']).not.toBe((await sign())['Signature']);
  });
});
