import type { ValidEvent } from '@atrium/contracts';
import { utcDay } from '../../eventStore/sequenceBucket';
import { encodeFieldKey } from './fieldKey';

/**
 * A view kept as one document per (kiosk, UTC day): counters plus a little per-kiosk state. Only
 * one kiosk's events ever touch a document, in sequence order, so a per-document watermark makes
 * each event count once without multi-document transactions; readers sum across kiosks.
 */
export interface KioskDayReducer<S> {
  /** Event types this view reads. */
  handles(type: string): boolean;
  initial(): S;
  /** `(view, event) -> change`: the counters to add and the document's next state. */
  reduce(state: S, event: ValidEvent): { inc: Record<string, number>; state: S };
}

/** The id of the document an event lands in. */
export function kioskDayDocId(event: ValidEvent): string {
  return `${event.kioskid}|${utcDay(event.time)}`;
}

/** Store popularity: store views, views that followed a search in the same session, routes. */
export interface StorePopularityState {
  /** The session that searched most recently on this kiosk today. */
  searchedSessionId: string | null;
}

export const storePopularityReducer: KioskDayReducer<StorePopularityState> = {
  handles: (type) => type === 'mall.directory.searched' || type === 'mall.store.viewed' || type === 'mall.route.requested',
  initial: () => ({ searchedSessionId: null }),
  reduce(state, event) {
    switch (event.type) {
      case 'mall.directory.searched':
        return { inc: {}, state: { searchedSessionId: event.data.sessionId } };
      case 'mall.store.viewed': {
        const key = `stores.${encodeFieldKey(event.data.storeId)}`;
        const fromSearch = state.searchedSessionId === event.data.sessionId;
        return { inc: { [`${key}.views`]: 1, ...(fromSearch ? { [`${key}.searchViews`]: 1 } : {}) }, state };
      }
      case 'mall.route.requested':
        return { inc: { [`stores.${encodeFieldKey(event.data.storeId)}.routes`]: 1 }, state };
      default:
        return { inc: {}, state };
    }
  },
};

/** Offer performance: offer views and claims. */
export const offerPerformanceReducer: KioskDayReducer<Record<string, never>> = {
  handles: (type) => type === 'mall.offer.viewed' || type === 'mall.offer.claimed',
  initial: () => ({}),
  reduce(state, event) {
    switch (event.type) {
      case 'mall.offer.viewed':
        return { inc: { [`offers.${encodeFieldKey(event.data.offerId)}.views`]: 1 }, state };
      case 'mall.offer.claimed':
        return { inc: { [`offers.${encodeFieldKey(event.data.offerId)}.claims`]: 1 }, state };
      default:
        return { inc: {}, state };
    }
  },
};

/** Folds one document's events (sequence order) into summed counters and the final state. */
export function foldKioskDay<S>(reducer: KioskDayReducer<S>, state: S, events: readonly ValidEvent[]): { inc: Record<string, number>; state: S } {
  const inc: Record<string, number> = {};
  let current = state;
  for (const event of events) {
    const change = reducer.reduce(current, event);
    current = change.state;
    for (const [path, n] of Object.entries(change.inc)) inc[path] = (inc[path] ?? 0) + n;
  }
  return { inc, state: current };
}
