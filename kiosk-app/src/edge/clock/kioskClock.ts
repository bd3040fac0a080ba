import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  clockOffsetMs,
  correctedTimeMs,
  initialClockState,
  observeServerTime,
  stampTime,
  type ClockReading,
  type ClockState,
  type ServerAnchor,
  type ServerTimeSample,
  type StampedTime,
} from '../../core/clock/eventClock';
import type { KioskStore } from '../store/kioskStore';

const ANCHOR_KEY = 'clock.anchor';

/** Where the kiosk's clock readings come from (real clocks in production, scripted in tests). */
export interface ClockSource {
  bootId: string;
  monoMs(): number;
  wallMs(): number;
}

/**
 * The OS boot id (Linux) with the monotonic clock that counts from that boot, so an anchor
 * learned before an app restart stays valid until the machine itself reboots. Elsewhere a
 * per-process id is used, which only makes anchors expire sooner.
 */
export function systemClockSource(): ClockSource {
  let bootId: string;
  try {
    bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    bootId = `process-${randomUUID()}`;
  }
  // process.hrtime is CLOCK_MONOTONIC on Linux: it counts from the OS boot.
  const monoMs = (): number => {
    const [s, ns] = process.hrtime();
    return s * 1000 + ns / 1e6;
  };
  return { bootId, monoMs, wallMs: () => Date.now() };
}

/** A stamped event time with the readings it came from. */
export interface EventTimes extends StampedTime {
  bootId: string;
  monoMs: number;
}

/**
 * The kiosk's event clock: stamps events with corrected and raw time, and learns the server's
 * time from sync replies (`serverTime`, or the HTTP `Date` header). The anchor is kept in the
 * store so it survives restarts.
 */
export class KioskClock {
  private state: ClockState;

  constructor(
    private readonly store: KioskStore,
    readonly source: ClockSource = systemClockSource(),
  ) {
    const raw = store.meta(ANCHOR_KEY);
    this.state = initialClockState(raw ? (JSON.parse(raw) as ServerAnchor) : null);
  }

  /** A reading of every clock now. */
  read(): ClockReading {
    return { bootId: this.source.bootId, monoMs: this.source.monoMs(), wallMs: this.source.wallMs() };
  }

  /** Stamps one event. */
  stamp(): EventTimes {
    const reading = this.read();
    const { state, stamp } = stampTime(this.state, reading);
    this.state = state;
    return { timeMs: stamp.timeMs, rawMs: stamp.rawMs, bootId: reading.bootId, monoMs: Math.round(reading.monoMs) };
  }

  /** The corrected time now, without advancing the event clock (for signatures and status). */
  nowMs(): number {
    return Math.round(correctedTimeMs(this.state.anchor, this.read()));
  }

  /** Learns from a server time observation and persists a changed anchor. */
  observe(sample: Omit<ServerTimeSample, 'received'> & { received?: ClockReading }): void {
    const received = sample.received ?? this.read();
    const next = observeServerTime(this.state, { ...sample, received });
    if (next.anchor !== this.state.anchor && next.anchor) {
      const anchor = next.anchor;
      this.store.transaction(() => this.store.setMetaValue(ANCHOR_KEY, JSON.stringify(anchor)));
    }
    this.state = next;
  }

  /** Server minus kiosk wall clock, or null before the first server reply. */
  offsetMs(): number | null {
    return clockOffsetMs(this.state);
  }
}
