import type { UrgentMessage } from '@atrium/contracts';
import type { Lang } from '../../bridge';

/** A screen of a shopper session. Navigation lives here, never in the browser history. */
export type Screen =
  | { name: 'home' }
  | { name: 'directory' }
  | { name: 'store'; storeId: string }
  | { name: 'route'; storeId: string; accessible: boolean }
  | { name: 'map' }
  | { name: 'offers' }
  | { name: 'offer'; offerId: string }
  | { name: 'loyalty' }
  | { name: 'feedback' };

/** An accessibility mode the shopper can switch. */
export type A11yMode = 'high-contrast' | 'large-text' | 'reach';

/** The whole UI state: everything here about a shopper is dropped when the session ends. */
export interface KioskState {
  session: { id: string; startedAt: number } | null;
  stack: Screen[];
  language: Lang;
  a11y: Record<A11yMode, boolean>;
  emergency: Extract<UrgentMessage, { kind: 'emergency' }> | null;
}

/** Something that happened in the UI. */
export type KioskAction =
  | { type: 'session-started'; sessionId: string; at: number }
  | { type: 'session-ended' }
  | { type: 'navigated'; screen: Screen }
  | { type: 'went-back' }
  | { type: 'went-home' }
  | { type: 'language-set'; language: Lang }
  | { type: 'a11y-set'; mode: A11yMode; enabled: boolean }
  | { type: 'urgent'; message: UrgentMessage };

export function initialKioskState(language: Lang = 'en'): KioskState {
  return { session: null, stack: [], language, a11y: { 'high-contrast': false, 'large-text': false, reach: false }, emergency: null };
}

/** Applies a UI action to the state. */
export function evolveKioskState(state: KioskState, action: KioskAction): KioskState {
  switch (action.type) {
    case 'session-started':
      return { ...state, session: { id: action.sessionId, startedAt: action.at }, stack: [{ name: 'home' }] };
    case 'session-ended':
      // Privacy: the next shopper starts from defaults, whatever this one chose.
      return { ...initialKioskState(), emergency: state.emergency };
    case 'navigated':
      return state.session ? { ...state, stack: [...state.stack, action.screen] } : state;
    case 'went-back':
      return state.stack.length > 1 ? { ...state, stack: state.stack.slice(0, -1) } : state;
    case 'went-home':
      return state.session ? { ...state, stack: [{ name: 'home' }] } : state;
    case 'language-set':
      return { ...state, language: action.language };
    case 'a11y-set':
      return { ...state, a11y: { ...state.a11y, [action.mode]: action.enabled } };
    case 'urgent':
      return evolveUrgent(state, action.message);
    default: {
      const never: never = action;
      throw new Error(`Unhandled action ${JSON.stringify(never)}`);
    }
  }
}

function evolveUrgent(state: KioskState, message: UrgentMessage): KioskState {
  switch (message.kind) {
    case 'emergency':
      return { ...state, emergency: message };
    case 'emergency-cleared':
      return state.emergency?.id === message.id ? { ...state, emergency: null } : state;
    case 'sync-now':
      return state;
    default: {
      const never: never = message;
      throw new Error(`Unhandled urgent message ${JSON.stringify(never)}`);
    }
  }
}

/** The screen on top of the stack, or null on the attract loop. */
export function currentScreen(state: KioskState): Screen | null {
  return state.session ? (state.stack[state.stack.length - 1] ?? { name: 'home' }) : null;
}
