// Erase a loyalty member's PII from the command line: `tsx cloud-services/src/pii/erasureCli.ts --help`.
import { parseArgs } from 'node:util';
import { ConfigError, configEnvNames, loadCloudConfig } from '../config/cloudConfig';
import { createLogger } from '../log/logger';
import { cloudConnections } from '../runtime/cloudConnections';
import { pgMemberKeyStore } from './memberKeyStore';
import { eraseMemberPii } from './memberPii';
import { loadPiiConfig, piiEnvNames } from './piiConfig';
import { runCli } from '../cli/runCli';

const HELP = `atrium-erase-member: erase a loyalty member's PII by deleting their data keys (crypto-shredding)

Usage: tsx cloud-services/src/pii/erasureCli.ts --member <memberRef> [--json]

Options:
  --member <uuid>  the member ref to erase (every enrolment with the same email hash is covered)
  --json           print the result as JSON
  --help           show this help

The events and the loyalty view rows stay; the PII sealed to the deleted keys can no longer be
opened. Running it twice changes nothing. Exit status: 0 erased, 3 no such member, 1 error.
Environment: ${[...configEnvNames, ...piiEnvNames].join(', ')}
`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { member: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.member || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(values.member)) throw new ConfigError('--member <uuid> is required');
  const config = loadCloudConfig(process.env, { logLevel: 'warn' });
  const pii = loadPiiConfig(process.env);
  if (!pii) throw new ConfigError(`the PII keys are not configured (${piiEnvNames.slice(0, 3).join(', ')})`);
  const connections = cloudConnections(config, createLogger('atrium-erase-member', config.logLevel));
  try {
    const pool = connections.pg();
    const keys = pgMemberKeyStore(pool, config.postgresSchema, Buffer.from(pii.memberKeyWrapKey, 'base64'));
    const result = await eraseMemberPii(pool, config.postgresSchema, keys, values.member.toLowerCase(), new Date());
    if (!result) {
      process.stderr.write(`atrium-erase-member: no loyalty member ${values.member}\n`);
      return 3;
    }
    const out = { memberRef: result.memberRef, keysShredded: result.keysShredded, erasedAt: result.erasedAt };
    process.stdout.write(values.json ? `${JSON.stringify(out)}\n` : `erased ${out.memberRef}: ${out.keysShredded} key(s) shredded at ${out.erasedAt}\n`);
    return 0;
  } finally {
    await connections.close();
  }
}

runCli('atrium-erase-member', main);
