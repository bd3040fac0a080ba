import type { MapEdgeBody, MapNodeBody } from '@atrium/contracts';

/** A way out of a node: the node it leads to (by index), how long it is, and how it is walked. */
export interface MapArc {
  to: number;
  lengthM: number;
  kind: MapEdgeBody['kind'];
}

/** The mall map as an adjacency list, built once per content version and then only read. */
export interface MapGraph {
  readonly nodes: readonly MapNodeBody[];
  readonly indexById: ReadonlyMap<string, number>;
  readonly arcs: readonly (readonly MapArc[])[];
  /** Edges left out because an end is not (yet) a known node; content may arrive over several pages. */
  readonly danglingEdges: number;
}

/** Builds the graph: every edge walks both ways unless it is one-way. */
export function buildMapGraph(nodes: readonly MapNodeBody[], edges: readonly MapEdgeBody[]): MapGraph {
  const indexById = new Map<string, number>();
  nodes.forEach((n, i) => indexById.set(n.id, i));
  const arcs: MapArc[][] = nodes.map(() => []);
  let danglingEdges = 0;
  for (const e of edges) {
    const from = indexById.get(e.from);
    const to = indexById.get(e.to);
    if (from === undefined || to === undefined) {
      danglingEdges++;
      continue;
    }
    arcs[from]?.push({ to, lengthM: e.lengthM, kind: e.kind });
    if (!e.oneWay) arcs[to]?.push({ to: from, lengthM: e.lengthM, kind: e.kind });
  }
  return { nodes, indexById, arcs, danglingEdges };
}
