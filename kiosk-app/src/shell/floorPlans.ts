import type { MapEdgeBody, MapNodeBody } from '@atrium/contracts';
import type { FloorMap } from '../bridge';
import type { KioskStore } from '../edge';

/**
 * Floor plans for the map screen, drawn from the map nodes and edges in the content cache.
 * The content cache answers routes but not whole floors, so this reads its map tables
 * (read-only) and keeps one plan per floor until the content changes.
 */
export class FloorPlans {
  private cache: { version: string; plans: Map<number, Omit<FloorMap, 'here'>>; floors: number[] } | null = null;

  constructor(
    private readonly store: KioskStore,
    private readonly contentVersion: () => string,
  ) {}

  /** The floors the mall has, lowest first. */
  floors(): number[] {
    return this.load().floors;
  }

  /** One floor's plan, with where the kiosk stands when it is on that floor. */
  plan(floor: number, kioskNodeId: string | undefined): FloorMap | null {
    const { plans } = this.load();
    const plan = plans.get(floor);
    if (!plan) return null;
    const here = plan.places.find((p) => p.id === kioskNodeId);
    return { ...plan, here: here ? { x: here.x, y: here.y } : null };
  }

  private load() {
    const version = this.contentVersion();
    if (this.cache?.version === version) return this.cache;
    const nodes = this.store.db.prepare<[], { body: string }>('SELECT body FROM content_map_nodes').all().map((r) => JSON.parse(r.body) as MapNodeBody);
    const edges = this.store.db.prepare<[], { body: string }>('SELECT body FROM content_map_edges').all().map((r) => JSON.parse(r.body) as MapEdgeBody);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const plans = new Map<number, Omit<FloorMap, 'here'>>();
    const floors = [...new Set(nodes.map((n) => n.floor))].sort((a, b) => a - b);
    for (const floor of floors) {
      const onFloor = nodes.filter((n) => n.floor === floor);
      const xs = onFloor.map((n) => n.x);
      const ys = onFloor.map((n) => n.y);
      const corridors = edges.flatMap((e) => {
        const a = byId.get(e.from);
        const b = byId.get(e.to);
        return a && b && a.floor === floor && b.floor === floor && a.kind === 'corridor' && b.kind === 'corridor' ? [{ a: { x: a.x, y: a.y }, b: { x: b.x, y: b.y } }] : [];
      });
      const places = onFloor.flatMap((n) => (n.kind === 'corridor' ? [] : [{ id: n.id, kind: n.kind, x: n.x, y: n.y, ...(n.label ? { label: n.label } : {}) }]));
      plans.set(floor, {
        floor,
        floors,
        bounds: { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) },
        corridors,
        places,
      });
    }
    this.cache = { version, plans, floors };
    return this.cache;
  }
}
