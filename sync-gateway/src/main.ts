// The sync gateway: `tsx sync-gateway/src/main.ts` starts the kiosk and admin listeners.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, configEnvNames, loadGatewayConfig } from './config/gatewayConfig';

const HELP = `Usage: tsx sync-gateway/src/main.ts [--help]

Starts the Atrium sync gateway: the kiosk listener (ingest, content feed, urgent channel;
bind it to the WireGuard address) and the admin listener (/healthz, /readyz, /metrics,
/docs, POST /admin/v1/broadcasts). Configuration comes from the environment and is
validated once at start:

  ${configEnvNames.join('\n  ')}

SIGTERM or SIGINT shut it down gracefully: in-flight batches finish, then the producer closes.
`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const config = loadGatewayConfig(process.env);
  const logger = pino({ level: config.logLevel, base: { service: 'sync-gateway' }, timestamp: pino.stdTimeFunctions.isoTime });
  const { startGateway } = await import('./app/startGateway');
  const gateway = await startGateway(config, logger, { defaultMetrics: true });
  logger.info({ kiosk: gateway.kioskUrl, admin: gateway.adminUrl, producer: config.producer }, 'sync gateway listening');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A hard bound: whatever still holds the event loop after the grace period, the process ends.
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.limits.shutdownGraceMs * 2 + 5_000).unref();
    gateway.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`sync-gateway: ${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exitCode = 1;
});
