import { exampleData, type CatalogueEvent } from '@atrium/contracts';

/** A small deterministic random source (mulberry32), so a simulated kiosk can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** How a simulated kiosk behaves. */
export interface ShopperMixOptions {
  /** Stores shoppers look at (skewed: low numbers are popular). */
  stores: number;
  /** Offers on the kiosk's screens. */
  offers: number;
  /** A heartbeat at least this often (simulated kiosk time). */
  heartbeatEveryMs: number;
  /** App version the heartbeats report. */
  version: string;
}

export const DEFAULT_MIX: ShopperMixOptions = { stores: 40, offers: 12, heartbeatEveryMs: 5_000, version: '1.4.0' };

const LANGUAGES = ['en', 'ar', 'es'] as const;
const QUERIES = ['shoes', 'coffee', 'pharmacy', 'toilets', 'cinema', 'phone repair', 'kids', 'sushi', 'bank', 'gifts', 'zara', 'parking'];
const COMMENTS = ['Easy to find the lifts', 'Map was clear', 'Could not find the exit', 'Great offers', 'Screen too bright'];

type Pick = <T>(items: readonly T[]) => T;

/** One shopper session, as a list of events still to emit. */
function sessionScript(random: () => number, sessionId: string, options: ShopperMixOptions, ids: { claimId: () => string; emailHash: () => string }): CatalogueEvent[] {
  const pick: Pick = (items) => items[Math.floor(random() * items.length)]!;
  const store = () => `store-${String(1 + Math.floor(options.stores * random() * random())).padStart(4, '0')}`;
  const offer = () => `offer-${1 + Math.floor(options.offers * random() * random())}`;
  const language = pick(LANGUAGES);
  const events: CatalogueEvent[] = [{ type: 'mall.session.started', data: { sessionId, language } }];
  if (random() < 0.1) events.push({ type: 'mall.language.changed', data: { sessionId, from: language, to: pick(LANGUAGES.filter((l) => l !== language)) } });
  const searches = 1 + Math.floor(random() * 3);
  for (let s = 0; s < searches; s += 1) {
    const resultCount = Math.floor(random() * 12);
    events.push({ type: 'mall.directory.searched', data: { sessionId, query: pick(QUERIES), resultCount } });
    const views = resultCount === 0 ? 0 : Math.floor(random() * 3);
    for (let v = 0; v < views; v += 1) {
      const storeId = store();
      events.push({ type: 'mall.store.viewed', data: { sessionId, storeId } });
      if (random() < 0.45) events.push({ type: 'mall.route.requested', data: { sessionId, storeId, accessible: random() < 0.15, steps: 2 + Math.floor(random() * 12) } });
    }
  }
  if (random() < 0.5) {
    const offerId = offer();
    events.push({ type: 'mall.offer.viewed', data: { sessionId, offerId } });
    if (random() < 0.4) {
      const code = Math.floor(random() * 36 ** 4).toString(36).toUpperCase().padStart(4, '0');
      events.push({ type: 'mall.offer.claimed', data: { sessionId, offerId, claimId: ids.claimId(), couponCode: `ATR-${offerId.slice(6)}-${code}`, offline: false } });
    }
  }
  if (random() < 0.05) {
    events.push({ type: 'mall.loyalty.enrolled', data: { ...exampleData['mall.loyalty.enrolled'], sessionId, memberRef: ids.claimId(), emailHash: ids.emailHash() } });
  }
  if (random() < 0.15) {
    const comment = random() < 0.5 ? pick(COMMENTS) : undefined;
    events.push({ type: 'mall.feedback.submitted', data: { sessionId, rating: 1 + Math.floor(random() * 5), ...(comment ? { comment } : {}) } });
  }
  events.push({ type: 'mall.session.ended', data: { sessionId, reason: random() < 0.7 ? 'idle' : 'shopper', durationMs: 20_000 + Math.floor(random() * 240_000) } });
  return events;
}

/** Ids the mix needs that must be unique (claim ids, member refs, email hashes); injected so the mix stays pure. */
export interface MixIds {
  sessionId(): string;
  claimId(): string;
  emailHash(): string;
}

/**
 * A kiosk's stream of events: shopper sessions one after another (searches, store views, routes,
 * offer views and claims, loyalty, feedback, language changes) with a heartbeat whenever
 * `heartbeatEveryMs` of kiosk time passed. Deterministic for a given seed, ids and times.
 */
export class ShopperMix {
  private readonly random: () => number;
  private queue: CatalogueEvent[] = [];
  private lastHeartbeatMs: number | null = null;
  private firstMs: number | null = null;

  constructor(
    seed: number,
    private readonly ids: MixIds,
    private readonly options: ShopperMixOptions = DEFAULT_MIX,
  ) {
    this.random = seededRandom(seed);
  }

  /** The next event the kiosk records at kiosk time `nowMs`. */
  next(nowMs: number): CatalogueEvent {
    this.firstMs ??= nowMs;
    if (this.lastHeartbeatMs === null || nowMs - this.lastHeartbeatMs >= this.options.heartbeatEveryMs) {
      this.lastHeartbeatMs = nowMs;
      return {
        type: 'kiosk.heartbeat',
        data: { version: this.options.version, uptimeS: Math.max(0, Math.floor((nowMs - this.firstMs) / 1000)), queueDepth: this.queue.length, sessionActive: this.queue.length > 0 },
      };
    }
    if (this.queue.length === 0) this.queue = sessionScript(this.random, this.ids.sessionId(), this.options, this.ids);
    return this.queue.shift()!;
  }
}
