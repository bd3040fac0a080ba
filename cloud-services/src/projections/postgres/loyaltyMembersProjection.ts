import { loyaltyMemberRow } from '../reducers/loyaltyEnrolment';
import type { PgProjection } from './pgProjection';

/**
 * Loyalty members, unique per email hash. The sealed PII is stored as sealed: opening it is a
 * separate, later step (the loyalty PII service with per-member keys), which reads this table.
 */
export const loyaltyMembersProjection: PgProjection = {
  name: 'loyalty-members',
  tables: ['loyalty_members'],
  handles: (type) => type === 'mall.loyalty.enrolled',
  async applyInTransaction(client, events, table) {
    const t = table('loyalty_members');
    for (const event of events) {
      if (event.type !== 'mall.loyalty.enrolled') continue;
      const m = loyaltyMemberRow(event);
      // Earliest (time, id) keeps the identity; latest sets the consent: independent of arrival order.
      await client.query(
        `INSERT INTO ${t} AS m (email_hash, member_ref, sealed_pii, enrolled_at, event_id, kiosk_id, sequence,
                                marketing_consent, consent_text_version, consent_at, consent_event_id, enrolments)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $4, $5, 1)
         ON CONFLICT (email_hash) DO UPDATE SET
           enrolments = m.enrolments + 1,
           member_ref = CASE WHEN (excluded.enrolled_at, excluded.event_id) < (m.enrolled_at, m.event_id) THEN excluded.member_ref ELSE m.member_ref END,
           sealed_pii = CASE WHEN (excluded.enrolled_at, excluded.event_id) < (m.enrolled_at, m.event_id) THEN excluded.sealed_pii ELSE m.sealed_pii END,
           kiosk_id = CASE WHEN (excluded.enrolled_at, excluded.event_id) < (m.enrolled_at, m.event_id) THEN excluded.kiosk_id ELSE m.kiosk_id END,
           sequence = CASE WHEN (excluded.enrolled_at, excluded.event_id) < (m.enrolled_at, m.event_id) THEN excluded.sequence ELSE m.sequence END,
           event_id = CASE WHEN (excluded.enrolled_at, excluded.event_id) < (m.enrolled_at, m.event_id) THEN excluded.event_id ELSE m.event_id END,
           enrolled_at = LEAST(m.enrolled_at, excluded.enrolled_at),
           marketing_consent = CASE WHEN (excluded.consent_at, excluded.consent_event_id) > (m.consent_at, m.consent_event_id) THEN excluded.marketing_consent ELSE m.marketing_consent END,
           consent_text_version = CASE WHEN (excluded.consent_at, excluded.consent_event_id) > (m.consent_at, m.consent_event_id) THEN excluded.consent_text_version ELSE m.consent_text_version END,
           consent_event_id = CASE WHEN (excluded.consent_at, excluded.consent_event_id) > (m.consent_at, m.consent_event_id) THEN excluded.consent_event_id ELSE m.consent_event_id END,
           consent_at = GREATEST(m.consent_at, excluded.consent_at)`,
        [m.emailHash, m.memberRef, JSON.stringify(m.sealedPii), m.enrolledAt, m.eventId, m.kioskId, m.sequence, m.marketingConsent, m.consentTextVersion],
      );
    }
  },
};
