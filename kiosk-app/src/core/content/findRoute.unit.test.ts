import { describe, expect, it } from 'vitest';
import { demoMall, type MapEdgeBody, type MapNodeBody } from '@atrium/contracts';
import { buildMapGraph } from './mapGraph';
import { findRoute } from './findRoute';
import type { Route } from './routeDirections';

const node = (id: string, floor: number, x: number, y: number, kind: MapNodeBody['kind'] = 'corridor'): MapNodeBody => ({ id, floor, x, y, kind });
const edge = (from: string, to: string, lengthM: number, kind: MapEdgeBody['kind'] = 'walk', oneWay?: boolean): MapEdgeBody => ({
  id: `${from}>${to}`,
  from,
  to,
  kind,
  lengthM,
  ...(oneWay ? { oneWay } : {}),
});

/**
 * Two floors. Ground: A(0,0) - B(10,0) - C(10,10), stairs at B, lift at S far away.
 * First: B1 above B, D1 the destination, L1 above the lift.
 */
function twoFloors() {
  const nodes = [
    node('A', 0, 0, 0),
    node('B', 0, 10, 0),
    node('C', 0, 10, 10),
    node('S0', 0, 50, 0, 'lift'),
    node('B1', 1, 10, 0, 'stairs'),
    node('D1', 1, 20, 0, 'store'),
    node('L1', 1, 50, 0, 'lift'),
    node('X', 0, 99, 99, 'store'),
  ];
  const edges = [
    edge('A', 'B', 10),
    edge('B', 'C', 10),
    edge('B', 'S0', 40),
    edge('B', 'B1', 8, 'stairs'),
    edge('S0', 'L1', 15, 'lift'),
    edge('L1', 'D1', 30),
    edge('B1', 'D1', 10),
  ];
  return buildMapGraph(nodes, edges);
}

const routeOf = (r: ReturnType<typeof findRoute>): Route => {
  if (!r.found) throw new Error(`no route: ${r.reason}`);
  return r.route;
};

