import { UrgentMessage } from '@atrium/contracts';
import { Type, type Static } from '@atrium/contracts';
import type { BridgeInput, BridgeMethod, BridgeOutput } from './bridgeCalls';
import type { BridgeResult } from './bridgeResult';

/** One call per bridge method, each answering a result instead of throwing. */
export type KioskBridgeCalls = { [M in BridgeMethod]: (input: BridgeInput<M>) => Promise<BridgeResult<BridgeOutput<M>>> };

/** Something the kiosk pushes to the page without being asked. */
export const BridgeNotice = Type.Union([
  Type.Object({ kind: Type.Literal('urgent'), message: UrgentMessage }),
  Type.Object({ kind: Type.Literal('sync'), online: Type.Boolean(), queued: Type.Integer({ minimum: 0 }) }),
  Type.Object({ kind: Type.Literal('content-changed') }),
]);
/** A pushed notice: an emergency broadcast, a sync status change, or fresh content. */
export type BridgeNotice = Static<typeof BridgeNotice>;

/**
 * The whole surface the renderer sees: what the preload exposes as `window.atrium` in
 * Electron, and what the browser shell's client implements over HTTP and WebSocket.
 */
export interface KioskBridge extends KioskBridgeCalls {
  /** Subscribes to pushed notices; returns the unsubscribe function. */
  onNotice(listener: (notice: BridgeNotice) => void): () => void;
}

export * from './bridgeWire';
