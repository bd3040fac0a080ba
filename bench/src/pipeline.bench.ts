// End to end, kiosk → gateway → Kafka → event-store writer → Cassandra, against a bare Kafka
// produce + consume on the same broker in the same run:
//  - pipelineThroughput: kiosks with a backlog upload at saturation; events/s until every row is in Cassandra;
//  - pipelineLatency: kiosks recording at a steady rate; event time (commit in the kiosk's SQLite) to row visible.
// Needs the test stack (npm run stack:up -- --profile test). `npx tsx bench/src/pipeline.bench.ts --help`.
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ChildService } from '../../e2e/src/pipeline/childService';
import { readOutboxMarks, topicEnds, waitStoredThrough } from '../../e2e/src/pipeline/faultFigures';
import { bareKafkaLatency, bareKafkaThroughput, quantile, recordBacklog, VisibilityPoller } from '../../e2e/src/pipeline/pipelineMeasure';
import { startPipelineRig } from '../../e2e/src/pipeline/pipelineRig';
import { runSimulatedKiosk } from '../../e2e/src/pipeline/simulatedKiosk';
import { writeBenchResult } from './benchResult';
import { benchEndpoints } from './benchSupport';
import { formatHops, measureHops, outboxPoints } from './pipelineHops';

const HELP = `Usage: npx tsx bench/src/pipeline.bench.ts [options]

  --kiosks <n>        kiosks in each phase (default 8)
  --backlog <n>       events per kiosk for the saturation phase (default 5000)
  --rate <list>       steady fleet rates for the latency phase, tried in order; the last is the
                      one recorded, the others go into the notes (default 1000,200)
  --duration <s>      length of the latency phase (default 30)
  --only <phase>      throughput or latency (default both)
  --synchronous <m>   the kiosks' SQLite durability, FULL (default, as kiosks run) or NORMAL
  --in-process        run the latency phase's kiosks inside this process (default: one process each)
  --split-cloud       run the event-store writer and the projections as separate processes
  --trace-logs        the gateway and the cloud services log at debug, which splits the per-hop
                      breakdown further (request arrival, Kafka acknowledgement, writer batches)
  --warm-up <s>       the afterWarmUp figures leave out events of the first <s> seconds (default 5)
  --note <text>       text appended to the latency result's notes (e.g. an earlier breakdown)
  --help              this text

Writes bench/results/pipelineThroughput.json and bench/results/pipelineLatency.json.
`;

const { values } = parseArgs({ options: { kiosks: { type: 'string' }, backlog: { type: 'string' }, rate: { type: 'string' }, duration: { type: 'string' }, only: { type: 'string' }, 'split-cloud': { type: 'boolean' }, synchronous: { type: 'string' }, 'in-process': { type: 'boolean' }, 'trace-logs': { type: 'boolean' }, note: { type: 'string' }, 'warm-up': { type: 'string' }, help: { type: 'boolean' } } });
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const kiosks = Math.min(64, Math.max(1, Number(values.kiosks ?? 8)));
const backlog = Math.min(50_000, Math.max(100, Number(values.backlog ?? 5_000)));
const rates = (values.rate ?? '1000,200').split(',').map((r) => Math.min(10_000, Math.max(1, Number(r))));
const durationMs = Math.min(300, Math.max(5, Number(values.duration ?? 30))) * 1000;
const inProcess = values['in-process'] ?? false;
const synchronous = values.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL';
const traceLogs = values['trace-logs'] ?? false;
const warmUpMs = Math.min(60, Math.max(0, Number(values['warm-up'] ?? 5))) * 1000;
const log = (line: string) => process.stderr.write(`[pipeline bench] ${line}\n`);

const endpoints = benchEndpoints();
const rig = await startPipelineRig({
  name: 'bench',
  endpoints,
  splitCloud: values['split-cloud'] ?? false,
  ...(traceLogs ? { gatewayEnv: { ATRIUM_GATEWAY_LOG_LEVEL: 'debug' }, cloudEnv: { ATRIUM_CLOUD_LOG_LEVEL: 'debug' } } : {}),
});
try {
  // Saturation: every kiosk holds a backlog; all upload at once; timed until every row is stored.
  if (values.only !== 'latency') await saturationPhase();
  if (values.only !== 'throughput') {
    const attempts: string[] = [];
    for (const [i, rate] of rates.entries()) attempts.push(await latencyPhase(rate, 101 + i * 20, i === rates.length - 1 ? attempts : null));
  }
} finally {
  await rig.stop();
  // Bounded: a driver that keeps a socket open must not keep the benchmark running.
  setTimeout(() => process.exit(process.exitCode ?? 0), 5_000).unref();
}

