import { exampleData, type CatalogueEvent } from '@atrium/contracts';

/** A valid business event (an offer claim), as the kiosk UI would record it. */
export function offerClaimed(n = 1): CatalogueEvent {
  return { type: 'mall.offer.claimed', data: { ...exampleData['mall.offer.claimed'], couponCode: `ATR-${String(n).padStart(6, '0')}` } };
}

/** A valid telemetry event (a directory search). */
export function directorySearched(query = 'shoes'): CatalogueEvent {
  return { type: 'mall.directory.searched', data: { ...exampleData['mall.directory.searched'], query } };
}

/** A valid telemetry heartbeat. */
export function heartbeat(uptimeS = 60): CatalogueEvent {
  return { type: 'kiosk.heartbeat', data: { ...exampleData['kiosk.heartbeat'], uptimeS } };
}
