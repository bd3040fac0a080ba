import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exampleData, makeEvent, newEventId, validateEvent, type ValidEvent } from '@atrium/contracts';
import { PoisonEventError } from '../kafka/failureKind';
import type { MemberKey, MemberKeyStore } from './memberKeyStore';
import { openMemberBox } from './memberPii';
import { loadPiiConfig } from './piiConfig';
import { ERASED_KEY_ID, memberKeyId, piiResealer } from './piiResealer';
import { openSealedBox, rawPrivateKey, rawPublicKey, sealFields, x25519PrivateKey, x25519PublicKey, type SealedBoxValue } from './sealedBoxCrypto';

/** Member keys in memory: the same contract as the PostgreSQL store, for pure tests. */
function memoryKeyStore(): MemberKeyStore & { eraseNow(memberRef: string): void } {
  const keys = new Map<string, MemberKey>();
  const make = (): MemberKey => {
    const raw = randomBytes(32);
    const privateKey = x25519PrivateKey(raw);
    return { status: 'active', privateKey, publicKey: x25519PublicKey(rawPublicKey(privateKey)), raw };
  };
  return {
    async keyForEnrolment(memberRef) {
      if (!keys.has(memberRef)) keys.set(memberRef, make());
      return keys.get(memberRef)!;
    },
    async keyOf(memberRef) {
      return keys.get(memberRef);
    },
    async erase() {
      return undefined;
    },
    eraseNow(memberRef) {
      keys.set(memberRef, { status: 'erased' });
    },
  };
}

const cloud = generateKeyPairSync('x25519');
const config = { cloudKeyId: 'cloud-2026', cloudPrivateKey: rawPrivateKey(cloud.privateKey).toString('base64'), memberKeyWrapKey: randomBytes(32).toString('base64') };
const pii = { name: 'Ana Ruiz', email: 'ana@example.org', postcode: 'SW1A 1AA' };

function enrolment(box: SealedBoxValue, memberRef = newEventId()): ValidEvent {
  return makeEvent(
    { type: 'mall.loyalty.enrolled', data: { ...exampleData['mall.loyalty.enrolled'], memberRef, sealedPii: box } },
    { id: newEventId(), kioskId: 'mall-01-k001', sequence: 7, time: '2026-11-01T10:00:00.000Z' },
  );
}
const boxOf = (event: ValidEvent) => (event.data as { sealedPii: SealedBoxValue }).sealedPii;