async function saturationPhase(): Promise<void> {
  const saturation = await rig.provision(1, kiosks);
  for (const identity of saturation) recordBacklog(identity, backlog);
  const total = kiosks * backlog;
  log(`saturation: ${kiosks} kiosks x ${backlog} events recorded; bare Kafka baseline first`);
  const bare = await bareKafkaThroughput(endpoints.kafkaBrokers, total);
  log(`bare Kafka: ${bare.eventsPerS} events/s`);
  const marks = new Map(saturation.map((k) => [k.kioskId, readOutboxMarks(k.dataDir).lastSequence]));
  const started = Date.now();
  const uploads = Promise.all(
    saturation.map((identity, i) => runSimulatedKiosk({ identity, gatewayUrl: rig.gatewayUrl, ratePerS: 1, maxEvents: 0, maxDurationMs: 0, drainTimeoutMs: 600_000, seed: i })),
  );
  const storedMs = await waitStoredThrough(rig.audit.cassandra, marks, 600_000);
  await uploads;
  if (storedMs === null) throw new Error('saturation phase did not finish in 600 s');
  const e2eRate = Math.round(total / ((Date.now() - started) / 1000));
  log(`kiosk → Cassandra: ${e2eRate} events/s`);
  writeBenchResult({
    name: 'pipelineThroughput',
    candidate: { label: `${kiosks} kiosks (real edges, signed gzip batches of 500) → gateway (rdkafka, acks=all) → Kafka → event-store writer → Cassandra, until every row is stored`, value: e2eRate, events: total, seconds: Number(((Date.now() - started) / 1000).toFixed(1)) },
    baseline: { label: 'bare Kafka on the same broker: kafkajs idempotent acks=all producer, batches of 500 event records, one consumer reading them back', value: bare.eventsPerS, events: total, seconds: Number(bare.seconds.toFixed(1)) },
    unit: 'events/s',
    goal: 'end-to-end throughput reported beside bare Kafka (no fixed ratio goal)',
    goalMet: true,
    notes: 'One 2-core machine runs Kafka, Cassandra, PostgreSQL, FerretDB, the gateway, the cloud services (writer and six projections) and the kiosks; Cassandra writes are the bottleneck (see eventStoreWriter.json).',
  });

}

