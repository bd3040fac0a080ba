import { useEffect, useState } from 'react';
import type { OfferSummary } from '../../bridge';
import { pickText } from '../i18n/pickText';
import { useKiosk, useLang, useSessionId, useT } from '../kioskContext';

/** Every current offer; a tap opens it. */
export function OffersScreen() {
  const { bridge, dispatch } = useKiosk();
  const sessionId = useSessionId();
  const lang = useLang();
  const t = useT();
  const [offers, setOffers] = useState<OfferSummary[] | null>(null);
  useEffect(() => {
    void bridge.listOffers({ sessionId }).then((r) => r.ok && setOffers(r.value));
  }, [bridge, sessionId]);
  if (!offers) return null;
  return (
    <>
      <h1>{t('offers.title')}</h1>
      {offers.length === 0 && <p>{t('offers.none')}</p>}
      <ul className="offer-grid" data-testid="offer-list">
        {offers.map((o) => (
          <li key={o.id}>
            <button type="button" className="offer-card" onClick={() => dispatch({ type: 'navigated', screen: { name: 'offer', offerId: o.id } })} data-offer-id={o.id}>
              <span className="offer-title">{pickText(o.title, lang)}</span>
              <span className="offer-store">{t('offers.at', { store: o.storeName })}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
