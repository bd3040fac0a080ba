import type { EventData, EventType } from './catalogue';

const SESSION = '0190a5b2-7c3e-7d4f-8a1b-2c3d4e5f6a7b';
const HASH = 'a'.repeat(64);

/**
 * One valid `data` value for every catalogued type. The record type makes this list
 * exhaustive: a new catalogue entry does not compile until it has an example, so the
 * round-trip tests and the fleet simulator cover it automatically.
 */
export const exampleData: { [T in EventType]: EventData<T> } = {
  'mall.session.started': { sessionId: SESSION, language: 'en' },
  'mall.session.ended': { sessionId: SESSION, reason: 'idle', durationMs: 93_000 },
  'mall.directory.searched': { sessionId: SESSION, query: 'shoes', resultCount: 7 },
  'mall.store.viewed': { sessionId: SESSION, storeId: 'store-0042' },
  'mall.route.requested': { sessionId: SESSION, storeId: 'store-0042', accessible: true, steps: 5 },
  'mall.offer.viewed': { sessionId: SESSION, offerId: 'offer-7' },
  'mall.offer.claimed': {
    sessionId: SESSION,
    offerId: 'offer-7',
    claimId: '0190a5b2-7c3e-7d4f-8a1b-000000000001',
    couponCode: 'ATR-7-XK2Q',
    offline: false,
  },
  'mall.loyalty.enrolled': {
    sessionId: SESSION,
    memberRef: '0190a5b2-7c3e-7d4f-8a1b-000000000002',
    emailHash: HASH,
    sealedPii: { alg: 'X25519-HKDF-SHA256-AES256GCM', keyId: 'cloud-2026', ephemeralPublicKey: 'AAAA', nonce: 'AAAA', ciphertext: 'AAAA' },
    consent: { terms: true, marketing: false, textVersion: '2026-01' },
  },
  'mall.feedback.submitted': { sessionId: SESSION, rating: 4, comment: 'Easy to find the lifts' },
  'mall.language.changed': { sessionId: SESSION, from: 'en', to: 'ar' },
  'mall.accessibility.changed': { mode: 'high-contrast', enabled: true },
  'kiosk.heartbeat': { version: '1.4.0', uptimeS: 3600, queueDepth: 0, sessionActive: false },
  'kiosk.health.reported': { rendererUp: true, memoryRssBytes: 150_000_000, diskFreeBytes: 9_000_000_000, databaseBytes: 4_000_000 },
  'kiosk.update.available': { version: '1.5.0', fromVersion: '1.4.0', rolloutId: 'r-12' },
  'kiosk.update.downloaded': { version: '1.5.0' },
  'kiosk.update.installing': { version: '1.5.0' },
  'kiosk.update.installed': { version: '1.5.0', fromVersion: '1.4.0' },
  'kiosk.update.failed': { version: '1.5.0', reason: 'sha512 mismatch' },
  'kiosk.update.rolledback': { version: '1.4.0', fromVersion: '1.5.0', reason: 'renderer did not come up' },
  'kiosk.outbox.pressure': { level: 'warning', usedBytes: 80_000_000, budgetBytes: 100_000_000 },
  'kiosk.events.dropped': {
    reason: 'storage-pressure',
    countsByType: { 'kiosk.heartbeat': 120, 'mall.directory.searched': 3 },
    firstTime: '2026-11-01T10:00:00.000Z',
    lastTime: '2026-11-01T12:00:00.000Z',
  },
  'kiosk.store.recovered': { reason: 'integrity_check failed', quarantinedFile: 'kiosk.db.corrupt-1730000000' },
};