/** One latency run at `rate`; writes the result when `earlier` is given (the attempts before it go into the notes). */
async function latencyPhase(rate: number, firstKiosk: number, earlier: string[] | null): Promise<string> {
  // Steady rate: kiosks record `rate` events/s in total (one event per SQLite transaction, FULL sync).
  const steady = await rig.provision(firstKiosk, kiosks);
  log(`latency: bare Kafka at ${rate} events/s for ${durationMs / 1000} s`);
  const bareLatency = await bareKafkaLatency(endpoints.kafkaBrokers, rate, durationMs);
  log(`bare Kafka p50 ${bareLatency.p50} ms p99 ${bareLatency.p99} ms`);
  const ends = await topicEnds(endpoints.kafkaBrokers);
  const loadAtStart = loadavg()[0]!;
  const poller = new VisibilityPoller(rig.audit.cassandra, steady.map((k) => k.kioskId));
  const recordedAt = new Map(steady.map((k) => [k.kioskId, new Map<number, number>()]));
  const ackedAt = new Map(steady.map((k) => [k.kioskId, new Map<number, number>()]));
  let results: { kioskId: string; recorded: number; lastSequence: number }[];
  if (inProcess) {
    results = await Promise.all(
      steady.map((identity, i) =>
        runSimulatedKiosk({
          identity,
          gatewayUrl: rig.gatewayUrl,
          ratePerS: rate / kiosks,
          maxEvents: Number.MAX_SAFE_INTEGER,
          maxDurationMs: durationMs,
          drainTimeoutMs: 120_000,
          seed: 100 + i,
          synchronous,
          onRecorded: (from, to, at) => {
            for (let s = from; s <= to; s += 1) recordedAt.get(identity.kioskId)!.set(s, at);
          },
          onAcked: (through, at) => {
            const acked = ackedAt.get(identity.kioskId)!;
            for (let s = acked.size + 1; s <= through; s += 1) acked.set(s, at);
          },
        }),
      ),
    );
  } else {
    // Each kiosk in its own process, as on real devices; latency from the event's own stamped time.
    const children = steady.map(
      (identity) =>
        new ChildService({
          name: identity.kioskId,
          script: 'e2e/src/pipeline/fleetSimulator.ts',
          args: ['--run-dir', rig.runDir, '--mall', rig.mallId, '--first-kiosk', /-k(\d+)$/.exec(identity.kioskId)![1]!, '--kiosks', '1', '--rate', String(rate / kiosks), '--events', '100000000', '--duration', String(durationMs / 1000), '--drain-timeout', '120', '--synchronous', synchronous, '--gateway', rig.gatewayUrl, '--no-provision'],
          env: {},
          logFile: join(rig.workDir, 'logs', `${identity.kioskId}.log`),
        }),
    );
    await Promise.all(children.map((c) => c.start()));
    await Promise.all(children.map((c) => c.waitForExit(durationMs + 240_000)));
    await Promise.all(children.map((c) => c.stop()));
    results = steady.map((identity) => {
      const times = outboxPoints(identity.dataDir).eventMs;
      for (const [seq, at] of times) recordedAt.get(identity.kioskId)!.set(seq, at);
      return { kioskId: identity.kioskId, recorded: times.size, lastSequence: Math.max(0, ...times.keys()) };
    });
  }
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && results.some((r) => poller.visibleThrough(r.kioskId) < r.lastSequence)) await new Promise((resolve) => setTimeout(resolve, 100));
  await poller.stop();
  // Where the time goes, hop by hop (from the outboxes, Kafka record times, Cassandra write times, and the logs with --trace-logs).
  const { hops, timeline } = await measureHops({
    brokers: endpoints.kafkaBrokers,
    ends,
    kiosks: steady.map((k) => ({ kioskId: k.kioskId, dataDir: k.dataDir, lastSequence: results.find((r) => r.kioskId === k.kioskId)?.lastSequence ?? 0 })),
    cassandra: rig.audit.cassandra,
    visibleAt: poller.visibleAt,
    ...(traceLogs ? { gatewayLog: join(rig.workDir, 'logs', 'gateway.log'), writerLog: join(rig.workDir, 'logs', 'cloud-services.log') } : {}),
  });
  const load = `${loadAtStart.toFixed(1)}→${loadavg()[0]!.toFixed(1)}`;
  const machineClock = hops.find((h) => h.hop.startsWith('commit→visible'));
  log(`event time→visible p50/max ms by second of the run: ${timeline}`);
  log(`hops at ${rate}/s (p50/p99 ms): ${formatHops(hops)}`);
  const latencies: number[] = [];
  // Steady state: events recorded after the first `warmUpMs` (eight kiosk processes starting at once load their code meanwhile).
  const steadyFrom = [...recordedAt.values()].reduce((first, times) => [...times.values()].reduce((a, b) => Math.min(a, b), first), Infinity) + warmUpMs;
  const steadyLatencies: number[] = [];
  for (const [kioskId, times] of recordedAt) {
    for (const [seq, at] of times) {
      const visible = poller.visibleAt.get(kioskId)?.get(seq);
      if (visible !== undefined) latencies.push(visible - at);
      if (visible !== undefined && at >= steadyFrom) steadyLatencies.push(visible - at);
    }
  }
  latencies.sort((a, b) => a - b);
  steadyLatencies.sort((a, b) => a - b);
  // Where the time goes (in-process kiosks only): commit to the gateway's acknowledgement, then to the row.
  const toAck: number[] = [];
  for (const [kioskId, times] of recordedAt) {
    for (const [seq, at] of times) {
      const acked = ackedAt.get(kioskId)?.get(seq);
      if (acked !== undefined) toAck.push(acked - at);
    }
  }
  toAck.sort((a, b) => a - b);
  if (inProcess) log(`commit → acknowledged: p50 ${quantile(toAck, 0.5)} ms p99 ${quantile(toAck, 0.99)} ms (polled every ${Math.min(50, Math.round(1000 / (rate / kiosks)))} ms)`);
  const recorded = results.reduce((n, r) => n + r.recorded, 0);
  const achieved = Math.round(recorded / (durationMs / 1000));
  const p99 = quantile(latencies, 0.99);
  log(`kiosk → Cassandra at ${achieved} events/s achieved: p50 ${quantile(latencies, 0.5)} ms p99 ${p99} ms (${latencies.length}/${recorded} measured); after the first ${warmUpMs / 1000} s: p50 ${quantile(steadyLatencies, 0.5)} ms p99 ${quantile(steadyLatencies, 0.99)} ms`);
  const summary = `at ${rate}/s target (load average ${load}): ${achieved}/s achieved, p50 ${quantile(latencies, 0.5)} ms, p99 ${p99} ms (after ${warmUpMs / 1000} s: ${quantile(steadyLatencies, 0.5)}/${quantile(steadyLatencies, 0.99)} ms)${inProcess ? `, commit to acknowledgement p50 ${quantile(toAck, 0.5)} ms` : ''} (bare Kafka p50 ${bareLatency.p50} ms, p99 ${bareLatency.p99} ms); hops p50/p99 ms: ${formatHops(hops)}`;
  if (!earlier) return summary;
  writeBenchResult({
    name: 'pipelineLatency',
    candidate: {
      label: `${kiosks} kiosks (${inProcess ? 'sharing one process' : 'one process each'}) recording ${rate} events/s in total (one event per ${synchronous}-sync SQLite commit); ${inProcess ? 'commit' : 'event time'} to row visible in Cassandra (polled every 20 ms)`,
      value: p99,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: p99,
      maxMs: latencies.at(-1) ?? NaN,
      measured: latencies.length,
      recorded,
      targetPerS: rate,
      achievedPerS: achieved,
      ...(inProcess ? { commitToAckP50Ms: quantile(toAck, 0.5), commitToAckP99Ms: quantile(toAck, 0.99) } : {}),
      afterWarmUpP50Ms: quantile(steadyLatencies, 0.5),
      afterWarmUpP99Ms: quantile(steadyLatencies, 0.99),
      ...(machineClock ? { machineClockP50Ms: machineClock.p50, machineClockP99Ms: machineClock.p99 } : {}),
      loadAverage1m: load,
    },
    baseline: { label: `bare Kafka on the same broker: kafkajs acks=all, what is due sent every 5 ms at ${rate}/s, send to consume`, value: bareLatency.p99, p50Ms: bareLatency.p50, p99Ms: bareLatency.p99, maxMs: bareLatency.max, measured: bareLatency.count, achievedPerS: bareLatency.achievedPerS },
    unit: 'ms (p99)',
    goal: 'p99 <= 250 ms at the steady rate',
    goalMet: p99 <= 250 && achieved >= rate * 0.95,
    notes: `Latency includes the kiosk sync loop (one batch in flight per kiosk), gateway signature check and Kafka acknowledgement, the writer (Cassandra LOCAL_QUORUM) and up to 20 ms of polling. ${inProcess ? 'All kiosks share one Node process here (synchronous SQLite commits on one event loop).' : 'Each kiosk runs in its own process (the fleet simulator for one kiosk), as on real devices.'} Kiosk event times run slightly ahead of the machine clock (the kiosk's clock correction counts half of an upload's round trip, Kafka wait included, as network), so machineClock* is commit to visible on the machine clock. afterWarmUp* leave out the first ${warmUpMs / 1000} s, while the kiosk processes start. Load average (1 min) ${load} on ${cpus().length} cores shared with other work. Per hop in this run (p50/p99 ms${traceLogs ? ', gateway and cloud services logging at debug' : ''}): ${formatHops(hops)}. Earlier attempts in this run: ${earlier.join(' | ') || 'none'}.${values.note ? ` ${values.note}` : ''}`,
  });
  return summary;
}
