import { createHash, randomBytes } from 'node:crypto';
import { newEventId } from '@atrium/contracts';
import { openKioskEdge, parseKioskEdgeConfig, systemClockSource, type KioskEdge, type SyncClientConfig } from '../../../kiosk-app/src/edge/index';
import type { SimulatedKioskIdentity } from './provisionDevice';
import { DEFAULT_MIX, ShopperMix, type ShopperMixOptions } from './shopperMix';

/** How one simulated kiosk runs. */
export interface SimulatedKioskOptions {
  identity: SimulatedKioskIdentity;
  gatewayUrl: string;
  /** Events per second this kiosk records. */
  ratePerS: number;
  /** Stop recording after this many events (this run). */
  maxEvents: number;
  /** Stop recording after this long. */
  maxDurationMs: number;
  /** After recording, wait this long at most for the gateway to acknowledge everything. */
  drainTimeoutMs: number;
  seed: number;
  /** The kiosk's wall clock runs this far off (a kiosk with a wrong clock). */
  clockSkewMs?: number;
  synchronous?: 'FULL' | 'NORMAL';
  /** Events recorded per SQLite transaction (1 = one shopper action per commit, as the UI does). */
  eventsPerTransaction?: number;
  sync?: Partial<SyncClientConfig>;
  mix?: ShopperMixOptions;
  /** Called after each commit with the sequences it recorded and the machine time (latency measurements). */
  onRecorded?: (from: number, to: number, atMs: number) => void;
  /** Called (polled while recording) when the gateway's acknowledgement watermark moves. */
  onAcked?: (through: number, atMs: number) => void;
  /** Start the upload loop only after recording (a backlog); default at once. */
  syncAfterRecording?: boolean;
}

/** What one simulated kiosk did. */
export interface SimulatedKioskResult {
  kioskId: string;
  /** Events recorded by this run. */
  recorded: number;
  /** The kiosk's last sequence and delivery watermark at the end. */
  lastSequence: number;
  ackedThrough: number;
  /** True when everything recorded was acknowledged before the drain timeout. */
  drained: boolean;
  recordMs: number;
  drainMs: number;
  lastError: string | null;
}

/** Live figures of a running simulated kiosk, for progress output. */
export interface SimulatedKioskProgress {
  kioskId: string;
  recorded: number;
  lastSequence: number;
  ackedThrough: number;
  online: boolean;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Opens the kiosk's real edge (store, outbox, signed sync client) on its data folder. */
export function openSimulatedEdge(options: SimulatedKioskOptions): KioskEdge {
  const { identity } = options;
  const config = parseKioskEdgeConfig({
    store: { dataDir: identity.dataDir, synchronous: options.synchronous ?? 'FULL' },
    outbox: { kioskId: identity.kioskId },
    sync: { backoffCapMs: 5_000, ...options.sync },
    gateway: { url: options.gatewayUrl, deviceId: identity.deviceId, deviceKeyPath: identity.keyPath, requestTimeoutMs: 15_000 },
  });
  const skew = options.clockSkewMs ?? 0;
  const system = systemClockSource();
  return openKioskEdge(config, skew === 0 ? {} : { clockSource: { ...system, wallMs: () => Date.now() + skew } });
}

/** Unique ids for the shopper mix: UUIDv7 session and claim ids, email hashes unique per kiosk. */
function mixIds(kioskId: string): { sessionId(): string; claimId(): string; emailHash(): string } {
  const salt = randomBytes(8).toString('hex');
  let n = 0;
  return {
    sessionId: newEventId,
    claimId: newEventId,
    emailHash: () => createHash('sha256').update(`${kioskId}#${salt}#${(n += 1)}`).digest('hex'),
  };
}

/**
 * Runs one kiosk: records the shopper mix at `ratePerS` through the real outbox (one SQLite
 * transaction per commit) while the real sync client uploads to the gateway, then waits for the
 * gateway to acknowledge everything. `signal` stops recording early (the drain still runs unless
 * `drainSignal` aborts too).
 */
export async function runSimulatedKiosk(options: SimulatedKioskOptions, signal?: AbortSignal, progress?: (p: SimulatedKioskProgress) => void): Promise<SimulatedKioskResult> {
  const edge = openSimulatedEdge(options);
  const stopSync = new AbortController();
  const mix = new ShopperMix(options.seed, mixIds(options.identity.kioskId), options.mix ?? DEFAULT_MIX);
  const perTx = Math.max(1, options.eventsPerTransaction ?? 1);
  let syncLoop: Promise<void> | null = options.syncAfterRecording ? null : edge.sync.run(stopSync.signal);
  let recorded = 0;
  const started = Date.now();
  const report = () => {
    const marks = edge.outbox.watermarks();
    progress?.({ kioskId: options.identity.kioskId, recorded, lastSequence: marks.lastSequence, ackedThrough: marks.ackedThrough, online: edge.sync.status().online });
  };
  try {
    let lastReport = 0;
    let lastAcked = 0;
    while (!signal?.aborted && recorded < options.maxEvents && Date.now() - started < options.maxDurationMs) {
      const due = Math.min(options.maxEvents, Math.floor(((Date.now() - started) / 1000) * options.ratePerS) + 1);
      while (recorded < due) {
        const n = Math.min(perTx, due - recorded);
        let first = 0;
        let last = 0;
        edge.store.transaction(() => {
          for (let i = 0; i < n; i += 1) {
            const appended = edge.outbox.appendInTransaction(mix.next(edge.clock.nowMs()));
            if (appended.kind === 'appended') {
              first ||= appended.sequence;
              last = appended.sequence;
            }
          }
        });
        recorded += n;
        if (last > 0) options.onRecorded?.(first, last, Date.now());
      }
      if (options.onAcked) {
        const { ackedThrough } = edge.outbox.watermarks();
        if (ackedThrough > lastAcked) options.onAcked((lastAcked = ackedThrough), Date.now());
      }
      if (Date.now() - lastReport >= 1_000) {
        lastReport = Date.now();
        report();
      }
      await sleep(Math.max(2, Math.min(50, 1000 / options.ratePerS)), signal);
    }
    const recordMs = Date.now() - started;
    syncLoop ??= edge.sync.run(stopSync.signal);
    const drainStarted = Date.now();
    let drained = false;
    while (Date.now() - drainStarted < options.drainTimeoutMs) {
      const marks = edge.outbox.watermarks();
      if (marks.ackedThrough >= marks.lastSequence) {
        drained = true;
        break;
      }
      if (Date.now() - lastReport >= 1_000) {
        lastReport = Date.now();
        report();
      }
      await sleep(20);
    }
    const drainMs = Date.now() - drainStarted;
    const marks = edge.outbox.watermarks();
    const status = edge.sync.status();
    report();
    return { kioskId: options.identity.kioskId, recorded, lastSequence: marks.lastSequence, ackedThrough: marks.ackedThrough, drained, recordMs, drainMs, lastError: status.lastError ? `${status.lastError.code}` : null };
  } finally {
    stopSync.abort();
    await syncLoop?.catch(() => undefined);
    edge.close();
  }
}
