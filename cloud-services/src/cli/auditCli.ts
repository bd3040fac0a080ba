// Gap audit from the command line: `tsx cloud-services/src/cli/auditCli.ts --help`.
import { parseArgs } from 'node:util';
import { configEnvNames, loadCloudConfig } from '../config/cloudConfig';
import { formatAuditTable } from '../audit/gapAudit';
import { runGapAudit } from '../audit/gapAuditService';
import { createLogger } from '../log/logger';
import { cloudConnections } from '../runtime/cloudConnections';

const HELP = `atrium-audit: per kiosk, the highest contiguous sequence in the event store, missing ranges, counts

Usage: tsx cloud-services/src/cli/auditCli.ts [--kiosk <id>]... [--json] [--no-compact]

Options:
  --kiosk <id>   audit this kiosk (repeatable); default every kiosk
  --json         print JSON instead of a table
  --no-compact   do not compact long summaries while reading them
  --help         show this help

Exit status: 0 when no kiosk has missing sequences, 2 when some do, 1 on error.
Environment: ${configEnvNames.join(', ')}
`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { kiosk: { type: 'string', multiple: true }, json: { type: 'boolean' }, 'no-compact': { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = loadCloudConfig(process.env, { logLevel: 'warn' });
  const connections = cloudConnections(config, createLogger('atrium-audit', config.logLevel));
  try {
    const audits = await runGapAudit(await connections.eventStore(), { ...(values.kiosk ? { kioskIds: values.kiosk } : {}), ...(values['no-compact'] ? { compactAbove: 0 } : {}) });
    process.stdout.write(values.json ? `${JSON.stringify({ kiosks: audits }, null, 2)}\n` : `${formatAuditTable(audits)}\n`);
    return audits.some((a) => a.missingCount > 0) ? 2 : 0;
  } finally {
    await connections.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`atrium-audit: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
