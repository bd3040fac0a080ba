import type Database from 'better-sqlite3';
import type { MapEdgeBody, MapNodeBody } from '@atrium/contracts';
import { buildMapGraph, type MapGraph } from '../../core/content/mapGraph';

/** Loads the map graph from SQLite once per content version and keeps it in memory. */
export class MapGraphCache {
  private readonly nodes: Database.Statement<[], { body: string }>;
  private readonly edges: Database.Statement<[], { body: string }>;
  private cached: { stamp: string; graph: MapGraph } | undefined;

  constructor(db: Database.Database) {
    this.nodes = db.prepare('SELECT body FROM content_map_nodes ORDER BY id');
    this.edges = db.prepare('SELECT body FROM content_map_edges ORDER BY id');
  }

  /** The graph of this content version (built on first use after a page was applied). */
  graphAt(contentStamp: string): MapGraph {
    if (this.cached?.stamp !== contentStamp) {
      const graph = buildMapGraph(
        this.nodes.all().map((r) => JSON.parse(r.body) as MapNodeBody),
        this.edges.all().map((r) => JSON.parse(r.body) as MapEdgeBody),
      );
      this.cached = { stamp: contentStamp, graph };
    }
    return this.cached.graph;
  }
}
