import { describe, expect, it } from 'vitest';
import { currentScreen, evolveKioskState, initialKioskState, type KioskAction, type KioskState } from './kioskState';

const run = (actions: KioskAction[], from: KioskState = initialKioskState()) => actions.reduce(evolveKioskState, from);
const started: KioskAction = { type: 'session-started', sessionId: 's1', at: 1000 };

describe('the kiosk UI state', () => {
  it('given the attract loop, when nothing happened, then no screen and no session', () => {
    expect(currentScreen(initialKioskState())).toBeNull();
  });

  it('given a started session, when the shopper goes to a store and back, then home is on top', () => {
    const state = run([started, { type: 'navigated', screen: { name: 'directory' } }, { type: 'navigated', screen: { name: 'store', storeId: 'store-0001' } }, { type: 'went-back' }, { type: 'went-back' }]);
    expect(currentScreen(state)).toEqual({ name: 'home' });
  });

  it('given no session, when a screen is requested, then the attract loop stays', () => {
    expect(currentScreen(run([{ type: 'navigated', screen: { name: 'offers' } }]))).toBeNull();
  });

  it('given a shopper who chose Arabic and high contrast, when the session ends, then defaults return', () => {
    const state = run([started, { type: 'language-set', language: 'ar' }, { type: 'a11y-set', mode: 'high-contrast', enabled: true }, { type: 'session-ended' }]);
    expect(state).toEqual(initialKioskState());
  });

  it('given an emergency, when another id is cleared, then the emergency stays; when its id is cleared, it goes', () => {
    const emergency = { kind: 'emergency' as const, id: 'e1', message: { en: 'Evacuate' } };
    const shown = run([{ type: 'urgent', message: emergency }, { type: 'urgent', message: { kind: 'emergency-cleared', id: 'e2' } }]);
    expect(shown.emergency).toEqual(emergency);
    expect(run([{ type: 'urgent', message: { kind: 'emergency-cleared', id: 'e1' } }], shown).emergency).toBeNull();
  });

  it('given an emergency during a session, when the session ends, then the emergency is still shown', () => {
    const emergency = { kind: 'emergency' as const, id: 'e1', message: { en: 'Evacuate' } };
    expect(run([started, { type: 'urgent', message: emergency }, { type: 'session-ended' }]).emergency).toEqual(emergency);
  });
});
