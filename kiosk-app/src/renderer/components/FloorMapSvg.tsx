import type { FloorMap, Point } from '../../bridge';

const PAD = 12;

/** One floor of the mall as SVG: corridors, places, where the kiosk stands and an optional route. */
export function FloorMapSvg({ map, route, destination, highlight, title }: { map: FloorMap; route?: Point[]; destination?: Point; highlight?: string; title: string }) {
  const { minX, minY, maxX, maxY } = map.bounds;
  const viewBox = `${minX - PAD} ${minY - PAD} ${maxX - minX + 2 * PAD} ${maxY - minY + 2 * PAD}`;
  return (
    <figure className="floor-map-figure">
      <figcaption>{title}</figcaption>
      <svg className="floor-map" viewBox={viewBox} role="img" aria-label={title} data-testid={`floor-map-${map.floor}`} preserveAspectRatio="xMidYMid meet">
        <title>{title}</title>
        <g className="corridors">
          {map.corridors.map((c, i) => (
            <line key={i} x1={c.a.x} y1={c.a.y} x2={c.b.x} y2={c.b.y} />
          ))}
        </g>
        <g className="places">
          {map.places.map((p) => (
            <circle key={p.id} cx={p.x} cy={p.y} r={p.id === highlight ? 5 : p.kind === 'store' ? 1.6 : 3} className={`place place-${p.kind}${p.id === highlight ? ' target' : ''}`} />
          ))}
        </g>
        {route && route.length > 1 && <polyline className="route" points={route.map((p) => `${p.x},${p.y}`).join(' ')} data-testid="route-line" />}
        {destination && <circle className="destination" cx={destination.x} cy={destination.y} r={6} data-testid="route-destination" />}
        {map.here && <circle className="here" cx={map.here.x} cy={map.here.y} r={5} data-testid="you-are-here" />}
      </svg>
    </figure>
  );
}
