// The fleet simulator: N kiosks, each a real edge core (its own SQLite outbox, device key and
// registered device), recording a shopper mix through the real gateway. `--help` for usage.
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { provisionDevice } from './provisionDevice';
import { ensureManifest, manifestKiosks } from './simulationManifest';
import { runSimulatedKiosk, type SimulatedKioskProgress, type SimulatedKioskResult } from './simulatedKiosk';

const HELP = `Usage: tsx e2e/src/pipeline/fleetSimulator.ts [options]

Simulates a fleet of kiosks. Each is a real kiosk edge core (SQLite store, transactional outbox,
signed sync client) with its own data folder and Ed25519 device key, registered in
atrium.devices as provisioning would. Each records a shopper mix (sessions with searches, store
views, routes, offer views and claims, loyalty, feedback, heartbeats) at the given rate and
uploads through the real gateway. Recording stops after --events or --duration, whichever comes
first; then the simulator waits up to --drain-timeout for everything to be acknowledged.
The run folder keeps every kiosk's SQLite file and a manifest.json for the audit
(tsx e2e/src/pipeline/audit.ts --run-dir <dir>). Running again on the same folder resumes the
same kiosks (their outboxes continue where they stopped).

Options:
  --kiosks <n>            kiosks to simulate (default 10)
  --first-kiosk <n>       number of the first kiosk (default 1): <mall>-k001, -k002, ...
  --rate <events/s>       events per second per kiosk (default 2)
  --events <n>            events per kiosk in this run (default 500)
  --duration <s>          stop recording after this many seconds (default 60)
  --drain-timeout <s>     wait this long at most for acknowledgements (default 120)
  --mall <id>             mall id (default sim-<random>); kiosk ids are <mall>-k<nnn>
  --run-dir <dir>         run folder (default .state/simulations/<mall>)
  --gateway <url>         gateway kiosk URL (default $ATRIUM_GATEWAY_URL or http://127.0.0.1:8443)
  --pg <url>              PostgreSQL with atrium.devices (default $ATRIUM_PG_URL)
  --clock-skew-ms <ms>    the kiosks' wall clocks run this far off (e.g. 86400000)
  --synchronous <mode>    FULL (default, as kiosks run) or NORMAL
  --events-per-tx <n>     events per SQLite transaction (default 1)
  --backoff-cap-ms <ms>   longest retry pause of the sync client (default 5000)
  --seed <n>              seed of the shopper mix (default random)
  --no-provision          do not (re-)register devices
  --progress-s <s>        seconds between progress lines on stderr (default 5)
  --json                  print the result as JSON on stdout
  --help                  this text

Progress goes to stderr (--progress-s). Exit code 0 when every kiosk drained, 2 otherwise.
`;

/** The simulator's validated options. */
export const SimulatorOptions = Type.Object({
  kiosks: Type.Integer({ minimum: 1, maximum: 10_000, default: 10 }),
  firstKiosk: Type.Integer({ minimum: 1, maximum: 999, default: 1 }),
  rate: Type.Number({ exclusiveMinimum: 0, maximum: 100_000, default: 2 }),
  events: Type.Integer({ minimum: 0, maximum: 100_000_000, default: 500 }),
  durationS: Type.Number({ minimum: 0, default: 60 }),
  drainTimeoutS: Type.Number({ minimum: 0, default: 120 }),
  mall: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,40}$' }),
  runDir: Type.String({ minLength: 1 }),
  gateway: Type.String({ minLength: 1 }),
  pgUrl: Type.String({ minLength: 1 }),
  clockSkewMs: Type.Integer({ default: 0 }),
  synchronous: Type.Union([Type.Literal('FULL'), Type.Literal('NORMAL')], { default: 'FULL' }),
  eventsPerTx: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
  backoffCapMs: Type.Integer({ minimum: 1, default: 5_000 }),
  seed: Type.Integer({ minimum: 0 }),
  provision: Type.Boolean({ default: true }),
  json: Type.Boolean({ default: false }),
  progressS: Type.Number({ exclusiveMinimum: 0, default: 5 }),
});
export type SimulatorOptions = Static<typeof SimulatorOptions>;

