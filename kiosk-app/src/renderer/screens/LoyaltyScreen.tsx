import { useCallback, useState } from 'react';
import { OnScreenKeyboard } from '../components/OnScreenKeyboard';
import { useKiosk, useSessionId, useT } from '../kioskContext';
import { validateLoyalty, type LoyaltyFields } from '../state/loyaltyForm';

type TextField = 'name' | 'email' | 'postcode';
const LIMITS: Record<TextField, number> = { name: 120, email: 254, postcode: 16 };

/** Loyalty enrolment: typed on screen, checked field by field, sent only with explicit consent. */
export function LoyaltyScreen() {
  const { bridge } = useKiosk();
  const sessionId = useSessionId();
  const t = useT();
  const [fields, setFields] = useState<LoyaltyFields>({ name: '', email: '', postcode: '', terms: false, marketing: false });
  const [focused, setFocused] = useState<TextField>('name');
  const [submitted, setSubmitted] = useState(false);
  const [state, setState] = useState<'editing' | 'sending' | 'done' | 'failed'>('editing');
  const errors = submitted ? validateLoyalty(fields) : {};
  const typeIntoFocused = useCallback((update: (previous: string) => string) => setFields((f) => ({ ...f, [focused]: update(f[focused]) })), [focused]);
  if (state === 'done') {
    return (
      <p className="done" role="status" data-testid="loyalty-done">
        {t('loyalty.done')}
      </p>
    );
  }
  const set = <K extends keyof LoyaltyFields>(key: K, value: LoyaltyFields[K]) => setFields((f) => ({ ...f, [key]: value }));
  const submit = async () => {
    setSubmitted(true);
    if (Object.keys(validateLoyalty(fields)).length > 0) return;
    setState('sending');
    const r = await bridge.enrolLoyalty({
      sessionId,
      name: fields.name.trim(),
      email: fields.email.trim(),
      ...(fields.postcode.trim() ? { postcode: fields.postcode.trim() } : {}),
      consent: { terms: true, marketing: fields.marketing },
    });
    setState(r.ok ? 'done' : 'failed');
  };
  const input = (key: TextField, label: 'loyalty.name' | 'loyalty.email' | 'loyalty.postcode', type: string) => (
    <label className={focused === key ? 'field focused' : 'field'}>
      <span>{t(label)}</span>
      <input
        type={type}
        value={fields[key]}
        maxLength={LIMITS[key]}
        onFocus={() => setFocused(key)}
        onChange={(e) => set(key, e.target.value)}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `${key}-error` : undefined}
        autoComplete="off"
        dir="auto"
        data-testid={`loyalty-${key}`}
      />
      {errors[key] && (
        <span className="error" id={`${key}-error`} data-testid={`loyalty-${key}-error`}>
          {t(errors[key])}
        </span>
      )}
    </label>
  );
  return (
    <form className="loyalty" noValidate onSubmit={(e) => (e.preventDefault(), void submit())}>
      <h1>{t('loyalty.title')}</h1>
      <p className="privacy-note">{t('loyalty.privacy')}</p>
      {input('name', 'loyalty.name', 'text')}
      {input('email', 'loyalty.email', 'email')}
      {input('postcode', 'loyalty.postcode', 'text')}
      <OnScreenKeyboard onChange={typeIntoFocused} maxLength={LIMITS[focused]} />
      <label className="check">
        <input type="checkbox" checked={fields.terms} onChange={(e) => set('terms', e.target.checked)} aria-invalid={errors.terms ? true : undefined} data-testid="loyalty-terms" />
        <span>{t('loyalty.terms')}</span>
      </label>
      {errors.terms && (
        <p className="error" data-testid="loyalty-terms-error">
          {t(errors.terms)}
        </p>
      )}
      <label className="check">
        <input type="checkbox" checked={fields.marketing} onChange={(e) => set('marketing', e.target.checked)} data-testid="loyalty-marketing" />
        <span>{t('loyalty.marketing')}</span>
      </label>
      {state === 'failed' && <p role="alert">{t('error.generic')}</p>}
      <button type="submit" className="primary" disabled={state === 'sending'} data-testid="loyalty-submit">
        {t('loyalty.submit')}
      </button>
    </form>
  );
}
