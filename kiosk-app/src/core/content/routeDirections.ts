import type { MapArc, MapGraph } from './mapGraph';

/** Which way to turn; map coordinates are screen-like (x to the right, y downwards), as the UI draws them. */
export type TurnDirection = 'left' | 'right' | 'around';
/** How a route changes floor; a `walk` edge between floors is a ramp. */
export type FloorChangeVia = 'lift' | 'escalator' | 'stairs' | 'ramp';

/** One instruction of a route, in walking order. */
export type RouteStep =
  | { kind: 'walk'; floor: number; fromNodeId: string; toNodeId: string; distanceM: number }
  | { kind: 'turn'; floor: number; atNodeId: string; direction: TurnDirection }
  | { kind: 'change-floor'; via: FloorChangeVia; fromNodeId: string; toNodeId: string; fromFloor: number; toFloor: number; distanceM: number }
  | { kind: 'arrive'; floor: number; nodeId: string };

/** The part of a route on one floor, ready to draw on that floor's map. */
export interface FloorLeg {
  floor: number;
  nodeIds: string[];
  points: Array<{ x: number; y: number }>;
  distanceM: number;
}

/** A route from one map node to another, with directions and per-floor legs. */
export interface Route {
  fromNodeId: string;
  toNodeId: string;
  accessible: boolean;
  distanceM: number;
  nodeIds: string[];
  steps: RouteStep[];
  legs: FloorLeg[];
}

/** Heading changes below this many degrees read as going straight on. */
const STRAIGHT_DEG = 30;
const AROUND_DEG = 150;

function turnBetween(h1: [number, number], h2: [number, number]): TurnDirection | null {
  const cross = h1[0] * h2[1] - h1[1] * h2[0];
  const dot = h1[0] * h2[0] + h1[1] * h2[1];
  const deg = (Math.atan2(cross, dot) * 180) / Math.PI;
  if (Math.abs(deg) < STRAIGHT_DEG) return null;
  if (Math.abs(deg) > AROUND_DEG) return 'around';
  // With y pointing down, a positive cross product is a clockwise turn: to the right.
  return deg > 0 ? 'right' : 'left';
}

/** Turns a path (node indices and the arcs between them) into steps and per-floor legs. */
export function describeRoute(graph: MapGraph, path: readonly number[], arcs: readonly MapArc[], accessible: boolean): Route {
  const node = (i: number) => graph.nodes[path[i] as number]!;
  const first = node(0);
  const steps: RouteStep[] = [];
  const legs: FloorLeg[] = [];
  let leg: FloorLeg = { floor: first.floor, nodeIds: [first.id], points: [{ x: first.x, y: first.y }], distanceM: 0 };
  let walk: Extract<RouteStep, { kind: 'walk' }> | null = null;
  let heading: [number, number] | null = null;
  let distanceM = 0;

  arcs.forEach((arc, k) => {
    const a = node(k);
    const b = node(k + 1);
    distanceM += arc.lengthM;
    if (a.floor !== b.floor) {
      walk = null;
      heading = null;
      const via: FloorChangeVia = arc.kind === 'walk' ? 'ramp' : arc.kind;
      const last = steps.at(-1);
      // Riding one lift through several floors is one step, not one per floor.
      if (last?.kind === 'change-floor' && last.via === via && last.toNodeId === a.id) {
        // The floor passed through has nothing to draw: its one-node leg is dropped.
        Object.assign(last, { toNodeId: b.id, toFloor: b.floor, distanceM: last.distanceM + arc.lengthM });
      } else {
        steps.push({ kind: 'change-floor', via, fromNodeId: a.id, toNodeId: b.id, fromFloor: a.floor, toFloor: b.floor, distanceM: arc.lengthM });
        legs.push(leg);
      }
      leg = { floor: b.floor, nodeIds: [b.id], points: [{ x: b.x, y: b.y }], distanceM: 0 };
      return;
    }
    leg.nodeIds.push(b.id);
    leg.points.push({ x: b.x, y: b.y });
    leg.distanceM += arc.lengthM;
    const h: [number, number] = [b.x - a.x, b.y - a.y];
    const moves = h[0] !== 0 || h[1] !== 0;
    const turn = heading && moves ? turnBetween(heading, h) : null;
    if (turn) {
      steps.push({ kind: 'turn', floor: a.floor, atNodeId: a.id, direction: turn });
      walk = null;
    }
    if (moves) heading = h;
    if (walk) {
      walk.toNodeId = b.id;
      walk.distanceM += arc.lengthM;
    } else {
      walk = { kind: 'walk', floor: a.floor, fromNodeId: a.id, toNodeId: b.id, distanceM: arc.lengthM };
      steps.push(walk);
    }
  });
  legs.push(leg);
  const last = node(path.length - 1);
  steps.push({ kind: 'arrive', floor: last.floor, nodeId: last.id });
  return { fromNodeId: first.id, toNodeId: last.id, accessible, distanceM, nodeIds: path.map((i) => graph.nodes[i]!.id), steps, legs };
}
