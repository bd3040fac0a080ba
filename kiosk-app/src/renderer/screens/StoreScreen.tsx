import { useEffect, useState } from 'react';
import type { StoreDetail } from '../../bridge';
import { pickText } from '../i18n/pickText';
import { useKiosk, useLang, useSessionId, useT } from '../kioskContext';
import type { MessageId } from '../i18n/messages';

/** A store's page: floor, unit, hours, open now, its offers, and the way there. */
export function StoreScreen({ storeId }: { storeId: string }) {
  const { bridge, dispatch } = useKiosk();
  const sessionId = useSessionId();
  const lang = useLang();
  const t = useT();
  const [store, setStore] = useState<StoreDetail | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    void bridge.getStore({ sessionId, storeId }).then((r) => (r.ok ? setStore(r.value) : setFailed(true)));
  }, [bridge, sessionId, storeId]);
  if (failed) return <p role="alert">{t('error.generic')}</p>;
  if (!store) return null;
  const go = (accessible: boolean) => dispatch({ type: 'navigated', screen: { name: 'route', storeId, accessible } });
  return (
    <article className="store" data-testid="store-detail" data-store-id={store.id}>
      <h1>{store.name}</h1>
      <p className="store-where">
        {t('store.floor', { floor: store.floor })} · {t('store.unit', { unit: store.unit })}
      </p>
      <p className={store.openNow ? 'badge open' : 'badge closed'} data-testid="open-now">
        {store.openNow ? t('store.open') : t('store.closed')}
      </p>
      <p data-testid="hours-today">{store.today ? t('store.today', { open: store.today.open, close: store.today.close }) : t('store.closedToday')}</p>
      {store.description && <p>{pickText(store.description, lang)}</p>}
      <div className="actions">
        <button type="button" className="primary" onClick={() => go(false)} data-testid="directions">
          {t('store.directions')}
        </button>
        <button type="button" onClick={() => go(true)} data-testid="accessible-directions">
          {t('store.accessibleDirections')}
        </button>
      </div>
      <h2>{t('store.hours')}</h2>
      <table className="hours">
        <tbody>
          {store.weekly.map((d) => (
            <tr key={`${d.day}-${d.open}`}>
              <th scope="row">{t(`day.${d.day}` as MessageId)}</th>
              <td dir="ltr">
                {d.open}–{d.close}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {store.offers.length > 0 && (
        <>
          <h2>{t('store.offers')}</h2>
          <ul className="offer-list">
            {store.offers.map((o) => (
              <li key={o.id}>
                <button type="button" onClick={() => dispatch({ type: 'navigated', screen: { name: 'offer', offerId: o.id } })}>
                  {pickText(o.title, lang)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
