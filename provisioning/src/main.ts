// The provisioning service: `tsx provisioning/src/main.ts` (configuration from the environment,
// see provisioning/README.md).
import { pino } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { configHelp } from './config/loadConfig';
import { loadServiceConfig, SERVICE_ENV, ServiceConfig } from './config/serviceConfig';
import { openPool } from './db/pgPool';
import { buildApp } from './http/buildApp';

const HELP = `atrium provisioning service: enrolment tokens, kiosk enrolment, VPN addresses, approvals

Usage: tsx provisioning/src/main.ts [--help]

Configuration comes from the environment:
${configHelp(ServiceConfig, SERVICE_ENV)}

Routes: see GET /openapi.json, or provisioning/README.md.
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const config = loadServiceConfig(process.env);
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const logger = pino({ level: config.logLevel, base: { service: 'atrium-provisioning' }, redact: ['req.headers.authorization'] });
  const pool = openPool(config.pgUrl, 10, (error) => logger.warn({ err: error }, 'idle PostgreSQL client failed'));
  const app = await buildApp({ config, pool, now: () => new Date(), metrics }, logger);
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', msg: 'provisioning failed to start', err: error instanceof Error ? error.message : String(error) }));
  process.exit(1);
});
