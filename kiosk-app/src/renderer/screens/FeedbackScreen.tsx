import { useState } from 'react';
import { OnScreenKeyboard } from '../components/OnScreenKeyboard';
import { useKiosk, useSessionId, useT } from '../kioskContext';

/** A rating from one to five and an optional comment. */
export function FeedbackScreen() {
  const { bridge } = useKiosk();
  const sessionId = useSessionId();
  const t = useT();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [state, setState] = useState<'editing' | 'sending' | 'sent' | 'failed'>('editing');
  if (state === 'sent') {
    return (
      <p className="done" role="status" data-testid="feedback-done">
        {t('feedback.done')}
      </p>
    );
  }
  const submit = async () => {
    setState('sending');
    const r = await bridge.submitFeedback({ sessionId, rating, ...(comment.trim() ? { comment: comment.trim() } : {}) });
    setState(r.ok ? 'sent' : 'failed');
  };
  return (
    <form className="feedback" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <h1>{t('feedback.title')}</h1>
      <fieldset className="stars">
        <legend>{t('feedback.rating')}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <button type="button" key={n} className="star" aria-pressed={rating >= n} aria-label={t('feedback.star', { n })} onClick={() => setRating(n)} data-testid={`star-${n}`}>
            {rating >= n ? '★' : '☆'}
          </button>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('feedback.comment')}</span>
        <textarea value={comment} maxLength={1000} rows={2} onChange={(e) => setComment(e.target.value)} data-testid="feedback-comment" dir="auto" />
      </label>
      <OnScreenKeyboard onChange={setComment} maxLength={1000} />
      {state === 'failed' && <p role="alert">{t('error.generic')}</p>}
      <button type="submit" className="primary" disabled={rating === 0 || state === 'sending'} data-testid="feedback-submit">
        {t('feedback.submit')}
      </button>
    </form>
  );
}
