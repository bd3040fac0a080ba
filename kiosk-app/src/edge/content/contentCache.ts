import type { KioskConfigBody, OfferBody } from '@atrium/contracts';
import { findRoute, type RouteOptions, type RouteResult } from '../../core/content/findRoute';
import { floorPlanOf, type FloorPlan } from '../../core/content/floorPlan';
import { ContentFeed, type ApplyContentPageOptions, type ContentStoreHandle, type ContentFeedPosition, type ContentPageApplied } from './contentFeed';
import { ContentQueries, DEFAULT_CONFIG_ID, MALL_HOURS_ID, type CategoryCount, type ContentLanguage, type StoreDetail } from './contentQueries';
import { MapGraphCache } from './mapGraphCache';
import { StoreSearch, type OpenAt, type StoreHit, type StoreSearchOptions } from './storeSearch';

/** Options of the content cache. */
export interface ContentCacheOptions {
  /** This kiosk's id, to pick its own settings over the mall-wide `default`. */
  kioskId?: string;
}

/** Options of a route to a store: from this kiosk unless another node is given. */
export interface StoreRouteOptions extends RouteOptions {
  fromNodeId?: string;
}

/**
 * The kiosk's content cache over its SQLite store: the content feed is applied here, and the
 * directory, store pages, offers and routes are read from here, with no network involved.
 * The store's database must have had the content migrations (050_*) applied, as
 * `openKioskStore` does.
 */
export class ContentCache {
  private readonly feed: ContentFeed;
  private readonly queries: ContentQueries;
  private readonly directory: StoreSearch;
  private readonly graphs: MapGraphCache;
  private readonly kioskId: string;

  constructor(store: ContentStoreHandle, options: ContentCacheOptions = {}) {
    const db = store.db;
    this.feed = new ContentFeed(store);
    this.queries = new ContentQueries(db);
    this.directory = new StoreSearch(db);
    this.graphs = new MapGraphCache(db);
    this.kioskId = options.kioskId ?? DEFAULT_CONFIG_ID;
  }

  /**
   * Validates and applies one page of the content feed in one transaction, storing its
   * `nextCursor` and the response's ETag with it. Throws VALIDATION_FAILED or CONFLICT and
   * changes nothing when the page cannot be applied whole.
   */
  applyContentPage(page: unknown, options: ApplyContentPageOptions = {}): ContentPageApplied {
    return this.feed.applyPage(page, options);
  }

  /**
   * Replaces the whole cache with a full pull of the feed (pages in order, from no cursor), in
   * one transaction: the old content is served until it commits, and stays if anything fails.
   */
  replaceContent(pages: readonly unknown[], options: ApplyContentPageOptions = {}): ContentPageApplied {
    return this.feed.replaceAll(pages, options);
  }

  /** The cursor to pull from next (null before the first page). */
  currentCursor(): string | null {
    return this.feed.position().cursor;
  }

  /** Cursor, ETag (for If-None-Match) and content version, read together. */
  feedPosition(): ContentFeedPosition {
    return this.feed.position();
  }

  /**
   * Directory search as the shopper types (prefix, typo-tolerant, name matches first). With
   * `now`, each hit also says whether the store is open then.
   */
  searchStores(query: string, options: StoreSearchOptions & { now?: Date } = {}): StoreHit[] {
    const { now, ...search } = options;
    return this.directory.search(query, this.feed.position().contentStamp, search, now ? this.openAt(now) : undefined);
  }

  private openAt(now: Date): OpenAt | undefined {
    const timeZone = this.kioskConfig()?.timeZone;
    return timeZone === undefined ? undefined : { now, timeZone, mallHours: this.queries.openingHours(MALL_HOURS_ID) };
  }

  /** Categories with store counts, sorted by name in `language`. */
  categories(language: ContentLanguage = 'en'): CategoryCount[] {
    return this.queries.categories(language);
  }

  /** The store page at `now`: store, categories, hours, open now (mall time zone), offers, map node. */
  storeDetail(storeId: string, now: Date): StoreDetail | null {
    return this.queries.storeDetail(storeId, now, this.kioskConfig()?.timeZone ?? null);
  }

  /** Offers active at `now`, of one store or of the whole mall. */
  activeOffers(now: Date, options: { storeId?: string } = {}): OfferBody[] {
    return this.queries.activeOffers(now, options.storeId);
  }

  /** This kiosk's settings (its own, else the mall-wide default); null before any arrived. */
  kioskConfig(): KioskConfigBody | null {
    return this.queries.kioskConfig(this.kioskId);
  }

  /** Shortest route between two map nodes; `accessible` keeps to lifts. */
  route(fromNodeId: string, toNodeId: string, options: RouteOptions = {}): RouteResult {
    return findRoute(this.graphs.graphAt(this.feed.position().contentStamp), fromNodeId, toNodeId, options);
  }

  /** One floor of the map for drawing: nodes, walkable segments, bounds, and the list of floors. */
  floorPlan(floor: number): FloorPlan {
    return floorPlanOf(this.graphs.graphAt(this.feed.position().contentStamp), floor);
  }

  /** Route from this kiosk (or `fromNodeId`) to a store's map node. */
  routeToStore(storeId: string, options: StoreRouteOptions = {}): RouteResult {
    const store = this.queries.storeBody(storeId);
    if (!store) return { found: false, reason: 'unknown-destination' };
    const from = options.fromNodeId ?? this.kioskConfig()?.nodeId;
    if (from === undefined) return { found: false, reason: 'unknown-origin' };
    return this.route(from, store.nodeId, options);
  }
}
