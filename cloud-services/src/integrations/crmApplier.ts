import type { EventData, ValidEvent } from '@atrium/contracts';
import type { EventApplier } from '../kafka/eventConsumer';
import { PoisonEventError } from '../kafka/failureKind';
import type { Logger } from '../log/logger';
import type { MemberPii } from '../pii/memberPii';
import { mallOfKiosk } from '../projections/reducers/kioskMall';
import type { CrmClient, CrmMember } from './crmClient';

/** The stage name of the CRM forwarder (consumer group `<prefix>.integration.crm`, dead-letter headers). */
export const CRM_STAGE = 'crm-forwarder';

/** The member as the CRM gets it: the enrolment, plus the PII read through the member's key. */
export function crmMemberOf(event: ValidEvent & { type: 'mall.loyalty.enrolled' }, fields: Record<string, string>): CrmMember {
  const data: EventData<'mall.loyalty.enrolled'> = event.data;
  return {
    memberRef: data.memberRef,
    emailHash: data.emailHash,
    ...(fields['name'] ? { name: fields['name'] } : {}),
    ...(fields['email'] ? { email: fields['email'] } : {}),
    ...(fields['postcode'] ? { postcode: fields['postcode'] } : {}),
    marketingConsent: data.consent.marketing,
    consentTextVersion: data.consent.textVersion,
    enrolledAt: event.time,
    kioskId: event.kioskid,
    mallId: mallOfKiosk(event.kioskid),
  };
}

/**
 * Forwards enrolments, in partition order, to the CRM. The PII comes from the loyalty view through
 * the member's key (this process never holds the cloud key): until the loyalty projection has the
 * member the batch waits (a transient failure), and an erased member is not forwarded at all.
 * Redelivery sends a member again under the same idempotency key, which the CRM de-duplicates.
 */
export function crmApplier(deps: { crm: CrmClient; readPii(emailHash: string): Promise<MemberPii>; log: Logger }): EventApplier {
  return {
    stage: CRM_STAGE,
    async apply(events) {
      for (const event of events) {
        if (event.type !== 'mall.loyalty.enrolled') continue;
        const enrolment = event as ValidEvent & { type: 'mall.loyalty.enrolled' };
        const pii = await deps.readPii(enrolment.data.emailHash);
        switch (pii.status) {
          case 'open':
            await deps.crm.upsertMember(crmMemberOf(enrolment, pii.fields));
            break;
          case 'erased':
            deps.log.info({ memberRef: enrolment.data.memberRef }, 'crm: member erased, not forwarded');
            break;
          case 'not-found':
            throw new Error(`loyalty view has no member for ${event.kioskid} #${event.sequence} yet`);
          case 'not-resealed':
            throw new PoisonEventError(`PII of ${event.kioskid} #${event.sequence} is not sealed to a member key (PII keys not configured)`);
          default: {
            const unknown: never = pii;
            throw new Error(`unknown PII status ${JSON.stringify(unknown)}`);
          }
        }
      }
    },
  };
}
