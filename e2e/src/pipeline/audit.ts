// The end-to-end audit: what the kiosks recorded against what Cassandra and the views hold.
// `tsx e2e/src/pipeline/audit.ts --help`.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCloudConfig } from '../../../cloud-services/src/config/cloudConfig';
import { formatAuditTable } from './auditCompare';
import { auditUntilClean, openAuditClients, type AuditKiosk, type AuditTargets } from './pipelineAudit';
import { readManifest } from './simulationManifest';

const HELP = `Usage: tsx e2e/src/pipeline/audit.ts --run-dir <dir> [--run-dir <dir> ...] [options]

Checks, for every kiosk of the simulation run folder(s) (manifest.json written by the fleet
simulator), that every sequence the kiosk recorded in its SQLite outbox is in Cassandra
(events_by_kiosk, by kiosk and bucket) exactly once under the same event id, that nothing else
is stored for it, and that the views hold what the recorded events imply: fleet status (last
heartbeat), store popularity (views and routes per store), offer performance (views and claims
per offer), offer claims and loyalty members (PostgreSQL), daily analytics per mall.

Prints a table (kiosk, recorded, acked, stored, missing, duplicates by id, unexpected rows,
view mismatches). Exit code 0 when everything matches, 1 on any difference, 2 on a usage error.

Options:
  --run-dir <dir>   a simulation run folder (repeatable)
  --wait <s>        re-audit until clean for up to this long (consumers catching up; default 0)
  --no-malls        skip the per-mall daily analytics check (when auditing part of a mall)
  --json            print the audit as JSON instead of the table
  --help            this text

Where it looks comes from the cloud services' environment: ATRIUM_CASSANDRA_CONTACT_POINTS,
ATRIUM_CASSANDRA_DC, ATRIUM_CASSANDRA_KEYSPACE, ATRIUM_PG_URL, ATRIUM_CLOUD_PG_SCHEMA,
ATRIUM_MONGO_URL (defaults: the dev stack).
`;

/** Audit targets from the cloud services' configuration (same env, same defaults). */
export function auditTargetsFromEnv(env: NodeJS.ProcessEnv): AuditTargets {
  const config = loadCloudConfig(env);
  return {
    cassandra: { contactPoints: config.cassandra.contactPoints, dataCenter: config.cassandra.dataCenter, keyspace: config.cassandra.keyspace },
    pgUrl: config.postgresUrl,
    pgSchema: config.postgresSchema,
    mongoUrl: config.mongoUrl,
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    strict: true,
    options: { 'run-dir': { type: 'string', multiple: true }, wait: { type: 'string' }, 'no-malls': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const runDirs = (values['run-dir'] ?? []).map((d) => resolve(d));
  if (runDirs.length === 0) {
    process.stderr.write('audit: give at least one --run-dir (see --help)\n');
    return 2;
  }
  const kiosks: AuditKiosk[] = [];
  for (const dir of runDirs) {
    const manifest = readManifest(dir);
    if (!manifest) {
      process.stderr.write(`audit: no manifest.json in ${dir}\n`);
      return 2;
    }
    kiosks.push(...manifest.kiosks.map((k) => ({ kioskId: k.kioskId, dataDir: k.dataDir })));
  }
  const clients = await openAuditClients(auditTargetsFromEnv(process.env));
  try {
    const audit = await auditUntilClean(clients, kiosks, { wholeMalls: !values['no-malls'], timeoutMs: Number(values.wait ?? 0) * 1000 });
    if (values.json) process.stdout.write(`${JSON.stringify(audit)}\n`);
    else {
      process.stdout.write(`${formatAuditTable(audit.kiosks)}\n`);
      for (const m of audit.mallMismatches) process.stdout.write(`  ${m}\n`);
      process.stdout.write(audit.clean ? '\naudit: clean — every recorded event stored exactly once, views match\n' : '\naudit: DIFFERENCES FOUND\n');
    }
    return audit.clean ? 0 : 1;
  } finally {
    await clients.close();
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
