import type Database from 'better-sqlite3';
import type { CategoryBody, StoreBody } from '@atrium/contracts';
import { indexText } from '../../core/content/searchText';

/**
 * Keeps the full-text row of each store in step with the store and its categories. A store's
 * row holds its name, keywords, the names of its categories in every language and its
 * description, all normalised the same way a shopper's query is.
 */
export class StoreSearchIndex {
  private readonly storeRow: Database.Statement<[string], { doc: number; body: string }>;
  private readonly categoryBodies: Database.Statement<[string], { body: string }>;
  private readonly storesInCategory: Database.Statement<[string], { store_id: string }>;
  private readonly deleteRow: Database.Statement<[number]>;
  private readonly insertRow: Database.Statement<[number, string, string, string, string]>;

  constructor(db: Database.Database) {
    this.storeRow = db.prepare('SELECT doc, body FROM content_stores WHERE id = ?');
    this.categoryBodies = db.prepare(
      'SELECT c.body FROM content_store_categories sc JOIN content_categories c ON c.id = sc.category_id WHERE sc.store_id = ? ORDER BY c.id',
    );
    this.storesInCategory = db.prepare('SELECT store_id FROM content_store_categories WHERE category_id = ?');
    this.deleteRow = db.prepare('DELETE FROM content_store_search WHERE rowid = ?');
    this.insertRow = db.prepare('INSERT INTO content_store_search (rowid, name, keywords, categories, description) VALUES (?, ?, ?, ?, ?)');
  }

  /** The stores whose rows carry this category's names. */
  storesOf(categoryId: string): string[] {
    return this.storesInCategory.all(categoryId).map((r) => r.store_id);
  }

  /** Drops a store's row; call before the store itself is deleted. */
  remove(storeId: string): void {
    const row = this.storeRow.get(storeId);
    if (row) this.deleteRow.run(row.doc);
  }

  /** Rewrites the rows of these stores from the tables (a store no longer there is skipped). */
  reindex(storeIds: Iterable<string>): void {
    for (const id of storeIds) {
      const row = this.storeRow.get(id);
      if (!row) continue;
      const store = JSON.parse(row.body) as StoreBody;
      const categories = this.categoryBodies.all(id).map((c) => (JSON.parse(c.body) as CategoryBody).name);
      this.deleteRow.run(row.doc);
      this.insertRow.run(
        row.doc,
        indexText(store.name),
        indexText(...store.keywords),
        indexText(...categories.flatMap((n) => [n.en, n.es, n.ar])),
        indexText(store.description?.en, store.description?.es, store.description?.ar),
      );
    }
  }
}
