import type { KioskBridgeCalls } from '../bridge';
import { directoryCalls } from './directoryCalls';
import { SessionClaims, shopperCalls } from './shopperCalls';
import type { ShellDeps } from './shellDeps';
import { technicianCalls } from './technicianCalls';

/** The bridge's implementation over the real edge: store, outbox, sync client and content cache. */
export function createKioskService(deps: ShellDeps): KioskBridgeCalls {
  const claims = new SessionClaims();
  return {
    ...directoryCalls(deps, (sessionId, offerId) => claims.count(sessionId, offerId)),
    ...shopperCalls(deps, claims),
    ...technicianCalls(deps),
  };
}
