import { useEffect, useState } from 'react';
import type { Coupon, OfferSummary } from '../../bridge';
import { QrCode } from '../components/QrCode';
import { pickText } from '../i18n/pickText';
import { useKiosk, useLang, useSessionId, useT } from '../kioskContext';

/** One offer: claim it for a coupon with a QR code, within the per-shopper limit. */
export function OfferScreen({ offerId }: { offerId: string }) {
  const { bridge } = useKiosk();
  const sessionId = useSessionId();
  const lang = useLang();
  const t = useT();
  const [offer, setOffer] = useState<OfferSummary | null>(null);
  const [coupons, setCoupons] = useState<Coupon[]>([]);
  const [error, setError] = useState<'offers.limit' | 'error.generic' | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void bridge.viewOffer({ sessionId, offerId }).then((r) => (r.ok ? setOffer(r.value) : setError('error.generic')));
  }, [bridge, sessionId, offerId]);
  if (!offer) return error ? <p role="alert">{t('error.generic')}</p> : null;
  const claim = async () => {
    setBusy(true);
    const r = await bridge.claimOffer({ sessionId, offerId });
    setBusy(false);
    if (r.ok) {
      setCoupons((c) => [...c, r.value]);
      setOffer({ ...offer, remainingForShopper: Math.max(0, offer.remainingForShopper - 1) });
      setError(null);
    } else {
      setError(r.error.code === 'CONFLICT' ? 'offers.limit' : 'error.generic');
    }
  };
  const coupon = coupons.at(-1);
  return (
    <article className="offer" data-testid="offer-detail" data-offer-id={offer.id}>
      <h1>{pickText(offer.title, lang)}</h1>
      <p>{t('offers.at', { store: offer.storeName })}</p>
      {offer.description && <p>{pickText(offer.description, lang)}</p>}
      <p>{t('offers.validTo', { date: new Date(offer.validTo).toLocaleDateString(lang) })}</p>
      {offer.soldOut ? (
        <p className="badge closed">{t('offers.soldOut')}</p>
      ) : offer.remainingForShopper > 0 ? (
        <button type="button" className="primary" disabled={busy} onClick={() => void claim()} data-testid="claim">
          {t('offers.claim')}
        </button>
      ) : (
        <p role="status" data-testid="limit-reached">
          {t('offers.limit')}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {t(error)}
        </p>
      )}
      {coupon && (
        <section className="coupon" data-testid="coupon" data-pending={String(coupon.pending)} aria-labelledby="coupon-title">
          <h2 id="coupon-title">{t('coupon.title')}</h2>
          <p className="coupon-code" data-testid="coupon-code">
            {t('coupon.code', { code: coupon.couponCode })}
          </p>
          {coupon.pending && (
            <p className="pending" role="status" data-testid="coupon-pending">
              {t('coupon.pending')}
            </p>
          )}
          <QrCode text={`ATRIUM-COUPON:${coupon.couponCode}:${coupon.claimId}`} label={t('coupon.scan')} size={160} />
        </section>
      )}
    </article>
  );
}
