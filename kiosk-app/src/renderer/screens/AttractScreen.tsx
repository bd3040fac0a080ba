import { useEffect, useState } from 'react';
import type { Lang } from '../../bridge';
import { languageNames } from '../i18n/messages';
import { pickText } from '../i18n/pickText';
import { useKiosk, useT } from '../kioskContext';

/** The idle loop: promotions rotate until a touch starts a session. */
export function AttractScreen({ onStart, setLanguage }: { onStart: () => void; setLanguage: (lang: Lang) => void }) {
  const { info, state } = useKiosk();
  const t = useT();
  const [index, setIndex] = useState(0);
  const offers = info.attractOffers;
  useEffect(() => {
    if (offers.length < 2) return;
    const timer = window.setInterval(() => setIndex((i) => (i + 1) % offers.length), 6000);
    return () => window.clearInterval(timer);
  }, [offers.length]);
  const offer = offers[index % Math.max(1, offers.length)];
  return (
    <main className="attract" data-testid="attract">
      <button type="button" className="attract-start" onClick={onStart} data-testid="attract-start">
        <h1>{t('attract.welcome', { mall: info.mallName })}</h1>
        {offer && (
          <span className="attract-promo" data-testid="attract-promo">
            <span className="promo-title">{pickText(offer.title, state.language)}</span>
            <span className="promo-store">{t('offers.at', { store: offer.storeName })}</span>
          </span>
        )}
        <span className="attract-touch">{t('attract.touch')}</span>
      </button>
      <nav className="attract-languages" aria-label={t('lang.label')}>
        {info.languages.map((lang) => (
          <button type="button" key={lang} lang={lang} aria-pressed={state.language === lang} onClick={() => setLanguage(lang)}>
            {languageNames[lang]}
          </button>
        ))}
      </nav>
    </main>
  );
}
