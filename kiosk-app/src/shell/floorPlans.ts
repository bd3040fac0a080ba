import type { MapEdgeBody, MapNodeBody } from '@atrium/contracts';
import type { FloorMap } from '../bridge';
import type { KioskStore } from '../edge';

type Plan = Omit<FloorMap, 'here'>;

/**
 * Floor plans for the map screen, drawn from the map nodes and edges in the content cache.
 * The content cache answers routes but not whole floors, so this reads its map tables
 * (read-only), builds a floor's plan the first time it is shown, and keeps it until the
 * content changes. Listing the floors is one indexed query, cheap enough for start-up.
 */
export class FloorPlans {
  private version = '';
  private floorList: number[] | null = null;
  private edges: MapEdgeBody[] | null = null;
  private readonly plans = new Map<number, Plan>();

  constructor(
    private readonly store: KioskStore,
    private readonly contentVersion: () => string,
  ) {}

  /** The floors the mall has, lowest first. */
  floors(): number[] {
    this.checkVersion();
    this.floorList ??= this.store.db
      .prepare<[], { floor: number }>('SELECT DISTINCT floor FROM content_map_nodes ORDER BY floor')
      .all()
      .map((r) => r.floor);
    return this.floorList;
  }

  /** One floor's plan, with where the kiosk stands when it is on that floor. */
  plan(floor: number, kioskNodeId: string | undefined): FloorMap | null {
    this.checkVersion();
    let plan = this.plans.get(floor);
    if (!plan) {
      const built = this.build(floor);
      if (!built) return null;
      plan = built;
      this.plans.set(floor, plan);
    }
    const here = plan.places.find((p) => p.id === kioskNodeId);
    return { ...plan, here: here ? { x: here.x, y: here.y } : null };
  }

  private checkVersion(): void {
    const version = this.contentVersion();
    if (version === this.version) return;
    this.version = version;
    this.floorList = null;
    this.edges = null;
    this.plans.clear();
  }

  private build(floor: number): Plan | null {
    const nodes = this.store.db
      .prepare<[number], { body: string }>('SELECT body FROM content_map_nodes WHERE floor = ?')
      .all(floor)
      .map((r) => JSON.parse(r.body) as MapNodeBody);
    if (nodes.length === 0) return null;
    this.edges ??= this.store.db
      .prepare<[], { body: string }>('SELECT body FROM content_map_edges')
      .all()
      .map((r) => JSON.parse(r.body) as MapEdgeBody);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const corridors = this.edges.flatMap((e) => {
      const a = byId.get(e.from);
      const b = byId.get(e.to);
      return a && b && a.kind === 'corridor' && b.kind === 'corridor' ? [{ a: { x: a.x, y: a.y }, b: { x: b.x, y: b.y } }] : [];
    });
    const places = nodes.flatMap((n) => (n.kind === 'corridor' ? [] : [{ id: n.id, kind: n.kind, x: n.x, y: n.y, ...(n.label ? { label: n.label } : {}) }]));
    const xs = nodes.map((n) => n.x);
    const ys = nodes.map((n) => n.y);
    return {
      floor,
      floors: this.floors(),
      bounds: { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) },
      corridors,
      places,
    };
  }
}