describe('wayfinding', () => {
  it('given stairs beside the start, when routing upstairs, then the shortest route takes the stairs', () => {
    const route = routeOf(findRoute(twoFloors(), 'A', 'D1'));
    expect(route.nodeIds).toEqual(['A', 'B', 'B1', 'D1']);
    expect(route.distanceM).toBe(28);
    expect(route.steps).toEqual([
      { kind: 'walk', floor: 0, fromNodeId: 'A', toNodeId: 'B', distanceM: 10 },
      { kind: 'change-floor', via: 'stairs', fromNodeId: 'B', toNodeId: 'B1', fromFloor: 0, toFloor: 1, distanceM: 8 },
      { kind: 'walk', floor: 1, fromNodeId: 'B1', toNodeId: 'D1', distanceM: 10 },
      { kind: 'arrive', floor: 1, nodeId: 'D1' },
    ]);
    expect(route.legs.map((l) => [l.floor, l.nodeIds])).toEqual([
      [0, ['A', 'B']],
      [1, ['B1', 'D1']],
    ]);
  });

  it('given the accessible option, when routing upstairs, then the route avoids the stairs and takes the lift', () => {
    const route = routeOf(findRoute(twoFloors(), 'A', 'D1', { accessible: true }));
    expect(route.accessible).toBe(true);
    expect(route.nodeIds).toEqual(['A', 'B', 'S0', 'L1', 'D1']);
    expect(route.steps.filter((s) => s.kind === 'change-floor').map((s) => s.kind === 'change-floor' && s.via)).toEqual(['lift']);
    expect(route.distanceM).toBe(95);
  });

  it('given a floor reachable only by stairs, when asking for an accessible route, then it is unreachable', () => {
    const graph = buildMapGraph([node('A', 0, 0, 0), node('B', 1, 0, 0)], [edge('A', 'B', 5, 'stairs')]);
    expect(findRoute(graph, 'A', 'B', { accessible: true })).toEqual({ found: false, reason: 'unreachable' });
    expect(findRoute(graph, 'A', 'B').found).toBe(true);
  });

  it('given an escalator, when asking for an accessible route, then it is not used', () => {
    const graph = buildMapGraph([node('A', 0, 0, 0), node('B', 1, 0, 0)], [edge('A', 'B', 5, 'escalator')]);
    expect(findRoute(graph, 'A', 'B', { accessible: true })).toEqual({ found: false, reason: 'unreachable' });
  });

  it('given a node with no edges, then it is unreachable; unknown ids say which end is unknown', () => {
    expect(findRoute(twoFloors(), 'A', 'X')).toEqual({ found: false, reason: 'unreachable' });
    expect(findRoute(twoFloors(), 'nowhere', 'A')).toEqual({ found: false, reason: 'unknown-origin' });
    expect(findRoute(twoFloors(), 'A', 'nowhere')).toEqual({ found: false, reason: 'unknown-destination' });
  });

  it('given a one-way edge, then it is walked only in its direction', () => {
    const graph = buildMapGraph([node('A', 0, 0, 0), node('B', 0, 10, 0)], [edge('A', 'B', 10, 'walk', true)]);
    expect(findRoute(graph, 'A', 'B').found).toBe(true);
    expect(findRoute(graph, 'B', 'A')).toEqual({ found: false, reason: 'unreachable' });
  });

  it('given an L-shaped corridor drawn with y downwards, when walking east then south, then the directions say turn right', () => {
    const route = routeOf(findRoute(twoFloors(), 'A', 'C'));
    expect(route.steps).toEqual([
      { kind: 'walk', floor: 0, fromNodeId: 'A', toNodeId: 'B', distanceM: 10 },
      { kind: 'turn', floor: 0, atNodeId: 'B', direction: 'right' },
      { kind: 'walk', floor: 0, fromNodeId: 'B', toNodeId: 'C', distanceM: 10 },
      { kind: 'arrive', floor: 0, nodeId: 'C' },
    ]);
    expect(routeOf(findRoute(twoFloors(), 'C', 'A')).steps[1]).toEqual({ kind: 'turn', floor: 0, atNodeId: 'B', direction: 'left' });
  });

  it('given a start that is the destination, then the route is just an arrival', () => {
    expect(routeOf(findRoute(twoFloors(), 'A', 'A')).steps).toEqual([{ kind: 'arrive', floor: 0, nodeId: 'A' }]);
  });

  it('given edges whose ends are not known yet, then they are counted and left out', () => {
    expect(buildMapGraph([node('A', 0, 0, 0)], [edge('A', 'B', 1)]).danglingEdges).toBe(1);
  });

  describe('on the demo mall', () => {
    const mall = demoMall();
    const graph = buildMapGraph(
      mall.filter((u) => u.kind === 'map-node').map((u) => u.body as unknown as MapNodeBody),
      mall.filter((u) => u.kind === 'map-edge').map((u) => u.body as unknown as MapEdgeBody),
    );
    // store-0003 is on floor 2 (stores go round the floors in turn).
    const target = 'n-store-0003';

    it('given the kiosk on the ground floor, when routing to a second-floor store, then the route climbs two floors in one step and ends there', () => {
      const route = routeOf(findRoute(graph, 'n-f0-kiosk1', target));
      const changes = route.steps.filter((s) => s.kind === 'change-floor');
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ fromFloor: 0, toFloor: 2 });
      expect(route.legs.map((l) => l.floor)).toEqual([0, 2]);
      expect(route.steps.at(-1)).toEqual({ kind: 'arrive', floor: 2, nodeId: target });
      const summed = route.steps.reduce((m, s) => m + ('distanceM' in s ? s.distanceM : 0), 0);
      expect(summed).toBeCloseTo(route.distanceM);
    });

    it('given the accessible option, when routing to the same store, then only lifts change floors and the route is no shorter', () => {
      const plain = routeOf(findRoute(graph, 'n-f0-kiosk1', target));
      const accessible = routeOf(findRoute(graph, 'n-f0-kiosk1', target, { accessible: true }));
      const vias = accessible.steps.flatMap((s) => (s.kind === 'change-floor' ? [s.via] : []));
      expect(vias).toEqual(['lift']);
      expect(accessible.distanceM).toBeGreaterThanOrEqual(plain.distanceM);
    });
  });
});
