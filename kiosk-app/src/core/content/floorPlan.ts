import type { MapNodeBody } from '@atrium/contracts';
import type { MapArc, MapGraph } from './mapGraph';

/** A walkable line on one floor, for drawing. */
export interface FloorSegment {
  fromNodeId: string;
  toNodeId: string;
  a: { x: number; y: number };
  b: { x: number; y: number };
  kind: MapArc['kind'];
}

/** What the map screen draws for one floor. */
export interface FloorPlan {
  floor: number;
  /** Every floor of the mall, lowest first. */
  floors: number[];
  nodes: MapNodeBody[];
  segments: FloorSegment[];
  bounds: { minX: number; minY: number; maxX: number; maxY: number } | null;
}

/** One floor of the map graph: its nodes, its walkable segments (each once) and its bounds. */
export function floorPlanOf(graph: MapGraph, floor: number): FloorPlan {
  const floors = [...new Set(graph.nodes.map((n) => n.floor))].sort((a, b) => a - b);
  const nodes: MapNodeBody[] = [];
  const segments: FloorSegment[] = [];
  graph.nodes.forEach((n, i) => {
    if (n.floor !== floor) return;
    nodes.push(n);
    for (const arc of graph.arcs[i] ?? []) {
      const m = graph.nodes[arc.to]!;
      // Two-way edges appear as two arcs; draw the one from the lower index.
      const twoWay = graph.arcs[arc.to]?.some((back) => back.to === i) ?? false;
      if (m.floor !== floor || (twoWay && arc.to < i)) continue;
      segments.push({ fromNodeId: n.id, toNodeId: m.id, a: { x: n.x, y: n.y }, b: { x: m.x, y: m.y }, kind: arc.kind });
    }
  });
  const bounds =
    nodes.length === 0
      ? null
      : {
          minX: Math.min(...nodes.map((n) => n.x)),
          minY: Math.min(...nodes.map((n) => n.y)),
          maxX: Math.max(...nodes.map((n) => n.x)),
          maxY: Math.max(...nodes.map((n) => n.y)),
        };
  return { floor, floors, nodes, segments, bounds };
}
