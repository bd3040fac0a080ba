import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { KioskBridge, KioskInfo, Lang } from '../bridge';
import { directionOf } from './i18n/messages';
import { KioskContext } from './kioskContext';
import { evolveKioskState, initialKioskState, type A11yMode } from './state/kioskState';
import { AttractScreen } from './screens/AttractScreen';
import { EmergencyOverlay } from './components/EmergencyOverlay';
import { TechnicianOverlay } from './components/TechnicianOverlay';
import { SessionView } from './screens/SessionView';
import { useIdleTimer } from './useIdleTimer';

/** Wipes what a shopper could have left in the page: storage, history entries, focus. */
function clearShopperTraces(): void {
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  (document.activeElement as HTMLElement | null)?.blur();
}

/** The kiosk UI: the attract loop, a shopper session, and the overlays that pre-empt both. */
export function App({ bridge, info: initialInfo }: { bridge: KioskBridge; info: KioskInfo }) {
  const [info, setInfo] = useState(initialInfo);
  const [state, dispatch] = useReducer(evolveKioskState, undefined, () => initialKioskState(info.languages[0] ?? 'en'));
  const [online, setOnline] = useState(info.online);
  // Each session renders under its own key, so no component state outlives the shopper.
  const [generation, setGeneration] = useState(0);
  const [technician, setTechnician] = useState(false);
  const sessionRef = useRef(state.session);
  sessionRef.current = state.session;

  const endSession = useCallback(
    (reason: 'idle' | 'shopper' | 'emergency') => {
      const session = sessionRef.current;
      if (!session) return;
      sessionRef.current = null;
      dispatch({ type: 'session-ended' });
      clearShopperTraces();
      setGeneration((g) => g + 1);
      void bridge.endSession({ sessionId: session.id, reason, durationMs: Math.max(0, Date.now() - session.startedAt) });
    },
    [bridge],
  );

  const startSession = useCallback(async () => {
    if (sessionRef.current) return;
    const result = await bridge.startSession({ language: state.language });
    if (result.ok) dispatch({ type: 'session-started', sessionId: result.value.sessionId, at: Date.now() });
  }, [bridge, state.language]);

  useEffect(
    () =>
      bridge.onNotice((notice) => {
        switch (notice.kind) {
          case 'urgent':
            dispatch({ type: 'urgent', message: notice.message });
            if (notice.message.kind === 'emergency') endSession('emergency');
            return;
          case 'sync':
            setOnline(notice.online);
            return;
          case 'content-changed':
            void bridge.kioskInfo({}).then((r) => r.ok && setInfo(r.value));
            return;
          default: {
            const never: never = notice;
            throw new Error(`Unhandled notice ${JSON.stringify(never)}`);
          }
        }
      }),
    [bridge, endSession],
  );

  useIdleTimer(state.session !== null && !technician, info.idleTimeoutS * 1000, () => endSession('idle'));

  useEffect(() => {
    document.documentElement.lang = state.language;
    document.documentElement.dir = directionOf(state.language);
  }, [state.language]);

  const setLanguage = (to: Lang) => {
    if (to === state.language) return;
    const from = state.language;
    dispatch({ type: 'language-set', language: to });
    void bridge.changeLanguage({ ...(state.session ? { sessionId: state.session.id } : {}), from, to });
  };
  const setA11y = (mode: A11yMode, enabled: boolean) => {
    dispatch({ type: 'a11y-set', mode, enabled });
    void bridge.changeAccessibility({ ...(state.session ? { sessionId: state.session.id } : {}), mode, enabled });
  };

  const classes = ['app', ...(['high-contrast', 'large-text', 'reach'] as const).filter((m) => state.a11y[m])].join(' ');
  return (
    <KioskContext.Provider value={{ bridge, info, state, dispatch, online }}>
      <div className={classes} data-screen={state.emergency ? 'emergency' : (state.stack.at(-1)?.name ?? 'attract')}>
        <TechnicianGesture onUnlockRequested={() => setTechnician(true)} />
        {state.session ? (
          <SessionView key={generation} onEnd={() => endSession('shopper')} setLanguage={setLanguage} setA11y={setA11y} />
        ) : (
          <AttractScreen onStart={() => void startSession()} setLanguage={setLanguage} />
        )}
        {state.emergency && <EmergencyOverlay message={state.emergency} />}
        {technician && <TechnicianOverlay onClose={() => setTechnician(false)} />}
      </div>
    </KioskContext.Provider>
  );
}

/** Five quick taps in the top corner open the technician PIN pad; shoppers never see it. */
function TechnicianGesture({ onUnlockRequested }: { onUnlockRequested: () => void }) {
  const taps = useRef<number[]>([]);
  return (
    <div
      className="tech-gesture"
      data-testid="technician-gesture"
      aria-hidden="true"
      onPointerDown={(event) => {
        event.stopPropagation();
        const now = Date.now();
        taps.current = [...taps.current.filter((t) => now - t < 3000), now];
        if (taps.current.length >= 5) {
          taps.current = [];
          onUnlockRequested();
        }
      }}
    />
  );
}
