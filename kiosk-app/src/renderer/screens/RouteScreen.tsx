import { useEffect, useState } from 'react';
import type { FloorMap, Route, RouteStep } from '../../bridge';
import { FloorMapSvg } from '../components/FloorMapSvg';
import { QrCode } from '../components/QrCode';
import { useKiosk, useSessionId, useT } from '../kioskContext';

function stepText(t: ReturnType<typeof useT>, step: RouteStep, storeName: string): string {
  const metres = Math.round(step.distanceM);
  switch (step.kind) {
    case 'walk':
      return t('route.step.walk', { metres, floor: step.floor });
    case 'turn':
      return t(`route.step.turn-${step.direction ?? 'left'}`);
    case 'lift':
    case 'escalator':
    case 'stairs':
    case 'ramp':
      return t(`route.step.${step.kind}`, { floor: step.floor, toFloor: step.toFloor ?? step.floor });
    case 'arrive':
      return t('route.step.arrive', { store: storeName });
    default: {
      const never: never = step.kind;
      throw new Error(`Unhandled step ${String(never)}`);
    }
  }
}

/** Directions from this kiosk to a store: the path on each floor, the steps, and a QR code. */
export function RouteScreen({ storeId, accessible: initiallyAccessible }: { storeId: string; accessible: boolean }) {
  const { bridge } = useKiosk();
  const sessionId = useSessionId();
  const t = useT();
  const [accessible, setAccessible] = useState(initiallyAccessible);
  const [route, setRoute] = useState<Route | null>(null);
  const [maps, setMaps] = useState<FloorMap[]>([]);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    void (async () => {
      const r = await bridge.requestRoute({ sessionId, storeId, accessible });
      if (!live) return;
      if (!r.ok) return setFailed(true);
      setRoute(r.value);
      const floors = await Promise.all(r.value.legs.map((leg) => bridge.getFloorMap({ floor: leg.floor })));
      if (live) setMaps(floors.flatMap((f) => (f.ok ? [f.value] : [])));
    })();
    return () => {
      live = false;
    };
  }, [bridge, sessionId, storeId, accessible]);

  if (failed) return <p role="alert">{t('error.generic')}</p>;
  if (!route) return null;
  return (
    <article className="route-screen" data-testid="route" data-accessible={String(route.accessible)}>
      <h1>{t('route.title', { store: route.storeName })}</h1>
      <label className="switch">
        <input type="checkbox" checked={accessible} onChange={(e) => setAccessible(e.target.checked)} data-testid="accessible-toggle" />
        <span>{t('route.accessible')}</span>
      </label>
      <p>{t('route.total', { metres: Math.round(route.totalM) })}</p>
      <div className="route-body">
        <div className="route-maps">
          {route.legs.map((leg, i) => {
            const map = maps.find((m) => m.floor === leg.floor);
            const last = i === route.legs.length - 1 ? leg.points.at(-1) : undefined;
            return map ? <FloorMapSvg key={leg.floor} map={map} route={leg.points} {...(last ? { destination: last } : {})} title={t('map.floor', { floor: leg.floor })} /> : null;
          })}
        </div>
        <ol className="steps" data-testid="route-steps">
          {route.steps.map((step, i) => (
            <li key={i} data-kind={step.kind}>
              {stepText(t, step, route.storeName)}
            </li>
          ))}
        </ol>
        <QrCode text={route.phoneUrl} label={t('route.phone')} size={160} />
      </div>
    </article>
  );
}
