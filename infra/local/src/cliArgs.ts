import { parseArgs } from 'node:util';
import { PROFILES, SERVICE_NAMES, type Profile, type ServiceName, type StackOptions } from './stackConfig';
import { StackError } from './stackError';

export const COMMANDS = ['up', 'down', 'status', 'start', 'migrate', 'fetch', 'nodetool', 'help'] as const;
/** A CLI sub-command. */
export type Command = (typeof COMMANDS)[number];

/** The parsed command line. */
export interface CliArgs {
  command: Command;
  stack: StackOptions;
  /** down: also delete the profile's state folder. */
  purge: boolean;
  /** start: bring the stack down when the foreground process ends. */
  downOnExit: boolean;
  /** start: simulated kiosks to run beside the dev kiosk (--simulate N, or ATRIUM_SIMULATE). */
  simulate: number;
  /** nodetool: arguments passed through. */
  rest: string[];
}

export const HELP_TEXT = `Atrium local stack: Kafka (KRaft), Cassandra, PostgreSQL and FerretDB as plain processes.

Usage: npm run stack:<up|down|status> [-- options]     npm start [-- options]
       npx tsx infra/local/src/cli.ts <command> [options]

Commands
  up         start the servers (reusing running ones) and wait until each answers
  start      up + migrate, print the endpoints, run the app services, stay in the
             foreground until Ctrl-C (the stack keeps running unless --down-on-exit)
  down       stop the servers and check that no process of the stack is left
  status     each server up/down with its version, endpoint and pids
  migrate    apply pending migrations (infra/migrations) to PostgreSQL, Cassandra, FerretDB,
             and create the Kafka topics that are missing
  fetch      download and build what the servers need into .cache, start nothing
  nodetool   run Cassandra's nodetool from the cached jars: nodetool -- status

Options
  --profile dev|test    dev (default) or test: other ports, other state folder
  --brokers 1|3         Kafka brokers (3: replication factor 3, min.insync.replicas 2)
  --only a,b            a subset of ${SERVICE_NAMES.join(',')} (dependencies come along)
  --purge               down: also delete .state/<profile> (all data and logs)
  --down-on-exit        start: bring the stack down on Ctrl-C
  --simulate N          start: also run the fleet simulator with N kiosks (0-500; or ATRIUM_SIMULATE)
  -h, --help            this text

Ports (dev; test = +10000), each overridable by env, e.g. ATRIUM_KAFKA_PORT (dev) or
ATRIUM_TEST_KAFKA_PORT (test): Kafka 9092 (brokers 2,3: 9094, 9096; controllers 9093, 9095, 9097),
Cassandra CQL 9042 (storage 7010, JMX 7209), PostgreSQL 5433, FerretDB 27017.
Other env: ATRIUM_STATE_DIR, ATRIUM_CACHE_DIR, ATRIUM_KAFKA_HEAP_MB, ATRIUM_CASSANDRA_HEAP_MB,
ATRIUM_STACK_READY_TIMEOUT_S, ATRIUM_CASSANDRA_REPLICATION (e.g. NetworkTopologyStrategy:dc1=3),
ATRIUM_PG_BIN_DIR.`;

function parseProfile(value: string | undefined): Profile {
  const profile = value ?? 'dev';
  if (!(PROFILES as readonly string[]).includes(profile)) throw new StackError('BAD_ARGUMENT', `--profile must be one of ${PROFILES.join(', ')}, got "${profile}"`);
  return profile as Profile;
}

function parseBrokers(value: string | undefined): 1 | 3 {
  if (value === undefined || value === '1') return 1;
  if (value === '3') return 3;
  throw new StackError('BAD_ARGUMENT', `--brokers must be 1 or 3, got "${value}"`);
}

function parseOnly(value: string | undefined): ServiceName[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new StackError('BAD_ARGUMENT', `--only takes a comma-separated subset of ${SERVICE_NAMES.join(', ')}; unknown: ${unknown.join(', ') || '(empty)'}`);
  }
  return names as ServiceName[];
}

const MAX_SIMULATED_KIOSKS = 500;

function parseSimulate(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const kiosks = Number(value);
  if (!Number.isInteger(kiosks) || kiosks < 0 || kiosks > MAX_SIMULATED_KIOSKS) {
    throw new StackError('BAD_ARGUMENT', `--simulate takes a whole number of kiosks from 0 to ${MAX_SIMULATED_KIOSKS}, got "${value}"`);
  }
  return kiosks;
}

/** Parses argv (without node and the script); `help` when asked for or when no command is given. */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        profile: { type: 'string' },
        brokers: { type: 'string' },
        only: { type: 'string' },
        purge: { type: 'boolean', default: false },
        'down-on-exit': { type: 'boolean', default: false },
        simulate: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new StackError('BAD_ARGUMENT', (error as Error).message, 'see --help');
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  if (first !== undefined && !(COMMANDS as readonly string[]).includes(first)) {
    throw new StackError('BAD_ARGUMENT', `unknown command "${first}"`, `one of: ${COMMANDS.join(', ')}`);
  }
  const command: Command = values.help || first === undefined ? 'help' : (first as Command);
  if (rest.length > 0 && command !== 'nodetool') throw new StackError('BAD_ARGUMENT', `unexpected arguments: ${rest.join(' ')}`);
  const only = parseOnly(values.only);
  return {
    command,
    stack: { profile: parseProfile(values.profile), brokers: parseBrokers(values.brokers), ...(only ? { only } : {}) },
    purge: values.purge ?? false,
    downOnExit: values['down-on-exit'] ?? false,
    simulate: parseSimulate(values.simulate ?? env.ATRIUM_SIMULATE),
    rest,
  };
}
