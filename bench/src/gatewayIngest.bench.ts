// Acknowledged events per second through the sync gateway (signed, gzipped batches of 100 events
// of about 500 bytes from 16 simulated kiosks, each with its own registered device key) against
// Kafka's own ProducerPerformance (acks=all, idempotent, same record size) on the same private
// broker, side by side in one run, for each producer adapter. Writes bench/results/gatewayIngest.json.
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { exampleData, makeEvent, newEventId, topics, type CatalogueEvent } from '@atrium/contracts';
import { planBatch } from '../../sync-gateway/src/ingest/planBatch';
import { recordBytes } from '../../sync-gateway/src/kafka/eventProducer';
import { batchBody, signedUpload } from '../../sync-gateway/src/testing/unitServices';
import { ensureTopics, freePort, PrivateKafka, registerDevice } from '../../sync-gateway/src/testing/intHarness';
import type { TestDeviceKey } from '../../sync-gateway/src/testing/testSigner';
import { findRepoPaths } from '../../infra/local/src/repoPaths';
import { KAFKA_LIBRARY } from '../../infra/local/src/services/kafkaService';
import { benchEndpoints } from './benchSupport';
import { writeBenchResult } from './benchResult';

const { values } = parseArgs({ options: { batches: { type: 'string', default: '120' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write(
    'Usage: tsx bench/src/gatewayIngest.bench.ts [--batches N]\n\n' +
      'N batches of 100 events per simulated kiosk (16 kiosks; default 120, at most 400), split over 3 interleaved rounds.\nStarts a private Kafka broker,\n' +
      'uses the test stack PostgreSQL (npm run stack:up -- --profile test). Writes bench/results/gatewayIngest.json.\n',
  );
  process.exit(0);
}
const KIOSKS = 16;
const EVENTS_PER_BATCH = 100;
const BATCHES_PER_KIOSK = Math.min(400, Math.max(10, Number(values.batches)));
const PHASE_LIMIT_MS = 90_000;
const PP_TOPIC = 'bench.producer-performance';
const ROUNDS = 3;
const ADAPTERS = ['kafkajs', 'rdkafka'] as const;
type Adapter = (typeof ADAPTERS)[number];

const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const median = (xs: number[]): number => percentile(xs, 50);

/** An event of about 500 bytes as JSON. */
function event(kioskId: string, sequence: number) {
  const type = 'mall.directory.searched';
  const data = { ...exampleData[type], query: `q${sequence}-`.padEnd(150, 'x') };
  return makeEvent({ type, data } as CatalogueEvent, { id: newEventId(), kioskId, sequence, time: new Date().toISOString() });
}

interface PreparedRequest {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Signs and gzips every batch up front, so the load generator spends its CPU on sending only. */
async function prepare(kiosks: Array<{ kioskId: string; key: TestDeviceKey; next: number }>, base: string, batches: number): Promise<PreparedRequest[][]> {
  return Promise.all(
    kiosks.map(async (kiosk) => {
      const out: PreparedRequest[] = [];
      for (let b = 0; b < batches; b++) {
        const events = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => event(kiosk.kioskId, kiosk.next + i));
        kiosk.next += EVENTS_PER_BATCH;
        const upload = await signedUpload(kiosk.key, base, batchBody(events), { gzip: true });
        out.push({ path: new URL(upload.url).pathname, headers: { ...upload.headers, 'content-length': String(upload.body.length) }, body: upload.body });
      }
      return out;
    }),
  );
}

function post(agent: http.Agent, port: number, request: PreparedRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: request.path, headers: request.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

async function waitReady(adminPort: number, boundMs: number): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${adminPort}/readyz`)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the gateway did not become ready');
}

interface GatewayProcess {
  adapter: Adapter;
  kioskPort: number;
  adminPort: number;
  kiosks: Array<{ kioskId: string; key: TestDeviceKey; next: number }>;
  stop(): Promise<void>;
}

/** Starts a gateway in a child process (its own event loop, as in production) with 16 registered kiosks. */
async function startGatewayProcess(adapter: Adapter, brokers: string[], pgUrl: string, pool: pg.Pool): Promise<GatewayProcess> {
  const [kioskPort, adminPort] = [await freePort(), await freePort()];
  const suffix = randomBytes(3).toString('hex');
  const kiosks = await Promise.all(
    Array.from({ length: KIOSKS }, async (_, i) => {
      const kioskId = `bench-${suffix}-k${String(i).padStart(2, '0')}`;
      return { kioskId, key: await registerDevice(pool, kioskId), next: 1 };
    }),
  );
  const root = findRepoPaths().root;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'sync-gateway/src/main.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      ATRIUM_GATEWAY_KIOSK_PORT: String(kioskPort),
      ATRIUM_GATEWAY_ADMIN_PORT: String(adminPort),
      ATRIUM_KAFKA_BROKERS: brokers.join(','),
      ATRIUM_PG_URL: pgUrl,
      ATRIUM_GATEWAY_PRODUCER: adapter,
      ATRIUM_GATEWAY_LOG_LEVEL: 'warn',
      // The bench measures throughput, not the per-device rate limit.
      ATRIUM_GATEWAY_REQUESTS_PER_DEVICE_PER_MINUTE: '1000000',
    },
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await pool.query('DELETE FROM atrium.devices WHERE device_id = ANY($1)', [kiosks.map((k) => k.key.deviceId)]);
  };
  try {
    await waitReady(adminPort, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { adapter, kioskPort, adminPort, kiosks, stop };
}

/** One timed round against a running gateway: every kiosk posts its batches back to back, 16 at once. */
async function gatewayRound(gateway: GatewayProcess, batchesPerKiosk: number) {
  const base = `http://127.0.0.1:${gateway.kioskPort}`;
  const prepared = await prepare(gateway.kiosks, base, batchesPerKiosk + 1);
  const agent = new http.Agent({ keepAlive: true, maxSockets: KIOSKS, noDelay: true });
  // Warm-up: one batch per kiosk (connections, producer metadata).
  const warm = await Promise.all(prepared.map((batches) => post(agent, gateway.kioskPort, batches.shift()!)));
  if (warm.some((r) => r.status !== 200)) throw new Error(`warm-up failed: ${warm.map((r) => r.status).join(',')}`);
  const latencies: number[] = [];
  let acked = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  const stopAt = Date.now() + PHASE_LIMIT_MS;
  await Promise.all(
    prepared.map(async (batches) => {
      for (const request of batches) {
        if (Date.now() > stopAt) return;
        const t0 = process.hrtime.bigint();
        const result = await post(agent, gateway.kioskPort, request);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (result.status === 200) acked += (JSON.parse(result.body) as { accepted: number }).accepted;
        else failures += 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { eventsPerS: acked / seconds, acked, seconds, failures, latencies };
}

/** Kafka's ProducerPerformance on the same broker: same record size, acks=all, idempotent. */
async function producerPerformance(brokers: string[], recordSize: number, records: number) {
  const lib = join(findRepoPaths().cacheDir, KAFKA_LIBRARY.id, 'lib');
  const { stdout } = await promisify(execFile)(
    'java',
    [
      '-Xmx512m',
      '-cp',
      `${lib}/*`,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      PP_TOPIC,
      '--num-records',
      String(records),
      '--record-size',
      String(recordSize),
      '--throughput',
      '-1',
      // Steady state only, like the gateway side (whose warm-up batches are not timed either).
      '--warmup-records',
      String(Math.round(records / 5)),
      '--producer-props',
      `bootstrap.servers=${brokers.join(',')}`,
      'acks=all',
      'enable.idempotence=true',
    ],
    { timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
  );
  // With warm-up records, the last summary line is the steady state.
  const last = stdout.trim().split('\n').at(-1) ?? '';
  process.stderr.write(`ProducerPerformance: ${last}\n`);
  const match = /([\d.]+) records\/sec.*?([\d.]+) ms avg latency.*?(\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/.exec(last);
  if (!match) throw new Error(`cannot read ProducerPerformance output: ${last}`);
  return { eventsPerS: Number(match[1]), avgLatencyMs: Number(match[2]), p50: Number(match[3]), p99: Number(match[5]) };
}

const endpoints = benchEndpoints();
const pool = new pg.Pool({ connectionString: endpoints.postgresUrl, max: 2 });
const kafka = await PrivateKafka.create();
process.stderr.write('starting a private Kafka broker for the benchmark…\n');
await kafka.start();
try {
  // ProducerPerformance's topic is laid out like the gateway's: 3 partitions.
  await ensureTopics(kafka.brokers, [topics.kioskEvents, topics.ingestDeadLetter, PP_TOPIC]);
  // The Kafka record a gateway event becomes: key + value + headers, averaged over a batch.
  const sample = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => event('bench-sample-k00', i + 1));
  const plan = planBatch(sample, { deviceId: 'd', kioskId: 'bench-sample-k00', mallId: 'm' }, new Date().toISOString());
  const recordSize = Math.round(plan.records.reduce((n, r) => n + recordBytes(r) - 64, 0) / plan.records.length);
  const eventJsonBytes = Math.round(batchBody(sample).length / sample.length);

  const ppRecords = Math.min(1_000_000, KIOSKS * BATCHES_PER_KIOSK * EVENTS_PER_BATCH);
  const gateways = [] as GatewayProcess[];
  for (const adapter of ADAPTERS) gateways.push(await startGatewayProcess(adapter, kafka.brokers, endpoints.postgresUrl, pool));
  const baselineRuns: Array<Awaited<ReturnType<typeof producerPerformance>>> = [];
  const runs: Record<Adapter, Array<Awaited<ReturnType<typeof gatewayRound>>>> = { kafkajs: [], rdkafka: [] };
  try {
    // Rounds interleave the three sides, so a burst of other work on the machine hits all of them.
    for (let r = 0; r < ROUNDS; r++) {
      process.stderr.write(`round ${r + 1}/${ROUNDS}: ProducerPerformance…\n`);
      baselineRuns.push(await producerPerformance(kafka.brokers, recordSize, Math.round(ppRecords / ROUNDS)));
      for (const gateway of gateways) {
        process.stderr.write(`round ${r + 1}/${ROUNDS}: gateway with ${gateway.adapter}…\n`);
        runs[gateway.adapter].push(await gatewayRound(gateway, Math.round(BATCHES_PER_KIOSK / ROUNDS)));
      }
    }
  } catch (err) {
    for (const gateway of gateways) await gateway.stop();
    throw err;
  }
  // How much of a batch's round trip is the wait for Kafka: the gateway's own produce histogram.
  const produceMeanMs: Record<string, number> = {};
  for (const gateway of gateways) {
    const text = await (await fetch(`http://127.0.0.1:${gateway.adminPort}/metrics`)).text();
    const sum = Number(/atrium_gateway_produce_seconds_sum\{outcome="acked"\} ([\d.e+-]+)/.exec(text)?.[1]);
    const count = Number(/atrium_gateway_produce_seconds_count\{outcome="acked"\} (\d+)/.exec(text)?.[1]);
    produceMeanMs[gateway.adapter] = round((sum / count) * 1000);
  }
  const summary = (adapter: Adapter) => {
    const all = runs[adapter];
    const latencies = all.flatMap((run) => run.latencies);
    return { eventsPerS: median(all.map((run) => run.eventsPerS)), p50: percentile(latencies, 50), p99: percentile(latencies, 99), batches: latencies.length, failures: all.reduce((n, run) => n + run.failures, 0), rounds: all.map((run) => round(run.eventsPerS, 0)) };
  };
  for (const gateway of gateways) await gateway.stop();
  const sides = { kafkajs: summary('kafkajs'), rdkafka: summary('rdkafka') };
  const baseline = { eventsPerS: median(baselineRuns.map((b) => b.eventsPerS)), p50: median(baselineRuns.map((b) => b.p50)), p99: median(baselineRuns.map((b) => b.p99)) };
  const faster = ADAPTERS.reduce((a, b) => (sides[a].eventsPerS >= sides[b].eventsPerS ? a : b));
  const best = sides[faster];
  const result = writeBenchResult({
    name: 'gatewayIngest',
    candidate: {
      label: `sync gateway, ${faster} adapter (the faster in this run), acknowledged events/s, median of ${ROUNDS} rounds`,
      value: round(best.eventsPerS, 0),
      ...Object.fromEntries(
        ADAPTERS.flatMap((a) => [
          [`${a}_eventsPerS`, round(sides[a].eventsPerS, 0)],
          [`${a}_rounds`, sides[a].rounds.join(' ')],
          [`${a}_batchP50Ms`, round(sides[a].p50)],
          [`${a}_batchP99Ms`, round(sides[a].p99)],
          [`${a}_kafkaAckMeanMs`, produceMeanMs[a] ?? Number.NaN],
          [`${a}_batches`, sides[a].batches],
          [`${a}_non200`, sides[a].failures],
        ]),
      ),
    },
    baseline: {
      label: `Kafka ProducerPerformance, same broker, same record size, acks=all, idempotent, median of ${ROUNDS} rounds`,
      value: round(baseline.eventsPerS, 0),
      recordSizeBytes: recordSize,
      recordsPerRound: Math.round(ppRecords / ROUNDS),
      rounds: baselineRuns.map((b) => round(b.eventsPerS, 0)).join(' '),
      p50Ms: baseline.p50,
      p99Ms: baseline.p99,
    },
    unit: 'events/s',
    goal: 'ratio >= 0.7',
    goalMet: best.eventsPerS / baseline.eventsPerS >= 0.7,
    notes:
      `${KIOSKS} kiosks x ${Math.round(BATCHES_PER_KIOSK / ROUNDS)} timed batches per round of ${EVENTS_PER_BATCH} events (~${eventJsonBytes} B each as JSON), gzipped and signed up front; ` +
      `gateway in its own process, load generator in the bench process, one private Kafka broker and the test stack's PostgreSQL on the same 2 cores. ` +
      `Batch latency is the HTTP round trip until Kafka acknowledged the whole batch. Topic ${topics.kioskEvents} with 3 partitions. Load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on 2 cores (other work shares the machine).`,
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await kafka.stop();
  await pool.end();
}