/** Parses the command line and environment into options; throws naming the first bad option. */
export function parseSimulatorArgs(argv: readonly string[], env: NodeJS.ProcessEnv): SimulatorOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      kiosks: { type: 'string' },
      'first-kiosk': { type: 'string' },
      rate: { type: 'string' },
      events: { type: 'string' },
      duration: { type: 'string' },
      'drain-timeout': { type: 'string' },
      mall: { type: 'string' },
      'run-dir': { type: 'string' },
      gateway: { type: 'string' },
      pg: { type: 'string' },
      'clock-skew-ms': { type: 'string' },
      synchronous: { type: 'string' },
      'events-per-tx': { type: 'string' },
      'backoff-cap-ms': { type: 'string' },
      seed: { type: 'string' },
      'no-provision': { type: 'boolean' },
      'progress-s': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const mall = values.mall ?? `sim-${randomBytes(3).toString('hex')}`;
  const raw = {
    kiosks: values.kiosks,
    firstKiosk: values['first-kiosk'],
    rate: values.rate,
    events: values.events,
    durationS: values.duration,
    drainTimeoutS: values['drain-timeout'],
    mall,
    runDir: resolve(values['run-dir'] ?? join('.state', 'simulations', mall)),
    gateway: values.gateway ?? env.ATRIUM_GATEWAY_URL ?? 'http://127.0.0.1:8443',
    pgUrl: values.pg ?? env.ATRIUM_PG_URL ?? 'postgres://atrium:atrium@127.0.0.1:5433/atrium',
    clockSkewMs: values['clock-skew-ms'],
    synchronous: values.synchronous,
    eventsPerTx: values['events-per-tx'],
    backoffCapMs: values['backoff-cap-ms'],
    seed: values.seed ?? String(randomBytes(4).readUInt32BE(0)),
    provision: !values['no-provision'],
    json: values.json ?? false,
    progressS: values['progress-s'],
  };
  const options = Value.Default(SimulatorOptions, Value.Convert(SimulatorOptions, Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined))));
  if (!Value.Check(SimulatorOptions, options)) {
    const first = [...Value.Errors(SimulatorOptions, options)][0];
    throw new Error(`invalid option ${first?.path}: ${first?.message}`);
  }
  return options;
}

/** The outcome of a fleet run. */
export interface FleetResult {
  mallId: string;
  runDir: string;
  kiosks: SimulatedKioskResult[];
  recorded: number;
  drained: boolean;
  elapsedMs: number;
}

/** Provisions and runs the fleet; `signal` stops recording early (SIGINT). */
export async function runFleet(options: SimulatorOptions, signal?: AbortSignal, progress: (line: string) => void = () => undefined): Promise<FleetResult> {
  const manifest = ensureManifest(options.runDir, options.mall, options.firstKiosk, options.kiosks);
  const identities = manifestKiosks(manifest, options.firstKiosk, options.kiosks);
  if (options.provision) {
    const pool = new pg.Pool({ connectionString: options.pgUrl, max: 4 });
    try {
      for (const identity of identities) await provisionDevice(pool, identity);
    } finally {
      await pool.end();
    }
  }
  const started = Date.now();
  const live = new Map<string, SimulatedKioskProgress>();
  const ticker = setInterval(() => {
    const all = [...live.values()];
    const sum = (f: (p: SimulatedKioskProgress) => number) => all.reduce((n, p) => n + f(p), 0);
    progress(
      `t=${((Date.now() - started) / 1000).toFixed(0)}s kiosks=${identities.length} recorded=${sum((p) => p.recorded)} ` +
        `undelivered=${sum((p) => p.lastSequence - p.ackedThrough)} online=${all.filter((p) => p.online).length}/${identities.length}`,
    );
  }, options.progressS * 1000);
  try {
    const results = await Promise.all(
      identities.map((identity, index) =>
        runSimulatedKiosk(
          {
            identity,
            gatewayUrl: options.gateway,
            ratePerS: options.rate,
            maxEvents: options.events,
            maxDurationMs: options.durationS * 1000,
            drainTimeoutMs: options.drainTimeoutS * 1000,
            seed: options.seed + options.firstKiosk + index,
            clockSkewMs: options.clockSkewMs,
            synchronous: options.synchronous,
            eventsPerTransaction: options.eventsPerTx,
            sync: { backoffCapMs: options.backoffCapMs },
          },
          signal,
          (p) => live.set(p.kioskId, p),
        ),
      ),
    );
    return {
      mallId: manifest.mallId,
      runDir: options.runDir,
      kiosks: results,
      recorded: results.reduce((n, r) => n + r.recorded, 0),
      drained: results.every((r) => r.drained),
      elapsedMs: Date.now() - started,
    };
  } finally {
    clearInterval(ticker);
  }
}

async function main(): Promise<void> {
  const options = parseSimulatorArgs(process.argv.slice(2), process.env);
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const log = (line: string) => process.stderr.write(`[simulator] ${line}\n`);
  log(`mall ${options.mall}: ${options.kiosks} kiosk(s) at ${options.rate} events/s each, up to ${options.events} events or ${options.durationS}s; run folder ${options.runDir}`);
  const result = await runFleet(options, stop.signal, log);
  log(`recorded ${result.recorded} events in ${(result.elapsedMs / 1000).toFixed(1)}s; ${result.drained ? 'everything acknowledged' : 'NOT everything acknowledged'}`);
  if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.drained ? 0 : 2;
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`fleet simulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
