// The CRM forwarder: a process of its own (own consumer group) that forwards loyalty enrolments
// to the external CRM. `tsx cloud-services/src/integrations/crmForwarder.ts --help`.
import { parseArgs } from 'node:util';
import { ConfigError, configEnvNames, loadCloudConfig } from '../config/cloudConfig';
import { kafkaDeadLetterSink } from '../kafka/deadLetter';
import { createEventConsumer } from '../kafka/eventConsumer';
import { createLogger } from '../log/logger';
import { createServiceMetrics } from '../metrics/serviceMetrics';
import { pgMemberKeyStore } from '../pii/memberKeyStore';
import { readMemberPii } from '../pii/memberPii';
import { piiEnvNames } from '../pii/piiConfig';
import { cloudConnections } from '../runtime/cloudConnections';
import { CRM_STAGE, crmApplier } from './crmApplier';
import { createCrmClient } from './crmClient';
import { propagateErasures } from './crmErasures';
import { crmEnvNames, loadCrmConfig } from './crmConfig';

const HELP = `atrium-crm-forwarder: forwards loyalty enrolments to the CRM (POST <ATRIUM_CRM_URL>/members)

Usage: tsx cloud-services/src/integrations/crmForwarder.ts [--session-timeout-ms <ms>]

Consumer group <ATRIUM_CLOUD_GROUP_PREFIX>.integration.crm. Each request has a timeout, retries with
backoff and a circuit breaker. An unreachable CRM pauses this process only (nothing is committed, the
backlog follows once it is back); a record the CRM keeps refusing goes to the processing dead-letter
topic (stage ${CRM_STAGE}). PII is read from the loyalty view through the member's key, so the loyalty
projection must run; only ATRIUM_PII_MEMBER_KEK of the PII keys is needed here. Erasures
(member_erasures) are passed on to the CRM as DELETE <ATRIUM_CRM_URL>/members/<memberRef>.

Options:
  --session-timeout-ms <ms>  Kafka consumer session timeout (default 30000)
  --help                     show this help

Environment: ${[...configEnvNames, ...crmEnvNames, piiEnvNames[2]].join(', ')}
`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'session-timeout-ms': { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const sessionTimeoutMs = values['session-timeout-ms'] === undefined ? 30_000 : Number(values['session-timeout-ms']);
  if (!Number.isInteger(sessionTimeoutMs) || sessionTimeoutMs < 6_000 || sessionTimeoutMs > 300_000) throw new ConfigError('--session-timeout-ms must be 6000..300000');
  const config = loadCloudConfig(process.env);
  const crmConfig = loadCrmConfig(process.env);
  const kek = process.env[piiEnvNames[2]];
  if (!kek || Buffer.from(kek, 'base64').length !== 32) throw new ConfigError(`${piiEnvNames[2]} must be 32 bytes, base64`);
  const log = createLogger('atrium-crm-forwarder', config.logLevel);
  const connections = cloudConnections(config, log);
  const pool = connections.pg();
  const keys = pgMemberKeyStore(pool, config.postgresSchema, Buffer.from(kek, 'base64'));
  const crm = createCrmClient(crmConfig, log);
  const producer = connections.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const consumer = createEventConsumer({
    kafka: connections.kafka,
    groupId: `${config.groupPrefix}.integration.crm`,
    topic: config.topics.kioskEvents,
    applier: crmApplier({ crm, readPii: (emailHash) => readMemberPii(pool, config.postgresSchema, keys, { emailHash }), log }),
    deadLetters: kafkaDeadLetterSink(producer, config.topics.processingDeadLetter),
    log,
    metrics: createServiceMetrics(true),
    retry: config.retry,
    sessionTimeoutMs,
  });
  await consumer.start();
  log.info({ crm: crmConfig.url }, 'crm forwarder started');

  let stopping = false;
  // Erasures are few; a short poll of the outbox is simpler than another channel and survives restarts.
  const erasures = (async () => {
    while (!stopping) {
      await propagateErasures(pool, config.postgresSchema, crm, log).catch((err: unknown) => log.warn({ err }, 'crm: erasure pass failed'));
      for (let waited = 0; waited < crmConfig.erasurePollMs && !stopping; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await consumer.stop().catch(() => undefined);
    await erasures;
    await producer.disconnect().catch(() => undefined);
    await connections.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`atrium-crm-forwarder: ${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
});
