// Test support for loyalty PII: a test key pair, kiosk-style sealed enrolments, the key tables
// in a test kit's schema, and env vars that give a child process the same keys.
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { exampleData, newEventId, type ValidEvent } from '@atrium/contracts';
import { kioskEvent, type CloudTestKit } from '../testing/cloudTestKit';
import type { PiiConfig } from './piiConfig';
import { rawPrivateKey, sealFields, type PiiFields } from './sealedBoxCrypto';

/** A fresh cloud key pair and key-encryption key, as configuration and as env vars. */
export function testPiiKeys(): { config: PiiConfig; cloudPublicKey: KeyObject; env: Record<string, string> } {
  const cloud = generateKeyPairSync('x25519');
  const config: PiiConfig = { cloudKeyId: 'cloud-test', cloudPrivateKey: rawPrivateKey(cloud.privateKey).toString('base64'), memberKeyWrapKey: randomBytes(32).toString('base64') };
  return {
    config,
    cloudPublicKey: cloud.publicKey,
    env: { ATRIUM_PII_CLOUD_KEY_ID: config.cloudKeyId, ATRIUM_PII_CLOUD_PRIVATE_KEY: config.cloudPrivateKey, ATRIUM_PII_MEMBER_KEK: config.memberKeyWrapKey },
  };
}

/** Creates the member key tables (migration 007) in the kit's schema. */
export async function addPiiTables(kit: CloudTestKit): Promise<void> {
  const s = kit.config.postgresSchema;
  for (const table of ['member_keys', 'member_erasures']) await kit.connections.pg().query(`CREATE TABLE ${s}.${table} (LIKE atrium.${table} INCLUDING ALL)`);
}

/** The email hash a kiosk sends (SHA-256 of the normalised email). */
export const emailHashOf = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

/** An enrolment as a kiosk makes it: PII sealed to the cloud key. */
export function sealedEnrolment(kioskId: string, sequence: number, pii: PiiFields & { email: string }, keys: { cloudPublicKey: KeyObject; config: PiiConfig }, options: { memberRef?: string; time?: Date } = {}): ValidEvent {
  return kioskEvent(
    kioskId,
    sequence,
    {
      type: 'mall.loyalty.enrolled',
      data: {
        ...exampleData['mall.loyalty.enrolled'],
        memberRef: options.memberRef ?? newEventId(),
        emailHash: emailHashOf(pii.email),
        sealedPii: sealFields(pii, keys.cloudPublicKey, keys.config.cloudKeyId),
      },
    },
    options.time,
  );
}
