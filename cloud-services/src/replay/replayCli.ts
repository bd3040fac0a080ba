// Rebuilds a view from the event store: `tsx cloud-services/src/replay/replayCli.ts --help`.
import { parseArgs } from 'node:util';
import { ALL_PROJECTIONS, ConfigError, configEnvNames, loadCloudConfig, type ProjectionName } from '../config/cloudConfig';
import { createLogger } from '../log/logger';
import { cloudConnections } from '../runtime/cloudConnections';
import { rebuildView } from './rebuildView';
import { runCli } from '../cli/runCli';

const HELP = `atrium-replay: rebuild a view from the Cassandra event store

Usage: tsx cloud-services/src/replay/replayCli.ts --view <name> [--swap] [--json]

Reads every stored event, kiosk by kiosk in sequence order, and applies it to a fresh copy of the
view (<table>_rebuild in PostgreSQL, <collection>_rebuild in MongoDB) with its own watermarks.
Without --swap the copy is left beside the live view to compare; with --swap it replaces the live
view. Before --swap, stop that view's consumer (cloud services with --projections leaving it out)
and let the writer catch up (atrium-audit); started again, the consumer skips what the rebuild
already applied.

Options:
  --view <name>   ${ALL_PROJECTIONS.join(', ')}
  --swap          replace the live view with the rebuilt copy
  --json          the summary as one JSON line
  --help          show this help

Progress goes to stderr. Exit status: 0 rebuilt, 1 error.
Environment: ${configEnvNames.join(', ')}
`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { view: { type: 'string' }, swap: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const view = values.view as ProjectionName | undefined;
  if (!view || !ALL_PROJECTIONS.includes(view)) throw new ConfigError(`--view must be one of ${ALL_PROJECTIONS.join(', ')}`);
  const config = loadCloudConfig(process.env, { logLevel: 'warn' });
  const connections = cloudConnections(config, createLogger('atrium-replay', config.logLevel));
  const started = Date.now();
  let lastReport = 0;
  try {
    const report = await rebuildView(view, config, connections, {
      swap: values.swap ?? false,
      onProgress: ({ kiosks, events }) => {
        if (Date.now() - lastReport < 1_000) return;
        lastReport = Date.now();
        process.stderr.write(`rebuilding ${view}: ${kiosks} kiosks, ${events} events, ${Math.round((Date.now() - started) / 1000)} s\n`);
      },
    });
    const summary = { ...report, seconds: Math.round((Date.now() - started) / 100) / 10 };
    process.stdout.write(
      values.json
        ? `${JSON.stringify(summary)}\n`
        : `${view}: ${report.events} events of ${report.kiosks} kiosks applied in ${summary.seconds} s; ${report.swapped ? 'swapped in' : 'left beside the live view (run with --swap to replace it)'}\n`,
    );
    return 0;
  } finally {
    await connections.close();
  }
}

runCli('atrium-replay', main);
