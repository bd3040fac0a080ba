import type { Lang } from '../../bridge';
import { languageNames } from '../i18n/messages';
import { useKiosk, useT } from '../kioskContext';
import { currentScreen, type A11yMode, type Screen } from '../state/kioskState';
import { HomeScreen } from './HomeScreen';
import { DirectoryScreen } from './DirectoryScreen';
import { StoreScreen } from './StoreScreen';
import { RouteScreen } from './RouteScreen';
import { MapScreen } from './MapScreen';
import { OffersScreen } from './OffersScreen';
import { OfferScreen } from './OfferScreen';
import { LoyaltyScreen } from './LoyaltyScreen';
import { FeedbackScreen } from './FeedbackScreen';

function ScreenBody({ screen }: { screen: Screen }) {
  switch (screen.name) {
    case 'home':
      return <HomeScreen />;
    case 'directory':
      return <DirectoryScreen />;
    case 'store':
      return <StoreScreen storeId={screen.storeId} />;
    case 'route':
      return <RouteScreen storeId={screen.storeId} accessible={screen.accessible} />;
    case 'map':
      return <MapScreen />;
    case 'offers':
      return <OffersScreen />;
    case 'offer':
      return <OfferScreen offerId={screen.offerId} />;
    case 'loyalty':
      return <LoyaltyScreen />;
    case 'feedback':
      return <FeedbackScreen />;
    default: {
      const never: never = screen;
      throw new Error(`Unhandled screen ${JSON.stringify(never)}`);
    }
  }
}

/** A shopper session: the screen on top of the stack, with the controls bar always in reach. */
export function SessionView({ onEnd, setLanguage, setA11y }: { onEnd: () => void; setLanguage: (lang: Lang) => void; setA11y: (mode: A11yMode, enabled: boolean) => void }) {
  const { state, dispatch, info, online } = useKiosk();
  const t = useT();
  const screen = currentScreen(state) ?? { name: 'home' };
  return (
    <div className="session">
      <main className="screen" data-testid={`screen-${screen.name}`}>
        {!online && (
          <p className="offline-badge" role="status" data-testid="offline-badge">
            {t('offline.badge')}
          </p>
        )}
        <ScreenBody screen={screen} />
      </main>
      <footer className="controls">
        <nav className="nav-buttons" aria-label={t('nav.home')}>
          {state.stack.length > 1 && (
            <button type="button" onClick={() => dispatch({ type: 'went-back' })} data-testid="nav-back">
              {t('nav.back')}
            </button>
          )}
          {screen.name !== 'home' && (
            <button type="button" onClick={() => dispatch({ type: 'went-home' })} data-testid="nav-home">
              {t('nav.home')}
            </button>
          )}
          <button type="button" onClick={onEnd} data-testid="end-session">
            {t('nav.end')}
          </button>
        </nav>
        <div className="toggles" role="group" aria-label={t('a11y.label')}>
          {(['high-contrast', 'large-text', 'reach'] as const).map((mode) => (
            <button type="button" key={mode} aria-pressed={state.a11y[mode]} onClick={() => setA11y(mode, !state.a11y[mode])} data-testid={`a11y-${mode}`}>
              {t(`a11y.${mode}`)}
            </button>
          ))}
        </div>
        <div className="languages" role="group" aria-label={t('lang.label')}>
          {info.languages.map((lang) => (
            <button type="button" key={lang} lang={lang} aria-pressed={state.language === lang} onClick={() => setLanguage(lang)} data-testid={`lang-${lang}`}>
              {languageNames[lang]}
            </button>
          ))}
        </div>
      </footer>
    </div>
  );
}
