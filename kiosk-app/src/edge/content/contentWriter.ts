import type Database from 'better-sqlite3';
import type { CategoryBody, ContentKind, ContentUpsert, MapNodeBody, OfferBody, StoreBody } from '@atrium/contracts';
import { StoreSearchIndex } from './storeSearchIndex';

/** The table each content kind lives in. */
export const contentTables: Record<ContentKind, string> = {
  store: 'content_stores',
  category: 'content_categories',
  offer: 'content_offers',
  'map-node': 'content_map_nodes',
  'map-edge': 'content_map_edges',
  'opening-hours': 'content_opening_hours',
  'kiosk-config': 'content_kiosk_config',
};

/** Query columns beyond id, version and body, per kind, taken from a validated body. */
function queryColumns(item: ContentUpsert): Record<string, string | number> {
  switch (item.kind) {
    case 'store': {
      const s = item.body as unknown as StoreBody;
      return { name: s.name, floor: s.floor, unit: s.unit, node_id: s.nodeId, keywords: s.keywords.join(' ') };
    }
    case 'category':
      return { name_en: (item.body as unknown as CategoryBody).name.en };
    case 'offer': {
      const o = item.body as unknown as OfferBody;
      return { store_id: o.storeId, valid_from_ms: Date.parse(o.validFrom), valid_to_ms: Date.parse(o.validTo) };
    }
    case 'map-node':
      return { floor: (item.body as unknown as MapNodeBody).floor };
    case 'map-edge':
    case 'opening-hours':
    case 'kiosk-config':
      return {};
    default: {
      const never: never = item.kind;
      throw new Error(`unhandled content kind ${String(never)}`);
    }
  }
}

/**
 * Writes validated upserts and deletes into the content tables, inside a transaction the caller
 * holds. An upsert older than the stored version is skipped, so a page delivered twice, or out
 * of order, cannot roll an item back. Full-text rows are rebuilt once, in `finish`.
 */
export class ContentWriter {
  private readonly upserts = new Map<ContentKind, Database.Statement>();
  private readonly deletes = new Map<ContentKind, Database.Statement<[string]>>();
  private readonly unlinkStore: Database.Statement<[string]>;
  private readonly linkStore: Database.Statement<[string, string]>;
  private readonly index: StoreSearchIndex;
  private readonly toReindex = new Set<string>();

  constructor(private readonly db: Database.Database) {
    this.unlinkStore = db.prepare('DELETE FROM content_store_categories WHERE store_id = ?');
    this.linkStore = db.prepare('INSERT OR IGNORE INTO content_store_categories (category_id, store_id) VALUES (?, ?)');
    this.index = new StoreSearchIndex(db);
  }

  private upsertStatement(kind: ContentKind, columns: string[]): Database.Statement {
    let statement = this.upserts.get(kind);
    if (!statement) {
      const table = contentTables[kind];
      const all = ['id', 'version', 'body', ...columns];
      statement = this.db.prepare(
        `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map((c) => `@${c}`).join(', ')})
         ON CONFLICT (id) DO UPDATE SET ${all.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}
         WHERE excluded.version >= ${table}.version`,
      );
      this.upserts.set(kind, statement);
    }
    return statement;
  }

  /** Applies one upsert; false when a newer version is already stored. */
  upsert(item: ContentUpsert): boolean {
    const columns = queryColumns(item);
    const applied = this.upsertStatement(item.kind, Object.keys(columns)).run({ id: item.id, version: item.version, body: JSON.stringify(item.body), ...columns }).changes > 0;
    if (!applied) return false;
    if (item.kind === 'store') {
      this.unlinkStore.run(item.id);
      for (const categoryId of (item.body as unknown as StoreBody).categoryIds) this.linkStore.run(categoryId, item.id);
      this.toReindex.add(item.id);
    } else if (item.kind === 'category') {
      for (const storeId of this.index.storesOf(item.id)) this.toReindex.add(storeId);
    }
    return true;
  }

  /** Applies one delete; false when there was nothing to delete. */
  delete(kind: ContentKind, id: string): boolean {
    if (kind === 'store') {
      this.index.remove(id);
      this.unlinkStore.run(id);
      this.toReindex.delete(id);
    } else if (kind === 'category') {
      for (const storeId of this.index.storesOf(id)) this.toReindex.add(storeId);
    }
    let statement = this.deletes.get(kind);
    if (!statement) {
      statement = this.db.prepare(`DELETE FROM ${contentTables[kind]} WHERE id = ?`);
      this.deletes.set(kind, statement);
    }
    return statement.run(id).changes > 0;
  }

  /** Rebuilds the full-text rows of every store touched so far. */
  finish(): void {
    this.index.reindex(this.toReindex);
    this.toReindex.clear();
  }
}
