import { useEffect, useState } from 'react';
import type { FloorMap } from '../../bridge';
import { FloorMapSvg } from '../components/FloorMapSvg';
import { useKiosk, useT } from '../kioskContext';

/** The mall map, one floor at a time, starting on the kiosk's own floor. */
export function MapScreen() {
  const { bridge, info } = useKiosk();
  const t = useT();
  const [floor, setFloor] = useState(info.floors[0] ?? 0);
  const [map, setMap] = useState<FloorMap | null>(null);
  useEffect(() => {
    void bridge.getFloorMap({ floor }).then((r) => r.ok && setMap(r.value));
  }, [bridge, floor]);
  return (
    <>
      <h1>{t('map.title')}</h1>
      <div className="chips" role="group" aria-label={t('map.title')}>
        {info.floors.map((f) => (
          <button type="button" key={f} aria-pressed={f === floor} onClick={() => setFloor(f)} data-testid={`floor-${f}`}>
            {t('map.floor', { floor: f })}
          </button>
        ))}
      </div>
      {map && <FloorMapSvg map={map} title={t('map.floor', { floor: map.floor })} />}
      {map?.here && <p className="legend-here">{t('map.here')}</p>}
    </>
  );
}