describe('resealing loyalty PII to the member key', () => {
  it('given a box sealed on the kiosk to the cloud key, when resealed, then it opens only with the member key and the event stays valid', async () => {
    const keys = memoryKeyStore();
    const event = enrolment(sealFields(pii, cloud.publicKey, 'cloud-2026'));
    const resealed = await piiResealer(config, keys).reseal(event);
    const memberRef = (event.data as { memberRef: string }).memberRef;
    expect(boxOf(resealed).keyId).toBe(memberKeyId(memberRef));
    expect(await openMemberBox(keys, memberRef, boxOf(resealed))).toEqual({ status: 'open', memberRef, fields: pii });
    expect(() => openSealedBox(boxOf(resealed), cloud.privateKey)).toThrow();
    expect(validateEvent(JSON.parse(JSON.stringify(resealed))).ok).toBe(true);
    expect(JSON.stringify(resealed)).not.toContain('example.org');
  });

  it('given the same event twice, when resealed, then the bytes are identical (a redelivery rewrites the same row)', async () => {
    const keys = memoryKeyStore();
    const resealer = piiResealer(config, keys);
    const event = enrolment(sealFields(pii, cloud.publicKey, 'cloud-2026'));
    expect(boxOf(await resealer.reseal(event))).toEqual(boxOf(await resealer.reseal(event)));
  });

  it('given a box already sealed to the member (read back from the event store), when resealed, then it passes unchanged', async () => {
    const keys = memoryKeyStore();
    const resealer = piiResealer(config, keys);
    const once = await resealer.reseal(enrolment(sealFields(pii, cloud.publicKey, 'cloud-2026')));
    expect(await resealer.reseal(once)).toEqual(once);
  });

  it('given an erased member, when an enrolment of theirs is resealed, then the box holds no PII', async () => {
    const keys = memoryKeyStore();
    const memberRef = newEventId();
    keys.eraseNow(memberRef);
    const resealed = await piiResealer(config, keys).reseal(enrolment(sealFields(pii, cloud.publicKey, 'cloud-2026'), memberRef));
    expect(boxOf(resealed).keyId).toBe(ERASED_KEY_ID);
    expect(await openMemberBox(keys, memberRef, boxOf(resealed))).toEqual({ status: 'erased', memberRef });
  });

  it('given a box for an unknown key id or one that does not open, when resealed, then it is poison', async () => {
    const resealer = piiResealer(config, memoryKeyStore());
    const other = generateKeyPairSync('x25519');
    await expect(resealer.reseal(enrolment(sealFields(pii, other.publicKey, 'cloud-2019')))).rejects.toBeInstanceOf(PoisonEventError);
    await expect(resealer.reseal(enrolment(sealFields(pii, other.publicKey, 'cloud-2026')))).rejects.toBeInstanceOf(PoisonEventError);
  });

  it('given a box the cloud key opens but labelled as a member box, when resealed, then it is resealed all the same', async () => {
    const keys = memoryKeyStore();
    const memberRef = newEventId();
    const resealed = await piiResealer(config, keys).reseal(enrolment(sealFields(pii, cloud.publicKey, memberKeyId(memberRef)), memberRef));
    expect(() => openSealedBox(boxOf(resealed), cloud.privateKey)).toThrow();
    expect(await openMemberBox(keys, memberRef, boxOf(resealed))).toMatchObject({ status: 'open', fields: pii });
  });

  it('given a box sealed to the previous cloud key during a rotation, when resealed with that key still configured, then it opens', async () => {
    const previous = generateKeyPairSync('x25519');
    const rotating = { ...config, olderCloudKeys: [{ keyId: 'cloud-2025', privateKey: rawPrivateKey(previous.privateKey).toString('base64') }] };
    const keys = memoryKeyStore();
    const event = enrolment(sealFields(pii, previous.publicKey, 'cloud-2025'));
    const resealed = await piiResealer(rotating, keys).reseal(event);
    expect(await openMemberBox(keys, (event.data as { memberRef: string }).memberRef, boxOf(resealed))).toMatchObject({ status: 'open', fields: pii });
    await expect(piiResealer(config, memoryKeyStore()).reseal(event)).rejects.toBeInstanceOf(PoisonEventError);
  });

  it('reads older cloud keys from the environment', () => {
    const env = { ATRIUM_PII_CLOUD_KEY_ID: 'cloud-2026', ATRIUM_PII_CLOUD_PRIVATE_KEY: config.cloudPrivateKey, ATRIUM_PII_MEMBER_KEK: config.memberKeyWrapKey, ATRIUM_PII_OLDER_CLOUD_KEYS: `cloud-2025:${config.cloudPrivateKey}` };
    expect(loadPiiConfig(env)?.olderCloudKeys).toEqual([{ keyId: 'cloud-2025', privateKey: config.cloudPrivateKey }]);
    expect(() => loadPiiConfig({ ...env, ATRIUM_PII_OLDER_CLOUD_KEYS: 'cloud-2025:short' })).toThrow(/PII keys/);
  });

  it('given any other event, when resealed, then it is returned as it was', async () => {
    const event = makeEvent({ type: 'kiosk.heartbeat', data: exampleData['kiosk.heartbeat'] }, { id: newEventId(), kioskId: 'mall-01-k001', sequence: 1, time: '2026-11-01T10:00:00.000Z' });
    expect(await piiResealer(config, memoryKeyStore()).reseal(event)).toBe(event);
  });
});
