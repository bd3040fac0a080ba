// A kiosk back from an outage with a 100,000-event backlog: time to drain it into Cassandra
// (kiosk → gateway → Kafka → event-store writer), against the steady-state rate of a kiosk
// recording and uploading at the same time, measured in the same run on the same pipeline.
// Needs the test stack (npm run stack:up -- --profile test). `npx tsx bench/src/pipelineBacklog.bench.ts --help`.
import { parseArgs } from 'node:util';
import { readOutboxMarks, waitStoredThrough } from '../../e2e/src/pipeline/faultFigures';
import { recordBacklog } from '../../e2e/src/pipeline/pipelineMeasure';
import { startPipelineRig } from '../../e2e/src/pipeline/pipelineRig';
import { runSimulatedKiosk } from '../../e2e/src/pipeline/simulatedKiosk';
import { writeBenchResult } from './benchResult';
import { benchEndpoints } from './benchSupport';

const HELP = `Usage: npx tsx bench/src/pipelineBacklog.bench.ts [options]

  --backlog <n>       events in the backlog (default 100000)
  --rate <events/s>   the steady-state kiosk's recording rate (default 100)
  --duration <s>      length of the steady-state phase (default 30)
  --help              this text

Writes bench/results/pipelineBacklog.json.
`;

const { values } = parseArgs({ options: { backlog: { type: 'string' }, rate: { type: 'string' }, duration: { type: 'string' }, help: { type: 'boolean' } } });
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const backlog = Math.min(500_000, Math.max(1_000, Number(values.backlog ?? 100_000)));
const rate = Math.min(5_000, Math.max(1, Number(values.rate ?? 100)));
const durationMs = Math.min(300, Math.max(5, Number(values.duration ?? 30))) * 1000;
const log = (line: string) => process.stderr.write(`[backlog bench] ${line}\n`);

const rig = await startPipelineRig({ name: 'backlog', endpoints: benchEndpoints() });
try {
  // Baseline: one kiosk recording and uploading at `rate`; its rate into Cassandra over the phase.
  const [steady] = await rig.provision(1, 1);
  const steadyStarted = Date.now();
  const steadyRun = await runSimulatedKiosk({ identity: steady!, gatewayUrl: rig.gatewayUrl, ratePerS: rate, maxEvents: Number.MAX_SAFE_INTEGER, maxDurationMs: durationMs, drainTimeoutMs: 120_000, seed: 1 });
  const steadyStored = await waitStoredThrough(rig.audit.cassandra, new Map([[steady!.kioskId, steadyRun.lastSequence]]), 120_000);
  const steadyS = (Date.now() - steadyStarted) / 1000;
  const steadyRate = Math.round(steadyRun.recorded / steadyS);
  log(`steady state: ${steadyRun.recorded} events in ${steadyS.toFixed(1)} s recorded, uploaded and stored (${steadyRate}/s; stored ${steadyStored} ms after recording stopped)`);

  // Candidate: the backlog, recorded while "offline", then drained by the real sync loop.
  const [kiosk] = await rig.provision(2, 1);
  const recorded = recordBacklog(kiosk!, backlog);
  log(`backlog: ${backlog} events recorded in ${recorded.ms} ms (offline, 500 per transaction)`);
  const marks = new Map([[kiosk!.kioskId, readOutboxMarks(kiosk!.dataDir).lastSequence]]);
  const started = Date.now();
  let ackedMs = 0;
  const upload = runSimulatedKiosk({ identity: kiosk!, gatewayUrl: rig.gatewayUrl, ratePerS: 1, maxEvents: 0, maxDurationMs: 0, drainTimeoutMs: 900_000, seed: 2 }).then((r) => {
    ackedMs = Date.now() - started;
    return r;
  });
  const storedMs = await waitStoredThrough(rig.audit.cassandra, marks, 900_000);
  const uploaded = await upload;
  if (storedMs === null || !uploaded.drained) throw new Error('the backlog did not drain in 900 s');
  const drainS = (Date.now() - started) / 1000;
  const drainRate = Math.round(backlog / drainS);
  log(`drained ${backlog} events in ${drainS.toFixed(1)} s (${drainRate}/s; all acknowledged after ${(ackedMs / 1000).toFixed(1)} s)`);
  writeBenchResult({
    name: 'pipelineBacklog',
    candidate: { label: `one kiosk draining a ${backlog}-event backlog (batches of 500, one in flight) until every row is in Cassandra`, value: drainRate, events: backlog, drainSeconds: Number(drainS.toFixed(1)), acknowledgedAfterSeconds: Number((ackedMs / 1000).toFixed(1)) },
    baseline: { label: `one kiosk recording ${rate} events/s while uploading (steady state), recorded to stored`, value: steadyRate, events: steadyRun.recorded, seconds: Number(steadyS.toFixed(1)) },
    unit: 'events/s',
    goal: 'a backlog drains faster than a kiosk records (ratio > 1)',
    goalMet: drainRate > steadyRate,
    notes: `At this ratio a kiosk offline for T seconds at ${steadyRate} events/s catches up in about T / (ratio - 1) seconds once back. 2-core machine shared with the whole stack.`,
  });
} finally {
  await rig.stop();
  // Bounded: a driver that keeps a socket open must not keep the benchmark running.
  setTimeout(() => process.exit(process.exitCode ?? 0), 5_000).unref();
}
