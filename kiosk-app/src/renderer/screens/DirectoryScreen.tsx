import { memo, useEffect, useRef, useState } from 'react';
import type { Category, StoreSummary } from '../../bridge';
import { OnScreenKeyboard } from '../components/OnScreenKeyboard';
import { pickText } from '../i18n/pickText';
import { useKiosk, useLang, useSessionId, useT } from '../kioskContext';

const RECORD_AFTER_MS = 800;

/** The store directory: results as the shopper types, narrowed by category. */
export function DirectoryScreen() {
  const { bridge, dispatch } = useKiosk();
  const sessionId = useSessionId();
  const t = useT();
  const [query, setQuery] = useState('');
  const [categoryId, setCategoryId] = useState<string | undefined>(undefined);
  const [categories, setCategories] = useState<Category[]>([]);
  const [results, setResults] = useState<{ stores: StoreSummary[]; total: number; query: string; categoryId: string | undefined } | null>(null);
  const latest = useRef(0);

  useEffect(() => {
    void bridge.listCategories({}).then((r) => r.ok && setCategories(r.value));
  }, [bridge]);

  useEffect(() => {
    const ticket = ++latest.current;
    void bridge.searchStores({ query, ...(categoryId ? { categoryId } : {}), limit: 30 }).then((r) => {
      // Keystrokes overtake each other; only the newest answer may paint.
      if (r.ok && ticket === latest.current) setResults({ ...r.value, query, categoryId });
    });
  }, [bridge, query, categoryId]);

  useEffect(() => {
    // Recorded once the shopper pauses, for the results they actually saw.
    if (!results || (results.query === '' && !results.categoryId)) return;
    const { query: seen, categoryId: seenCategory, total } = results;
    const timer = window.setTimeout(() => {
      void bridge.recordSearch({ sessionId, query: seen, ...(seenCategory ? { categoryId: seenCategory } : {}), resultCount: total });
    }, RECORD_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [bridge, sessionId, results]);

  return (
    <>
      <h1>{t('directory.title')}</h1>
      <label className="field">
        <span>{t('directory.search')}</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" spellCheck={false} data-testid="directory-search" dir="auto" />
      </label>
      <CategoryChips categories={categories} selected={categoryId} onSelect={setCategoryId} />
      <p role="status" className="result-count" data-testid="result-count">
        {results ? (results.total === 0 ? t('directory.none') : t('directory.results', { count: results.total })) : ''}
      </p>
      <ul className="results" data-testid="directory-results" data-query={results?.query ?? ''} data-category={results?.categoryId ?? ''}>
        {results?.stores.map((s) => (
          <li key={s.id}>
            <button type="button" className="result" onClick={() => dispatch({ type: 'navigated', screen: { name: 'store', storeId: s.id } })} data-store-id={s.id}>
              <span className="result-name">{s.name}</span>
              <span className="result-meta">
                {t('store.floor', { floor: s.floor })} · {s.openNow ? t('store.open') : t('store.closed')}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <OnScreenKeyboard onChange={setQuery} maxLength={200} />
    </>
  );
}

/** The category filter; memoised so typing in the search does not redraw it. */
const CategoryChips = memo(function CategoryChips({ categories, selected, onSelect }: { categories: Category[]; selected: string | undefined; onSelect: (id: string | undefined) => void }) {
  const lang = useLang();
  const t = useT();
  return (
    <div className="chips" role="group" aria-label={t('directory.title')}>
      <button type="button" aria-pressed={!selected} onClick={() => onSelect(undefined)}>
        {t('directory.all')}
      </button>
      {categories.map((c) => (
        <button type="button" key={c.id} aria-pressed={selected === c.id} onClick={() => onSelect(c.id)} data-testid={`category-${c.id}`}>
          {pickText(c.name, lang)}
        </button>
      ))}
    </div>
  );
});
