import { formatAuditTable } from './auditCompare';
import { faultReport, formatFaultReport, recordedMarks, tallyTopic, topicEnds, waitStoredThrough, type FaultReport } from './faultFigures';
import type { FaultParameters } from './faultParameters';
import { runFleet, type FleetResult } from './fleetSimulator';
import { auditUntilClean } from './pipelineAudit';
import type { PipelineRig } from './pipelineRig';
import type { SimulatedKioskIdentity } from './provisionDevice';

/** A fleet recording in the background while a fault is applied. */
export interface BackgroundFleet {
  done: Promise<FleetResult>;
  /** Stops recording early (the drain still runs). */
  stopRecording(): void;
}

/** Starts in-process simulated kiosks (real edges) of the rig recording at `ratePerS` each. */
export function startFleet(
  rig: PipelineRig,
  identities: readonly SimulatedKioskIdentity[],
  options: { ratePerS: number; durationMs: number; drainTimeoutMs: number; maxEvents?: number; clockSkewMs?: number; gatewayUrl?: string; seed?: number },
): BackgroundFleet {
  const stop = new AbortController();
  const first = Number(/-k(\d+)$/.exec(identities[0]!.kioskId)![1]);
  const done = runFleet(
    {
      kiosks: identities.length,
      firstKiosk: first,
      rate: options.ratePerS,
      events: options.maxEvents ?? 10_000_000,
      durationS: options.durationMs / 1000,
      drainTimeoutS: options.drainTimeoutMs / 1000,
      mall: rig.mallId,
      runDir: rig.runDir,
      gateway: options.gatewayUrl ?? rig.gatewayUrl,
      pgUrl: '',
      clockSkewMs: options.clockSkewMs ?? 0,
      synchronous: 'FULL',
      eventsPerTx: 1,
      backoffCapMs: 2_000,
      seed: options.seed ?? 1,
      provision: false,
      json: false,
      progressS: 5,
    },
    stop.signal,
  );
  return { done, stopRecording: () => stop.abort() };
}

/** Sleeps `ms`. */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A random integer in [min, max]. */
export const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** Marks a fault round's end: returns a function that resolves with the time until everything recorded by then was stored. */
export function recoveryFrom(rig: PipelineRig, p: FaultParameters, only?: readonly SimulatedKioskIdentity[]): () => Promise<number> {
  const marks = recordedMarks(only ?? rig.kiosks());
  const started = Date.now();
  return async () => {
    const waited = await waitStoredThrough(rig.audit.cassandra, marks, p.settleTimeoutMs);
    if (waited === null) throw new Error(`the pipeline did not recover within ${p.settleTimeoutMs} ms`);
    return Date.now() - started;
  };
}

/**
 * Ends a fault: audits until clean (bounded), tallies what Kafka received for the rig's kiosks
 * since `fromOffsets`, prints the fault's figures and the audit table, and returns the figures.
 */
export async function finishFault(
  rig: PipelineRig,
  p: FaultParameters,
  fault: string,
  rounds: number,
  fromOffsets: Map<number, bigint>,
  recoverMs: number[],
  notes: string[] = [],
  only?: readonly SimulatedKioskIdentity[],
): Promise<FaultReport> {
  const kiosks = only ? only.map((k) => ({ kioskId: k.kioskId, dataDir: k.dataDir })) : rig.kiosks();
  // Daily analytics are counted per mall: only checkable when the whole mall is audited.
  const audit = await auditUntilClean(rig.audit, kiosks, { wholeMalls: !only, timeoutMs: p.settleTimeoutMs, intervalMs: 2_000 });
  const tally = await tallyTopic(rig.stores.endpoints.kafkaBrokers, fromOffsets, await topicEnds(rig.stores.endpoints.kafkaBrokers), kiosks.map((k) => k.kioskId));
  const crashes = [rig.gateway, rig.cloud].filter((s) => s.crashes > 0).map((s) => `${s.spec.name} died on its own ${s.crashes} time(s) and was restarted by the rig's supervisor (see ${s.spec.logFile})`);
  const report = faultReport(fault, rounds, audit, tally, recoverMs, [...notes, ...crashes]);
  process.stdout.write(`\n${formatFaultReport(report)}\n${formatAuditTable(audit.kiosks)}\n${audit.mallMismatches.map((m) => `  ${m}`).join('\n')}\n`);
  return report;
}
