import type { BridgeResult } from '../bridge';
import type { KioskActivity } from '../core/updater/updaterState';

/** How long quiet means abandoned or idle. */
export interface ShopperActivityOptions {
  /** A session with no call for this long was abandoned (the page reloaded or crashed before ending it). */
  staleSessionMs: number;
  /** Calls other than `kioskInfo` within this long mean someone is at the kiosk (a technician's overlay polls). */
  quietMs: number;
}

function sessionIdOf(input: unknown): string | null {
  const value = typeof input === 'object' && input !== null ? (input as { sessionId?: unknown }).sessionId : undefined;
  return typeof value === 'string' ? value : null;
}

/**
 * Whether anyone is using the kiosk, as the page's bridge calls show it: the updater installs
 * only while this says idle. Sessions are open from `startSession` to `endSession`.
 */
export class ShopperActivity {
  private readonly sessions = new Map<string, number>();
  private lastCallAt: number | null = null;
  private lastBusyCallAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ShopperActivityOptions) {}

  /** Notes a bridge call the page made and how it ended (null: it threw). */
  served(method: string, input: unknown, result: BridgeResult<unknown> | null, at: number): void {
    this.lastCallAt = at;
    if (method !== 'kioskInfo') this.lastBusyCallAt = at;
    const sessionId = sessionIdOf(input);
    if (method === 'startSession' && result?.ok) this.sessions.set(String((result.value as { sessionId: string }).sessionId), at);
    else if (method === 'endSession' && sessionId) this.sessions.delete(sessionId);
    else if (sessionId && this.sessions.has(sessionId)) this.sessions.set(sessionId, at);
  }

  /** True once the page has talked to this backend: the renderer is up. */
  rendererSeen(): boolean {
    return this.lastCallAt !== null;
  }

  /** The kiosk's activity for the updater's policy. */
  activity(at: number): KioskActivity {
    for (const [sessionId, lastAt] of this.sessions) if (at - lastAt > this.options.staleSessionMs) this.sessions.delete(sessionId);
    const sessionActive = this.sessions.size > 0;
    const quiet = at - this.lastBusyCallAt > this.options.quietMs;
    return { sessionActive, attractLoop: this.rendererSeen() && !sessionActive && quiet };
  }
}
