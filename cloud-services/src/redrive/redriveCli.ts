// Replays dead-lettered events into a stage: `tsx cloud-services/src/redrive/redriveCli.ts --help`.
import { parseArgs } from 'node:util';
import { deadLetterHeaders } from '@atrium/contracts';
import { ConfigError, configEnvNames, loadCloudConfig } from '../config/cloudConfig';
import { CRM_STAGE, crmApplier } from '../integrations/crmApplier';
import { createCrmClient } from '../integrations/crmClient';
import { crmEnvNames, loadCrmConfig } from '../integrations/crmConfig';
import { decodeRecord, headersAsStrings } from '../kafka/decodeRecord';
import { createLogger } from '../log/logger';
import { pgMemberKeyStore } from '../pii/memberKeyStore';
import { readMemberPii } from '../pii/memberPii';
import { loadPiiConfig, piiEnvNames } from '../pii/piiConfig';
import { piiResealer } from '../pii/piiResealer';
import { cloudConnections } from '../runtime/cloudConnections';
import { readDeadLetters } from './deadLetterReader';
import { REDRIVE_STAGES, stageRedrive } from './stageRedrive';
import { runCli } from '../cli/runCli';

const HELP = `atrium-redrive: replay dead-lettered events back into the stage that dead-lettered them

Usage: tsx cloud-services/src/redrive/redriveCli.ts --stage <name> [--kiosk <id>]... [--dry-run] [--json]

Reads the processing dead-letter topic (ATRIUM_CLOUD_TOPIC_DLQ) from its beginning to its current end,
takes the records whose stage header is <name>, and applies each event into that stage again with the
stage's redrive: a view applies it only while its dead-letter mark exists (and removes the mark), so a
second run changes nothing and reports "not-dead-lettered". Fix the cause first (a key, a schema, a bug).

Options:
  --stage <name>   ${REDRIVE_STAGES.join(', ')}
  --kiosk <id>     only this kiosk's records (repeatable)
  --dry-run        list what would be redriven, apply nothing
  --json           one JSON line per record, then a JSON summary
  --help           show this help

The event store and loyalty-members need the PII keys (${piiEnvNames.join(', ')}) to reseal enrolments;
crm-forwarder needs the CRM settings and ATRIUM_PII_MEMBER_KEK.
Exit status: 0 all applied or already applied, 2 some records failed or could not be decoded, 1 error.
Environment: ${[...configEnvNames, ...piiEnvNames, ...crmEnvNames].join(', ')}
`;

type Outcome = 'applied' | 'not-dead-lettered' | 'would-redrive' | 'failed' | 'undecodable';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { stage: { type: 'string' }, kiosk: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const stage = values.stage;
  if (!stage || !REDRIVE_STAGES.includes(stage)) throw new ConfigError(`--stage must be one of ${REDRIVE_STAGES.join(', ')}`);
  const config = loadCloudConfig(process.env, { logLevel: 'warn' });
  const log = createLogger('atrium-redrive', config.logLevel);
  const connections = cloudConnections(config, log);
  try {
    const pii = loadPiiConfig(process.env);
    const kek = pii?.memberKeyWrapKey ?? process.env[piiEnvNames[2]];
    const keys = kek ? pgMemberKeyStore(connections.pg(), config.postgresSchema, Buffer.from(kek, 'base64')) : undefined;
    if ((stage === 'event-store' || stage === 'loyalty-members') && !(pii && keys)) throw new ConfigError(`--stage ${stage} needs the PII keys (${piiEnvNames.slice(0, 3).join(', ')})`);
    if (stage === CRM_STAGE && !keys) throw new ConfigError(`--stage ${stage} needs ${piiEnvNames[2]}`);
    const integration =
      stage === CRM_STAGE && keys
        ? crmApplier({ crm: createCrmClient(loadCrmConfig(process.env), log), readPii: (emailHash) => readMemberPii(connections.pg(), config.postgresSchema, keys, { emailHash }), log })
        : undefined;
    const redrive = await stageRedrive(stage, config, connections, { ...(pii && keys ? { resealer: piiResealer(pii, keys) } : {}), ...(integration ? { integration } : {}) });
    const counts: Record<Outcome, number> = { applied: 0, 'not-dead-lettered': 0, 'would-redrive': 0, failed: 0, undecodable: 0 };
    const kiosks = values.kiosk ? new Set(values.kiosk) : undefined;
    await readDeadLetters(connections.kafka, config.topics.processingDeadLetter, config.groupPrefix, async ({ partition, offset, message }) => {
      const headers = headersAsStrings(message.headers);
      if (headers[deadLetterHeaders.stage] !== stage) return;
      const decoded = decodeRecord(message);
      const kioskId = decoded.ok ? decoded.event.kioskid : decoded.kioskId;
      if (kiosks && (!kioskId || !kiosks.has(kioskId))) return;
      let outcome: Outcome;
      let reason: string | undefined;
      if (!decoded.ok) {
        outcome = 'undecodable';
        reason = decoded.reason;
      } else if (values['dry-run']) {
        outcome = 'would-redrive';
      } else {
        try {
          outcome = await redrive(decoded.event);
        } catch (error) {
          outcome = 'failed';
          reason = (error as Error).message;
        }
      }
      counts[outcome] += 1;
      const sequence = decoded.ok ? decoded.event.sequence : decoded.sequence;
      const line = { partition, offset, kioskId: kioskId ?? null, sequence: sequence ?? null, outcome, ...(reason ? { reason } : {}), deadLetteredFor: headers[deadLetterHeaders.reason] ?? null };
      process.stdout.write(values.json ? `${JSON.stringify(line)}\n` : `${partition}:${offset} ${kioskId ?? '?'} #${sequence ?? '?'} ${outcome}${reason ? ` (${reason})` : ''}\n`);
    });
    process.stdout.write(values.json ? `${JSON.stringify({ stage, ...counts })}\n` : `stage ${stage}: ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
    return counts.failed + counts.undecodable > 0 ? 2 : 0;
  } finally {
    await connections.close();
  }
}

runCli('atrium-redrive', main);
