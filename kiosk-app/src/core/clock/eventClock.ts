/**
 * Event time that survives reboots and clock skew. Pure: every reading is passed in.
 *
 * The kiosk keeps two clocks: the wall clock (which may be wrong, and may jump when someone
 * sets it) and a monotonic clock that counts from the OS boot and never jumps. The boot id
 * names the boot a monotonic reading belongs to. When the server tells us its time, we keep
 * an anchor "server time S was observed at monotonic M during boot B"; while the kiosk stays
 * in boot B, corrected time is S + (now_mono - M), immune to wall-clock jumps. After a reboot
 * the monotonic clock restarts, so we fall back to wall clock + the last offset learned.
 */

/** One reading of the kiosk's clocks. */
export interface ClockReading {
  bootId: string;
  /** Monotonic milliseconds since the OS boot named by `bootId`. */
  monoMs: number;
  /** The kiosk's wall clock, milliseconds since the epoch. */
  wallMs: number;
}

/** What the kiosk learned from the server's clock at one moment. */
export interface ServerAnchor {
  bootId: string;
  monoMs: number;
  /** Best estimate of the server's clock at `monoMs`. */
  serverMs: number;
  /** Half-width of the error bar on `serverMs` (half the round trip plus half the clock's precision). */
  uncertaintyMs: number;
  /** Server minus kiosk wall clock at that moment; used after a reboot. */
  offsetMs: number;
}

/** The clock state: the last anchor (persisted across restarts) and the last time handed out. */
export interface ClockState {
  anchor: ServerAnchor | null;
  /** Corrected times never go backwards within one process. */
  lastTimeMs: number;
}

/** A time observation from a server reply. */
export interface ServerTimeSample {
  /** The server's clock as it reported it (`serverTime` of a reply, or the HTTP `Date` header). */
  serverMs: number;
  /** How coarse `serverMs` is: 1 for `serverTime` (ms), 1000 for the `Date` header (seconds). */
  precisionMs: number;
  /** Monotonic reading when the request left, and when the reply arrived. */
  sentMonoMs: number;
  received: ClockReading;
}

/** The times stamped on one event. */
export interface StampedTime {
  timeMs: number;
  rawMs: number;
}

/** Monotonic clocks drift by at most this much (100 ppm), which widens an anchor's error bar. */
const DRIFT_PER_MS = 1e-4;

/** A clock that has not heard from a server yet. */
export function initialClockState(anchor: ServerAnchor | null = null): ClockState {
  return { anchor, lastTimeMs: 0 };
}

function anchorUncertaintyAt(anchor: ServerAnchor, monoMs: number): number {
  return anchor.uncertaintyMs + Math.abs(monoMs - anchor.monoMs) * DRIFT_PER_MS;
}

/** The corrected time for a reading, without the never-backwards guard. */
export function correctedTimeMs(anchor: ServerAnchor | null, reading: ClockReading): number {
  if (!anchor) return reading.wallMs;
  if (anchor.bootId === reading.bootId) return anchor.serverMs + (reading.monoMs - anchor.monoMs);
  return reading.wallMs + anchor.offsetMs;
}

/** Stamps an event: raw wall time and corrected time (never earlier than the last one stamped). */
export function stampTime(state: ClockState, reading: ClockReading): { state: ClockState; stamp: StampedTime } {
  const timeMs = Math.max(Math.round(correctedTimeMs(state.anchor, reading)), state.lastTimeMs);
  return { state: { ...state, lastTimeMs: timeMs }, stamp: { timeMs, rawMs: Math.round(reading.wallMs) } };
}

/**
 * Learns from a server time sample. A new sample replaces the anchor when it is more precise
 * than the aged anchor, when the anchor belongs to another boot, or when it disagrees with
 * the anchor beyond both error bars (someone stepped the server clock, or ours drifted).
 */
export function observeServerTime(state: ClockState, sample: ServerTimeSample): ClockState {
  const receivedMono = sample.received.monoMs;
  const roundTrip = Math.max(0, receivedMono - sample.sentMonoMs);
  const serverAtReceipt = sample.serverMs + sample.precisionMs / 2 + roundTrip / 2;
  const uncertaintyMs = roundTrip / 2 + sample.precisionMs / 2;
  const candidate: ServerAnchor = {
    bootId: sample.received.bootId,
    monoMs: receivedMono,
    serverMs: serverAtReceipt,
    uncertaintyMs,
    offsetMs: Math.round(serverAtReceipt - sample.received.wallMs),
  };
  const current = state.anchor;
  if (!current || current.bootId !== candidate.bootId) return { ...state, anchor: candidate };
  const agedUncertainty = anchorUncertaintyAt(current, receivedMono);
  const predicted = current.serverMs + (receivedMono - current.monoMs);
  const disagrees = Math.abs(predicted - serverAtReceipt) > agedUncertainty + uncertaintyMs;
  if (disagrees || uncertaintyMs <= agedUncertainty) return { ...state, anchor: candidate };
  return state;
}

/** Server minus kiosk wall clock as last learned, or null before the first server reply. */
export function clockOffsetMs(state: ClockState): number | null {
  return state.anchor ? state.anchor.offsetMs : null;
}
