import { AtriumError, type CatalogueEvent, type OfferBody } from '@atrium/contracts';
import { bridgeOk, type KioskBridgeCalls, type OfferSummary, type Route, type RouteStep, type StoreSummary } from '../bridge';
import type { Route as CoreRoute, StoreHit } from '../edge/content';
import { OpenNowCache } from './openNowCache';
import type { ShellDeps } from './shellDeps';

type DirectoryCalls = Pick<KioskBridgeCalls, 'searchStores' | 'recordSearch' | 'listCategories' | 'getStore' | 'getFloorMap' | 'requestRoute'>;

/** Appends a shopper event to the outbox (one SQLite transaction with its sequence). */
export function record(deps: ShellDeps, event: CatalogueEvent): void {
  deps.edge.outbox.append(event);
}

/** An offer as the renderer shows it, with what this session may still claim. */
export function offerSummary(deps: ShellDeps, offer: OfferBody, claimed: number): OfferSummary {
  const store = deps.content.storeDetail(offer.storeId, deps.now());
  return {
    id: offer.id,
    storeId: offer.storeId,
    storeName: store?.store.name ?? offer.storeId,
    title: offer.title,
    ...(offer.description ? { description: offer.description } : {}),
    validTo: offer.validTo,
    remainingForShopper: Math.max(0, offer.perShopperLimit - claimed),
    soldOut: offer.stock === 0,
  };
}

function summary(openNow: OpenNowCache, hit: StoreHit, now: Date): StoreSummary {
  return { id: hit.id, name: hit.name, floor: hit.floor, unit: hit.unit, categoryIds: hit.categoryIds, openNow: openNow.isOpen(hit.id, now) };
}

function steps(route: CoreRoute): RouteStep[] {
  return route.steps.map((step): RouteStep => {
    switch (step.kind) {
      case 'walk':
        return { kind: 'walk', floor: step.floor, distanceM: step.distanceM };
      case 'turn':
        return { kind: 'turn', floor: step.floor, distanceM: 0, direction: step.direction };
      case 'change-floor':
        return { kind: step.via, floor: step.fromFloor, toFloor: step.toFloor, distanceM: step.distanceM };
      case 'arrive':
        return { kind: 'arrive', floor: step.floor, distanceM: 0 };
      default: {
        const never: never = step;
        throw new Error(`Unhandled route step ${JSON.stringify(never)}`);
      }
    }
  });
}

/** Directory, store pages, the map and routes: read from the content cache, recorded in the outbox. */
export function directoryCalls(deps: ShellDeps, claimsOf: (sessionId: string, offerId: string) => number): DirectoryCalls {
  const openNow = new OpenNowCache(deps.content);
  return {
    async searchStores({ query, categoryId, limit }) {
      const now = deps.now();
      const hits = deps.content.searchStores(query, { ...(categoryId ? { categoryId } : {}), limit: limit ?? 30 });
      return bridgeOk({ stores: hits.map((h) => summary(openNow, h, now)), total: hits.length });
    },
    async recordSearch({ sessionId, query, categoryId, resultCount }) {
      record(deps, { type: 'mall.directory.searched', data: { sessionId, query, ...(categoryId ? { category: categoryId } : {}), resultCount } });
      return bridgeOk({});
    },
    async listCategories() {
      return bridgeOk(deps.content.categories('en').map((c) => ({ id: c.id, name: c.name })));
    },
    async getStore({ sessionId, storeId }) {
      const now = deps.now();
      const detail = deps.content.storeDetail(storeId, now);
      if (!detail) throw new AtriumError('NOT_FOUND', `No store ${storeId}`);
      record(deps, { type: 'mall.store.viewed', data: { sessionId, storeId } });
      const tz = deps.content.kioskConfig()?.timeZone ?? 'UTC';
      const weekday = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short' }).format(now);
      const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(weekday);
      const weekly = detail.hours?.weekly ?? [];
      const today = weekly.find((d) => d.day === day);
      return bridgeOk({
        id: detail.store.id,
        name: detail.store.name,
        floor: detail.store.floor,
        unit: detail.store.unit,
        categoryIds: detail.store.categoryIds,
        openNow: detail.openNow?.open ?? false,
        ...(detail.store.description ? { description: detail.store.description } : {}),
        ...(detail.store.phone ? { phone: detail.store.phone } : {}),
        weekly,
        today: today ? { open: today.open, close: today.close } : null,
        offers: detail.offers.map((o) => offerSummary(deps, o, claimsOf(sessionId, o.id))),
      });
    },
    async getFloorMap({ floor }) {
      const plan = deps.floorPlans.plan(floor, deps.content.kioskConfig()?.nodeId);
      if (!plan) throw new AtriumError('NOT_FOUND', `No floor ${floor}`);
      return bridgeOk(plan);
    },
    async requestRoute({ sessionId, storeId, accessible }) {
      const store = deps.content.storeDetail(storeId, deps.now());
      if (!store) throw new AtriumError('NOT_FOUND', `No store ${storeId}`);
      const result = deps.content.routeToStore(storeId, { accessible });
      if (!result.found) throw new AtriumError('NOT_FOUND', `No route to ${storeId}: ${result.reason}`);
      const route: Route = {
        storeId,
        storeName: store.store.name,
        accessible,
        steps: steps(result.route),
        legs: result.route.legs.map((leg) => ({ floor: leg.floor, points: leg.points })),
        totalM: result.route.distanceM,
        phoneUrl: `${deps.config.kiosk.phoneBaseUrl}?store=${encodeURIComponent(storeId)}&from=${encodeURIComponent(deps.config.edge.outbox.kioskId)}${accessible ? '&accessible=1' : ''}`,
      };
      record(deps, { type: 'mall.route.requested', data: { sessionId, storeId, accessible, steps: route.steps.length } });
      return bridgeOk(route);
    },
  };
}
