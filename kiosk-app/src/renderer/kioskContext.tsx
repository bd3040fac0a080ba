import { createContext, useContext, type Dispatch } from 'react';
import type { KioskBridge, KioskInfo, Lang } from '../bridge';
import { translate, type MessageId } from './i18n/messages';
import type { KioskAction, KioskState } from './state/kioskState';

/** What every screen may use: the bridge, the kiosk's info, the state and its dispatch. */
export interface KioskContextValue {
  bridge: KioskBridge;
  info: KioskInfo;
  state: KioskState;
  dispatch: Dispatch<KioskAction>;
  online: boolean;
}

export const KioskContext = createContext<KioskContextValue | null>(null);

/** The kiosk context; screens are only ever rendered inside the provider. */
export function useKiosk(): KioskContextValue {
  const value = useContext(KioskContext);
  if (!value) throw new Error('useKiosk outside the kiosk provider');
  return value;
}

/** The current session id (screens that record events render only inside a session). */
export function useSessionId(): string {
  const { state } = useKiosk();
  if (!state.session) throw new Error('No session');
  return state.session.id;
}

/** A translator for the current language. */
export function useT(): (id: MessageId, params?: Record<string, string | number>) => string {
  const { state } = useKiosk();
  return (id, params) => translate(state.language, id, params);
}

/** The current language. */
export function useLang(): Lang {
  return useKiosk().state.language;
}
