import type { BridgeResult, KioskBridgeCalls } from '../bridge';
import { directoryCalls } from './directoryCalls';
import { SessionClaims, shopperCalls } from './shopperCalls';
import type { ShellDeps } from './shellDeps';
import { technicianCalls } from './technicianCalls';

/** Told of every call the page made and its result (null when it threw), e.g. the shopper activity. */
export type BridgeCallObserver = (method: string, input: unknown, result: BridgeResult<unknown> | null, at: number) => void;

type AnyCall = (input: unknown) => Promise<BridgeResult<unknown>>;

function observed(calls: KioskBridgeCalls, observe: BridgeCallObserver, now: () => Date): KioskBridgeCalls {
  const wrapped: Record<string, AnyCall> = {};
  for (const [method, call] of Object.entries(calls) as [string, AnyCall][]) {
    wrapped[method] = async (input) => {
      let result: BridgeResult<unknown> | null = null;
      try {
        result = await call(input);
        return result;
      } finally {
        observe(method, input, result, now().getTime());
      }
    };
  }
  return wrapped as KioskBridgeCalls;
}

/** The bridge's implementation over the real edge: store, outbox, sync client and content cache. */
export function createKioskService(deps: ShellDeps, observe?: BridgeCallObserver): KioskBridgeCalls {
  const claims = new SessionClaims();
  const calls: KioskBridgeCalls = {
    ...directoryCalls(deps, (sessionId, offerId) => claims.count(sessionId, offerId)),
    ...shopperCalls(deps, claims),
    ...technicianCalls(deps),
  };
  return observe ? observed(calls, observe, deps.now) : calls;
}
