import type Database from 'better-sqlite3';
import type { OpeningHoursBody, StoreBody } from '@atrium/contracts';
import { openStatusAt } from '../../core/content/openingHours';
import { planSearch, type SearchField } from '../../core/content/searchPlan';
import type { VocabularyTerm } from '../../core/content/typoTolerance';

/** One store in the search results, with how it matched. */
export interface StoreHit {
  id: string;
  name: string;
  floor: number;
  unit: string;
  nodeId: string;
  categoryIds: string[];
  /** `name`: every term matched the name; `any`: some matched keywords, categories or description. */
  matchedField: SearchField | 'browse';
  /** Typos per term allowed in the tier that found it (0 = exact or prefix). */
  typos: number;
  /** Open at the `openAt` instant given to the search; null when not asked or not known. */
  openNow: boolean | null;
}

/** The instant and place for `StoreHit.openNow`: the mall's time zone and its own hours (for stores without any). */
export interface OpenAt {
  now: Date;
  timeZone: string;
  mallHours: OpeningHoursBody | null;
}

/** Directory search options. */
export interface StoreSearchOptions {
  /** Only stores in this category. */
  categoryId?: string;
  /** At most this many hits (default 20, at most 100). */
  limit?: number;
}

interface HitRow {
  id: string;
  name: string;
  floor: number;
  unit: string;
  node_id: string;
  body: string;
  hours: string | null;
}

// bm25 weights per column (name, keywords, categories, description): a name match counts most.
const BM25 = 'bm25(content_store_search, 10.0, 3.0, 2.0, 1.0)';
const COLUMNS = 's.id, s.name, s.floor, s.unit, s.node_id, s.body, h.body AS hours';
const HOURS = 'LEFT JOIN content_opening_hours h ON h.id = s.id';
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/**
 * Directory search over SQLite FTS5. The pure search plan (core) turns the typed text into
 * tiers of MATCH expressions; this runs them in order, bm25-ranked within a tier, until the
 * limit is filled. The vocabulary for typo correction is read from the index once per content
 * version.
 */
export class StoreSearch {
  private readonly tierAll: Database.Statement<[string, number]>;
  private readonly tierInCategory: Database.Statement<[string, string, number]>;
  private readonly browseAll: Database.Statement<[number]>;
  private readonly browseInCategory: Database.Statement<[string, number]>;
  private readonly terms: Database.Statement<[], { term: string; doc: number }>;
  private vocabulary: { stamp: string; terms: VocabularyTerm[] } | undefined;

  constructor(db: Database.Database) {
    // Rank inside the full-text table first and join only the winners: carrying every match's
    // row through the sort costs two to three times as much on short prefixes.
    const ranked = (filter: string) =>
      `SELECT ${COLUMNS} FROM (SELECT rowid AS doc, ${BM25} AS score FROM content_store_search WHERE content_store_search MATCH ? ${filter} ORDER BY score, rowid LIMIT ?) r
       JOIN content_stores s ON s.doc = r.doc ${HOURS} ORDER BY r.score, r.doc`;
    this.tierAll = db.prepare(ranked(''));
    this.tierInCategory = db.prepare(
      ranked('AND rowid IN (SELECT s.doc FROM content_store_categories sc JOIN content_stores s ON s.id = sc.store_id WHERE sc.category_id = ?)'),
    );
    this.browseAll = db.prepare(`SELECT ${COLUMNS} FROM content_stores s ${HOURS} ORDER BY s.name COLLATE NOCASE, s.id LIMIT ?`);
    this.browseInCategory = db.prepare(
      `SELECT ${COLUMNS} FROM content_store_categories sc JOIN content_stores s ON s.id = sc.store_id ${HOURS} WHERE sc.category_id = ? ORDER BY s.name COLLATE NOCASE, s.id LIMIT ?`,
    );
    this.terms = db.prepare('SELECT term, doc FROM content_store_search_terms');
  }

  private vocabularyAt(contentStamp: string): VocabularyTerm[] {
    if (this.vocabulary?.stamp !== contentStamp) {
      this.vocabulary = { stamp: contentStamp, terms: this.terms.all().map((r) => ({ term: r.term, documents: r.doc })) };
    }
    return this.vocabulary.terms;
  }

  /** Searches as the shopper types; an empty query lists stores by name. */
  search(query: string, contentStamp: string, options: StoreSearchOptions = {}, openAt?: OpenAt): StoreHit[] {
    const limit = Math.max(1, Math.min(options.limit ?? DEFAULT_LIMIT, MAX_LIMIT));
    const plan = planSearch(query, this.vocabularyAt(contentStamp));
    if (plan.tiers.length === 0) {
      const rows = options.categoryId === undefined ? this.browseAll.all(limit) : this.browseInCategory.all(options.categoryId, limit);
      return (rows as HitRow[]).map((r) => toHit(r, 'browse', 0, openAt));
    }
    const hits: StoreHit[] = [];
    const seen = new Set<string>();
    for (const tier of plan.tiers) {
      // Earlier tiers' hits may come back; asking for `limit` rows still leaves room for the rest.
      const rows = (options.categoryId === undefined ? this.tierAll.all(tier.match, limit) : this.tierInCategory.all(tier.match, options.categoryId, limit)) as HitRow[];
      for (const row of rows) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        hits.push(toHit(row, tier.field, tier.typos, openAt));
        if (hits.length >= limit) return hits;
      }
    }
    return hits;
  }
}

function toHit(row: HitRow, matchedField: StoreHit['matchedField'], typos: number, openAt: OpenAt | undefined): StoreHit {
  const body = JSON.parse(row.body) as StoreBody;
  const hours = row.hours === null ? (openAt?.mallHours ?? null) : (JSON.parse(row.hours) as OpeningHoursBody);
  const openNow = openAt && hours ? openStatusAt(hours, openAt.now, openAt.timeZone).open : null;
  return { id: row.id, name: row.name, floor: row.floor, unit: row.unit, nodeId: row.node_id, categoryIds: body.categoryIds, matchedField, typos, openNow };
}
