import type { MapArc, MapGraph } from './mapGraph';
import { MinHeap } from './minHeap';
import { describeRoute, type Route } from './routeDirections';

/** Route options: `accessible` uses lifts (and ramps) only, never stairs or escalators. */
export interface RouteOptions {
  accessible?: boolean;
}

/** Why no route came back. */
export type NoRouteReason = 'unknown-origin' | 'unknown-destination' | 'unreachable';

/** A route, or the reason there is none. */
export type RouteResult = { found: true; route: Route } | { found: false; reason: NoRouteReason };

const STEP_FREE_BLOCKED: ReadonlySet<MapArc['kind']> = new Set(['stairs', 'escalator']);

/**
 * Shortest route by walking length (Dijkstra with a binary heap, stopping at the destination).
 * Not A*: map edges may be shorter than the straight line between their nodes' drawing
 * coordinates, which would make a distance heuristic overestimate and miss the shortest route.
 */
export function findRoute(graph: MapGraph, fromNodeId: string, toNodeId: string, options: RouteOptions = {}): RouteResult {
  const from = graph.indexById.get(fromNodeId);
  const to = graph.indexById.get(toNodeId);
  if (from === undefined) return { found: false, reason: 'unknown-origin' };
  if (to === undefined) return { found: false, reason: 'unknown-destination' };
  const accessible = options.accessible ?? false;
  const n = graph.nodes.length;
  const dist = new Float64Array(n).fill(Infinity);
  const prevNode = new Int32Array(n).fill(-1);
  const prevArc: Array<MapArc | undefined> = new Array(n);
  const heap = new MinHeap();
  dist[from] = 0;
  heap.push(0, from);
  for (let top = heap.pop(); top; top = heap.pop()) {
    const { priority, value: u } = top;
    if (priority > (dist[u] as number)) continue;
    if (u === to) break;
    for (const arc of graph.arcs[u] ?? []) {
      if (accessible && STEP_FREE_BLOCKED.has(arc.kind)) continue;
      const d = priority + arc.lengthM;
      if (d < (dist[arc.to] as number)) {
        dist[arc.to] = d;
        prevNode[arc.to] = u;
        prevArc[arc.to] = arc;
        heap.push(d, arc.to);
      }
    }
  }
  if (dist[to] === Infinity) return { found: false, reason: 'unreachable' };
  const path: number[] = [to];
  const arcs: MapArc[] = [];
  for (let v = to; v !== from; v = prevNode[v] as number) {
    arcs.push(prevArc[v] as MapArc);
    path.push(prevNode[v] as number);
  }
  return { found: true, route: describeRoute(graph, path.reverse(), arcs.reverse(), accessible) };
}
