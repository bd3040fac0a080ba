import { useKiosk, useT } from '../kioskContext';
import type { Screen } from '../state/kioskState';

const tiles: Array<{ screen: Screen; label: 'home.directory' | 'home.map' | 'home.offers' | 'home.loyalty' | 'home.feedback' }> = [
  { screen: { name: 'directory' }, label: 'home.directory' },
  { screen: { name: 'map' }, label: 'home.map' },
  { screen: { name: 'offers' }, label: 'home.offers' },
  { screen: { name: 'loyalty' }, label: 'home.loyalty' },
  { screen: { name: 'feedback' }, label: 'home.feedback' },
];

/** The session's start: one large tile per journey. */
export function HomeScreen() {
  const { dispatch } = useKiosk();
  const t = useT();
  return (
    <>
      <h1>{t('home.title')}</h1>
      <div className="tiles">
        {tiles.map((tile) => (
          <button type="button" className="tile" key={tile.label} onClick={() => dispatch({ type: 'navigated', screen: tile.screen })} data-testid={`tile-${tile.screen.name}`}>
            {t(tile.label)}
          </button>
        ))}
      </div>
    </>
  );
}
