import { createHash, hkdfSync } from 'node:crypto';
import type { ValidEvent } from '@atrium/contracts';
import type { EventApplier } from '../kafka/eventConsumer';
import { PoisonEventError } from '../kafka/failureKind';
import type { MemberKeyStore } from './memberKeyStore';
import type { PiiConfig } from './piiConfig';
import { openSealedBox, rawPublicKey, sealFields, x25519PrivateKey, x25519PublicKey, type SealedBoxValue } from './sealedBoxCrypto';

/** Key id of a box sealed to a member's own key. */
export const memberKeyId = (memberRef: string) => `member:${memberRef}`;
/** Key id of a box that holds no PII: the member was erased before the event was resealed. */
export const ERASED_KEY_ID = 'erased';

/**
 * The box that stands in for an erased member's PII: `{}` sealed to a throwaway key derived
 * from the event id, so it is deterministic (a rewrite is identical) and contract-valid.
 */
export function erasedBox(eventId: string): SealedBoxValue {
  const seed = createHash('sha256').update(`atrium/erased/${eventId}`).digest();
  return sealFields({}, x25519PublicKey(rawPublicKey(x25519PrivateKey(seed))), ERASED_KEY_ID, seed);
}

/** Turns the kiosk's box (sealed to the cloud key) into one sealed to the member's key. */
export interface PiiResealer {
  /** The event with its PII resealed (enrolments only; every other event comes back as it was). */
  reseal(event: ValidEvent): Promise<ValidEvent>;
}

type Enrolment = ValidEvent & { type: 'mall.loyalty.enrolled' };

/**
 * Opens an enrolment's box with the cloud key and seals the fields again to the member's key,
 * deterministically (seed = member key and event id), so the writer and the loyalty projection
 * produce the same bytes. A box already sealed to the member (read back from the event store) or
 * already erased passes as it is, but only if the cloud key does not open it, whatever key id it
 * names. Any other box is poison: it goes to the dead-letter topic (where a redrive can take it
 * once the key is configured) rather than into the store with PII nobody could ever erase.
 */
export function piiResealer(config: PiiConfig, keys: MemberKeyStore): PiiResealer {
  const cloudKeys = [{ keyId: config.cloudKeyId, privateKey: config.cloudPrivateKey }, ...(config.olderCloudKeys ?? [])].map((k) => ({ keyId: k.keyId, key: x25519PrivateKey(Buffer.from(k.privateKey, 'base64')) }));
  const knownIds = cloudKeys.map((k) => k.keyId).join('", "');
  /** Opens with the key the box names first, then with the others (a mislabelled box is still ours). */
  const openWithCloudKeys = (box: SealedBoxValue) => {
    const ordered = [...cloudKeys].sort((a, b) => Number(b.keyId === box.keyId) - Number(a.keyId === box.keyId));
    let last: unknown;
    for (const { key } of ordered) {
      try {
        return openSealedBox(box, key);
      } catch (error) {
        last = error;
      }
    }
    throw last;
  };
  return {
    async reseal(event) {
      if (event.type !== 'mall.loyalty.enrolled') return event;
      const enrolment = event as Enrolment;
      const { memberRef, emailHash, sealedPii } = enrolment.data;
      let fields;
      try {
        // Whatever key id it names: a box a cloud key opens is never stored as it came.
        fields = openWithCloudKeys(sealedPii);
      } catch (error) {
        if (sealedPii.keyId === memberKeyId(memberRef) || sealedPii.keyId === ERASED_KEY_ID) return event;
        const why = cloudKeys.some((k) => k.keyId === sealedPii.keyId) ? (error as Error).message : `it names key "${sealedPii.keyId}", not a cloud key ("${knownIds}")`;
        throw new PoisonEventError(`sealed PII of ${event.kioskid} #${event.sequence} does not open with the cloud key: ${why}`);
      }
      const key = await keys.keyForEnrolment(memberRef, emailHash, new Date(event.time));
      let box: SealedBoxValue;
      if (key.status === 'active') {
        const seed = Buffer.from(hkdfSync('sha256', key.raw, Buffer.from(event.id, 'utf8'), 'atrium/member-reseal/v1', 32));
        box = sealFields(fields, key.publicKey, memberKeyId(memberRef), seed);
      } else {
        box = erasedBox(event.id);
      }
      return { ...enrolment, data: { ...enrolment.data, sealedPii: box } } as ValidEvent;
    },
  };
}

/** A stage that sees enrolments only after their PII was resealed (the writer, the loyalty projection). */
export function withResealedPii(applier: EventApplier, resealer: PiiResealer): EventApplier {
  return {
    ...applier,
    apply: async (events) => applier.apply(await Promise.all(events.map((e) => resealer.reseal(e)))),
  };
}
