import { describe, expect, it } from 'vitest';
import { decideEnrolment, type EnrolmentFacts, type KnownDevice } from './enrolmentDecision';

const request = { wireguardPublicKey: 'wg-new', signingPublicKey: 'sig-new', hardwareFingerprint: 'fp-new' };
const usableToken = { state: 'usable' as const, mallId: 'mall-a', kioskId: 'kiosk-1', usedByDeviceId: null };
const facts = (over: Partial<EnrolmentFacts> = {}): EnrolmentFacts => ({ request, token: usableToken, sameKeys: [], sameFingerprint: [], sameKiosk: [], approval: undefined, ...over });
const device = (over: Partial<KnownDevice>): KnownDevice => ({
  deviceId: 'dev-old',
  status: 'active',
  mallId: 'mall-a',
  kioskId: 'kiosk-1',
  wireguardPublicKey: 'wg-old',
  signingPublicKey: 'sig-old',
  hardwareFingerprint: 'fp-old',
  ...over,
});

describe('enrolment decision: tokens', () => {
  it('given a usable token and nothing known, when a kiosk enrols, then it is enrolled', () => {
    expect(decideEnrolment(facts())).toEqual({ kind: 'enrol', revokeDeviceIds: [] });
  });

  it('given no such token, when a kiosk enrols, then TOKEN_INVALID', () => {
    expect(decideEnrolment(facts({ token: undefined }))).toMatchObject({ kind: 'refused', code: 'TOKEN_INVALID' });
  });

  it('given a token for another mall, when the technician names their mall, then TOKEN_SCOPE_MISMATCH', () => {
    expect(decideEnrolment(facts({ request: { ...request, expectedMallId: 'mall-b' } }))).toMatchObject({ kind: 'refused', code: 'TOKEN_SCOPE_MISMATCH' });
    expect(decideEnrolment(facts({ request: { ...request, expectedKioskId: 'kiosk-9' } }))).toMatchObject({ kind: 'refused', code: 'TOKEN_SCOPE_MISMATCH' });
  });

  it('given an expired or revoked token, when a kiosk enrols, then TOKEN_EXPIRED or TOKEN_INVALID', () => {
    expect(decideEnrolment(facts({ token: { ...usableToken, state: 'expired' } }))).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(decideEnrolment(facts({ token: { ...usableToken, state: 'revoked' } }))).toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('given a used token, when another kiosk presents it, then TOKEN_USED', () => {
    const owner = device({ deviceId: 'dev-1', wireguardPublicKey: 'wg-x', signingPublicKey: 'sig-x', hardwareFingerprint: 'fp-x' });
    expect(decideEnrolment(facts({ token: { ...usableToken, state: 'used', usedByDeviceId: 'dev-1' }, sameKeys: [] }))).toMatchObject({ code: 'TOKEN_USED' });
    expect(decideEnrolment(facts({ token: { ...usableToken, state: 'used', usedByDeviceId: 'dev-1' }, sameKeys: [{ ...owner, wireguardPublicKey: 'wg-new' }] }))).toMatchObject({
      code: 'TOKEN_USED',
    });
  });

  it('given a used token, when the same kiosk repeats the same request, then it gets the same enrolment again', () => {
    const owner = device({ deviceId: 'dev-1', wireguardPublicKey: 'wg-new', signingPublicKey: 'sig-new', hardwareFingerprint: 'fp-new' });
    expect(decideEnrolment(facts({ token: { ...usableToken, state: 'used', usedByDeviceId: 'dev-1' }, sameKeys: [owner] }))).toEqual({ kind: 'replay', deviceId: 'dev-1' });
    expect(decideEnrolment(facts({ token: { ...usableToken, state: 'used', usedByDeviceId: 'dev-1' }, sameKeys: [{ ...owner, status: 'revoked' }] }))).toMatchObject({ code: 'TOKEN_USED' });
  });
});

describe('enrolment decision: clones and re-enrolments', () => {
  it('given keys already registered elsewhere (a cloned disk), when enrolling, then ops approval is required', () => {
    const clone = device({ wireguardPublicKey: 'wg-new', signingPublicKey: 'sig-new', hardwareFingerprint: 'fp-other' });
    expect(decideEnrolment(facts({ sameKeys: [clone] }))).toEqual({ kind: 'approvalRequired', reasons: ['keys-registered'], matchedDeviceIds: ['dev-old'] });
  });

  it('given live hardware or an occupied kiosk slot, when enrolling new keys, then ops approval is required', () => {
    const live = device({ hardwareFingerprint: 'fp-new' });
    expect(decideEnrolment(facts({ sameFingerprint: [live], sameKiosk: [live] }))).toEqual({ kind: 'approvalRequired', reasons: ['fingerprint-live', 'kiosk-live'], matchedDeviceIds: ['dev-old'] });
  });

  it('given a pending approval, when the kiosk retries, then it still waits', () => {
    expect(decideEnrolment(facts({ sameKiosk: [device({})], approval: 'pending' }))).toMatchObject({ kind: 'approvalRequired' });
  });

  it('given a rejected approval, when the kiosk retries, then APPROVAL_REJECTED', () => {
    expect(decideEnrolment(facts({ sameKiosk: [device({})], approval: 'rejected' }))).toMatchObject({ kind: 'refused', code: 'APPROVAL_REJECTED' });
  });

  it('given approval for new keys in a live slot, when the kiosk retries, then a new device replaces the live one', () => {
    expect(decideEnrolment(facts({ sameKiosk: [device({})], approval: 'approved' }))).toEqual({ kind: 'enrol', revokeDeviceIds: ['dev-old'] });
  });

  it('given approval for known keys, when the kiosk retries, then that device is taken over and keeps its id', () => {
    const known = device({ deviceId: 'dev-7', wireguardPublicKey: 'wg-new', signingPublicKey: 'sig-new', hardwareFingerprint: 'fp-new' });
    const otherInSlot = device({ deviceId: 'dev-8' });
    expect(decideEnrolment(facts({ sameKeys: [known], sameFingerprint: [known], sameKiosk: [otherInSlot], approval: 'approved' }))).toEqual({
      kind: 'takeOver',
      deviceId: 'dev-7',
      revokeDeviceIds: ['dev-8'],
    });
  });

  it('given keys split across two devices, when approved, then it is refused as a conflict', () => {
    const a = device({ deviceId: 'dev-a', wireguardPublicKey: 'wg-new' });
    const b = device({ deviceId: 'dev-b', signingPublicKey: 'sig-new' });
    expect(decideEnrolment(facts({ sameKeys: [a, b], approval: 'approved' }))).toMatchObject({ kind: 'refused', code: 'CONFLICT' });
  });
});
