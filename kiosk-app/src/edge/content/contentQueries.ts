import type Database from 'better-sqlite3';
import type { CategoryBody, KioskConfigBody, LocalisedText, MapNodeBody, OfferBody, OpeningHoursBody, StoreBody } from '@atrium/contracts';
import { activeOffersAt } from '../../core/content/activeOffers';
import { openingTimesOn, openStatusAt, type OpenStatus } from '../../core/content/openingHours';

/** A category with how many stores it holds. */
export interface CategoryCount {
  id: string;
  name: LocalisedText;
  storeCount: number;
}

/** Everything the store page shows. */
export interface StoreDetail {
  store: StoreBody;
  categories: CategoryBody[];
  /** The store's own hours, else the mall's; null when neither is known. */
  hours: OpeningHoursBody | null;
  hoursSource: 'store' | 'mall' | null;
  /** Null when the hours or the mall's time zone are not known yet. */
  openNow: OpenStatus | null;
  /** The opening times of today's local date (empty when closed all day); null when unknown. */
  today: { date: string; times: Array<{ open: string; close: string }> } | null;
  offers: OfferBody[];
  node: MapNodeBody | null;
}

/** A shopper language. */
export type ContentLanguage = 'en' | 'es' | 'ar';

/** The id of the mall-wide opening hours and of the mall-wide kiosk settings. */
export const MALL_HOURS_ID = 'mall';
export const DEFAULT_CONFIG_ID = 'default';

const parse = <T>(row: { body: string } | undefined): T | null => (row ? (JSON.parse(row.body) as T) : null);

/** Read-side queries of the content cache (everything but search and routes). */
export class ContentQueries {
  private readonly store: Database.Statement<[string], { body: string }>;
  private readonly storeCategories: Database.Statement<[string], { body: string }>;
  private readonly hours: Database.Statement<[string], { body: string }>;
  private readonly node: Database.Statement<[string], { body: string }>;
  private readonly config: Database.Statement<[string, string, string], { body: string }>;
  private readonly categoryCounts: Database.Statement<[], { body: string; stores: number }>;
  private readonly offersAll: Database.Statement<[number, number], { body: string }>;
  private readonly offersOfStore: Database.Statement<[string, number, number], { body: string }>;

  constructor(db: Database.Database) {
    this.store = db.prepare('SELECT body FROM content_stores WHERE id = ?');
    this.storeCategories = db.prepare(
      'SELECT c.body FROM content_store_categories sc JOIN content_categories c ON c.id = sc.category_id WHERE sc.store_id = ? ORDER BY c.name_en',
    );
    this.hours = db.prepare('SELECT body FROM content_opening_hours WHERE id = ?');
    this.node = db.prepare('SELECT body FROM content_map_nodes WHERE id = ?');
    this.config = db.prepare('SELECT body FROM content_kiosk_config WHERE id IN (?, ?) ORDER BY id = ? LIMIT 1');
    this.categoryCounts = db.prepare(
      'SELECT c.body, COUNT(sc.store_id) AS stores FROM content_categories c LEFT JOIN content_store_categories sc ON sc.category_id = c.id GROUP BY c.id',
    );
    // The SQL window is only an index pre-filter; activeOffersAt (core) has the final word.
    this.offersAll = db.prepare('SELECT body FROM content_offers WHERE valid_to_ms > ? AND valid_from_ms <= ?');
    this.offersOfStore = db.prepare('SELECT body FROM content_offers WHERE store_id = ? AND valid_to_ms > ? AND valid_from_ms <= ?');
  }

  /** The settings of this kiosk, falling back to the mall-wide `default`. */
  kioskConfig(kioskId: string = DEFAULT_CONFIG_ID): KioskConfigBody | null {
    return parse<KioskConfigBody>(this.config.get(kioskId, DEFAULT_CONFIG_ID, DEFAULT_CONFIG_ID));
  }

  /** Categories with their store counts, sorted by name in `language`. */
  categories(language: ContentLanguage = 'en'): CategoryCount[] {
    const collator = new Intl.Collator(language);
    return this.categoryCounts
      .all()
      .map((r) => {
        const c = JSON.parse(r.body) as CategoryBody;
        return { id: c.id, name: c.name, storeCount: r.stores };
      })
      .sort((a, b) => collator.compare(a.name[language] ?? a.name.en, b.name[language] ?? b.name.en));
  }

  /** Offers active at `now`, of one store or of the whole mall, ending soonest first. */
  activeOffers(now: Date, storeId?: string): OfferBody[] {
    const t = now.getTime();
    const rows = storeId === undefined ? this.offersAll.all(t, t) : this.offersOfStore.all(storeId, t, t);
    return activeOffersAt(
      rows.map((r) => JSON.parse(r.body) as OfferBody),
      now,
    );
  }

  /** A map node by id. */
  mapNode(nodeId: string): MapNodeBody | null {
    return parse<MapNodeBody>(this.node.get(nodeId));
  }

  /** Opening hours by id (a store id, or `mall`). */
  openingHours(id: string): OpeningHoursBody | null {
    return parse<OpeningHoursBody>(this.hours.get(id));
  }

  /** A store by id. */
  storeBody(storeId: string): StoreBody | null {
    return parse<StoreBody>(this.store.get(storeId));
  }

  /** The store page: store, categories, hours and whether it is open at `now`, active offers, map node. */
  storeDetail(storeId: string, now: Date, timeZone: string | null): StoreDetail | null {
    const store = this.storeBody(storeId);
    if (!store) return null;
    const own = this.openingHours(storeId);
    const hours = own ?? this.openingHours(MALL_HOURS_ID);
    return {
      store,
      categories: this.storeCategories.all(storeId).map((r) => JSON.parse(r.body) as CategoryBody),
      hours,
      hoursSource: own ? 'store' : hours ? 'mall' : null,
      openNow: hours && timeZone ? openStatusAt(hours, now, timeZone) : null,
      today: hours && timeZone ? openingTimesOn(hours, now, timeZone) : null,
      offers: this.activeOffers(now, storeId),
      node: this.mapNode(store.nodeId),
    };
  }
}
