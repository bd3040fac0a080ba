// The `npm run stack:*` / `npm start` entry point: parses arguments, resolves the one
// StackConfig, and hands it to the stack commands. Human progress goes to stderr.
import { HELP_TEXT, parseCliArgs, type CliArgs } from './cliArgs';
import { runMigrations, type MigrationStore } from './migrations/runMigrations';
import { runNodetool } from './services/cassandraService';
import { findRepoPaths } from './repoPaths';
import { reporterFor } from './progress';
import { stackDown } from './stack/stackDown';
import { formatStatusTable, stackStatus } from './stack/stackStatus';
import { fetchArtifacts, stackUp } from './stack/stackUp';
import { runInForeground } from './stack/startForeground';
import { resolveStackConfig, type StackConfig } from './stackConfig';
import { endpointsFor, endpointsToEnv, type StackEndpoints } from './stackEndpoints';
import { isStackError } from './stackError';

function storesOf(config: StackConfig): MigrationStore[] {
  const stores: MigrationStore[] = [];
  if (config.services.includes('postgres')) stores.push('postgres');
  if (config.services.includes('cassandra')) stores.push('cassandra');
  if (config.services.includes('ferretdb')) stores.push('mongo');
  if (config.services.includes('kafka')) stores.push('kafka');
  return stores;
}

async function migrate(config: StackConfig, endpoints: StackEndpoints): Promise<void> {
  const report = reporterFor('migrate');
  const applied = await runMigrations(endpoints, { migrationsDir: config.migrationsDir, replication: config.cassandra.replication, stores: storesOf(config), report });
  for (const [store, files] of Object.entries(applied)) {
    if (storesOf(config).includes(store as MigrationStore)) report(`${store}: ${files.length ? `applied ${files.join(', ')}` : 'up to date'}`);
  }
}

function printEndpoints(config: StackConfig, endpoints: StackEndpoints): void {
  const env = endpointsToEnv(endpoints);
  const wanted: Record<string, boolean> = {
    ATRIUM_KAFKA_BROKERS: config.services.includes('kafka'),
    ATRIUM_CASSANDRA_CONTACT_POINTS: config.services.includes('cassandra'),
    ATRIUM_CASSANDRA_DC: config.services.includes('cassandra'),
    ATRIUM_CASSANDRA_KEYSPACE: config.services.includes('cassandra'),
    ATRIUM_PG_URL: config.services.includes('postgres'),
    ATRIUM_MONGO_URL: config.services.includes('ferretdb'),
  };
  process.stdout.write(`\nAtrium ${config.profile} stack is up (logs in ${config.logsDir}):\n`);
  for (const [name, value] of Object.entries(env)) if (wanted[name]) process.stdout.write(`  ${name}=${value}\n`);
  process.stdout.write('\n');
}

async function run(args: CliArgs): Promise<number> {
  if (args.command === 'help') {
    process.stdout.write(`${HELP_TEXT}\n`);
    return 0;
  }
  const config = resolveStackConfig(args.stack, process.env, findRepoPaths());
  switch (args.command) {
    case 'up': {
      printEndpoints(config, await stackUp(config));
      return 0;
    }
    case 'start': {
      const endpoints = await stackUp(config);
      await migrate(config, endpoints);
      printEndpoints(config, endpoints);
      await runInForeground(config, endpoints, { simulate: args.simulate }, async () => {
        if (args.downOnExit) await stackDown(config);
      });
      return 0;
    }
    case 'migrate': {
      await migrate(config, endpointsFor(config));
      return 0;
    }
    case 'down': {
      await stackDown(config, { purge: args.purge, ...(args.stack.only ? { only: args.stack.only } : {}) });
      return 0;
    }
    case 'status': {
      const status = await stackStatus(config);
      process.stdout.write(`${formatStatusTable(config, status)}\n`);
      // Like `systemctl status`: 3 when something is not running, for scripts.
      return status.services.every((s) => s.up) ? 0 : 3;
    }
    case 'fetch': {
      await fetchArtifacts(config);
      reporterFor('fetch')(`everything is in ${config.cacheDir}`);
      return 0;
    }
    case 'nodetool': {
      const result = runNodetool(config, args.rest.length ? args.rest : ['version']);
      process.stdout.write(result.output);
      return result.status;
    }
    default: {
      const unreachable: never = args.command;
      throw new Error(`unhandled command ${String(unreachable)}`);
    }
  }
}

try {
  process.exitCode = await run(parseCliArgs(process.argv.slice(2), process.env));
} catch (error) {
  if (isStackError(error)) {
    process.stderr.write(`\nerror: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
  } else {
    process.stderr.write(`\nerror: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = 1;
}
